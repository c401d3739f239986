//! The transition table: which action moves a dossier from which status, by whom.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::Status;
use crate::error::Coded;

/// Something done to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum Action {
    /// File a draft.
    Submit,
    /// Accept at intake; the clock starts.
    Receive,
    /// Refuse at intake, with a reason.
    Refuse,
    /// Ask the applicant for everything missing, once.
    RequestSupplement,
    /// The applicant's (or clerk's) supplement arrives.
    Supplement,
    /// A specialist starts processing.
    StartProcessing,
    /// Hand over to another official or agency.
    HandOver,
    /// Ask for fees or taxes before continuing.
    RequestPayment,
    /// A payment was recorded (desk) or confirmed (callback).
    RecordPayment,
    /// The leader approves the result.
    Resolve,
    /// The result is delivered.
    ReturnResult,
    /// The applicant withdraws.
    Withdraw,
    /// The leader stops processing.
    Stop,
    /// Apologise and set a new due date, once.
    ApologizeAndRedate,
}

/// Who acts, as the transition table knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum Role {
    /// The citizen or business that owns the dossier.
    Applicant,
    /// Tiếp nhận: the receiving clerk (also files on behalf of a person).
    Clerk,
    /// Chuyên viên of the processing agency.
    Specialist,
    /// Lãnh đạo of the processing agency.
    Leader,
    /// Scheduled jobs and verified payment callbacks.
    System,
}

macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }
        }

        impl FromStr for $ty {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($name => Ok(Self::$variant),)+ _ => Err(()) }
            }
        }
    };
}

wire_names!(Action {
    Submit => "SUBMIT",
    Receive => "RECEIVE",
    Refuse => "REFUSE",
    RequestSupplement => "REQUEST_SUPPLEMENT",
    Supplement => "SUPPLEMENT",
    StartProcessing => "START_PROCESSING",
    HandOver => "HAND_OVER",
    RequestPayment => "REQUEST_PAYMENT",
    RecordPayment => "RECORD_PAYMENT",
    Resolve => "RESOLVE",
    ReturnResult => "RETURN_RESULT",
    Withdraw => "WITHDRAW",
    Stop => "STOP",
    ApologizeAndRedate => "APOLOGIZE_AND_REDATE",
});

wire_names!(Role {
    Applicant => "APPLICANT",
    Clerk => "CLERK",
    Specialist => "SPECIALIST",
    Leader => "LEADER",
    System => "SYSTEM",
});

/// Why a transition is refused. Codes are the rulebook's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Nothing leaves a terminal status.
    #[error("TERMINAL_STATE")]
    TerminalState,
    /// The action is not allowed from this status.
    #[error("INVALID_TRANSITION")]
    InvalidTransition,
    /// This role may not take this action.
    #[error("ROLE_NOT_ALLOWED")]
    RoleNotAllowed,
    /// The action needs a reason with a non-blank character.
    #[error("REASON_REQUIRED")]
    ReasonRequired,
    /// A supplement was already requested for this dossier.
    #[error("SUPPLEMENT_ALREADY_REQUESTED")]
    SupplementAlreadyRequested,
    /// The due date was already re-set once.
    #[error("REDATE_ALREADY_USED")]
    RedateAlreadyUsed,
}

impl Coded for TransitionError {
    fn code(&self) -> &'static str {
        match self {
            Self::TerminalState => "TERMINAL_STATE",
            Self::InvalidTransition => "INVALID_TRANSITION",
            Self::RoleNotAllowed => "ROLE_NOT_ALLOWED",
            Self::ReasonRequired => "REASON_REQUIRED",
            Self::SupplementAlreadyRequested => "SUPPLEMENT_ALREADY_REQUESTED",
            Self::RedateAlreadyUsed => "REDATE_ALREADY_USED",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::TerminalState => "Hồ sơ đã kết thúc, không thể thực hiện thêm thao tác.",
            Self::InvalidTransition => "Thao tác này không thực hiện được ở trạng thái hiện tại.",
            Self::RoleNotAllowed => "Vai trò của bạn không được thực hiện thao tác này.",
            Self::ReasonRequired => "Vui lòng nêu rõ lý do.",
            Self::SupplementAlreadyRequested => {
                "Hồ sơ đã được yêu cầu bổ sung một lần; không yêu cầu bổ sung lần thứ hai."
            }
            Self::RedateAlreadyUsed => "Hồ sơ đã được gia hạn một lần; không gia hạn lần thứ hai.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::TerminalState => "The dossier is closed; no further action is possible.",
            Self::InvalidTransition => "This action is not possible in the current status.",
            Self::RoleNotAllowed => "Your role may not take this action.",
            Self::ReasonRequired => "Please give a reason.",
            Self::SupplementAlreadyRequested => {
                "A supplement was already requested once; a second request is not allowed."
            }
            Self::RedateAlreadyUsed => "The due date was already re-set once.",
        }
    }
}

/// Everything the table looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionInput<'a> {
    /// The current status.
    pub status: Status,
    /// What is being done.
    pub action: Action,
    /// Who does it.
    pub role: Role,
    /// Whether the dossier was ever received (its clock started).
    pub received: bool,
    /// Supplement requests so far.
    pub supplement_count: u32,
    /// Due-date re-sets so far.
    pub redate_count: u32,
    /// The reason given, if any.
    pub reason: Option<&'a str>,
}

/// One row of the table: from which statuses, by which roles, whether a reason is required.
struct Rule {
    from: &'static [Status],
    roles: &'static [Role],
    reason: bool,
}

use Role::{Applicant, Clerk, Leader, Specialist, System};
use Status::{
    AwaitingPayment, Draft, Processing, Received, Resolved, Submitted, SupplementRequested,
};

/// Statuses of a dossier that is open after intake.
const OPEN: &[Status] = &[Received, Processing, SupplementRequested, AwaitingPayment];

fn rule(action: Action) -> Rule {
    let r = |from, roles, reason| Rule {
        from,
        roles,
        reason,
    };
    match action {
        Action::Submit => r(&[Draft], &[Applicant, Clerk], false),
        Action::Receive => r(&[Submitted], &[Clerk], false),
        Action::Refuse => r(&[Submitted], &[Clerk], true),
        Action::RequestSupplement => r(&[Submitted, Processing], &[Clerk, Specialist], true),
        Action::Supplement => r(&[SupplementRequested], &[Applicant, Clerk], false),
        Action::StartProcessing => r(&[Received], &[Specialist], false),
        Action::HandOver => r(&[Processing], &[Specialist, Leader], false),
        Action::RequestPayment => r(&[Processing], &[Specialist], false),
        Action::RecordPayment => r(&[AwaitingPayment], &[Clerk, System], false),
        Action::Resolve => r(&[Processing], &[Leader], false),
        Action::ReturnResult => r(&[Resolved], &[Clerk, System], false),
        Action::Withdraw => r(
            &[
                Submitted,
                Received,
                Processing,
                SupplementRequested,
                AwaitingPayment,
            ],
            &[Applicant],
            true,
        ),
        Action::Stop => r(OPEN, &[Leader], true),
        Action::ApologizeAndRedate => r(OPEN, &[Leader], true),
    }
}

/// The status an action leads to, or the first rule it breaks, in the rulebook's order.
///
/// # Errors
/// `TERMINAL_STATE`, `INVALID_TRANSITION`, `ROLE_NOT_ALLOWED`, `REASON_REQUIRED`,
/// `SUPPLEMENT_ALREADY_REQUESTED`, `REDATE_ALREADY_USED`.
pub fn transition(input: &TransitionInput<'_>) -> Result<Status, TransitionError> {
    if input.status.is_terminal() {
        return Err(TransitionError::TerminalState);
    }
    let rule = rule(input.action);
    if !rule.from.contains(&input.status) {
        return Err(TransitionError::InvalidTransition);
    }
    if !rule.roles.contains(&input.role) {
        return Err(TransitionError::RoleNotAllowed);
    }
    if rule.reason
        && !input
            .reason
            .is_some_and(|r| r.chars().any(|c| !c.is_whitespace()))
    {
        return Err(TransitionError::ReasonRequired);
    }
    if input.action == Action::RequestSupplement && input.supplement_count >= 1 {
        return Err(TransitionError::SupplementAlreadyRequested);
    }
    if input.action == Action::ApologizeAndRedate && input.redate_count >= 1 {
        return Err(TransitionError::RedateAlreadyUsed);
    }
    Ok(match input.action {
        Action::Submit => Submitted,
        Action::Supplement if input.received => Processing,
        Action::Supplement => Submitted,
        Action::Receive => Received,
        Action::Refuse => Status::Refused,
        Action::RequestSupplement => SupplementRequested,
        Action::StartProcessing | Action::HandOver | Action::RecordPayment => Processing,
        Action::RequestPayment => AwaitingPayment,
        Action::Resolve => Resolved,
        Action::ReturnResult => Status::Returned,
        Action::Withdraw => Status::Withdrawn,
        Action::Stop => Status::Stopped,
        Action::ApologizeAndRedate => input.status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(status: Status, action: Action, role: Role) -> TransitionInput<'static> {
        TransitionInput {
            status,
            action,
            role,
            received: false,
            supplement_count: 0,
            redate_count: 0,
            reason: None,
        }
    }

    #[test]
    fn a_supplement_goes_back_to_where_the_clock_stands() {
        let mut i = input(SupplementRequested, Action::Supplement, Applicant);
        assert_eq!(transition(&i), Ok(Submitted));
        i.received = true;
        assert_eq!(transition(&i), Ok(Processing));
    }

    #[test]
    fn errors_come_in_the_rulebook_order() {
        let mut i = input(Status::Refused, Action::Withdraw, Clerk);
        assert_eq!(transition(&i), Err(TransitionError::TerminalState));
        i.status = Draft;
        assert_eq!(transition(&i), Err(TransitionError::InvalidTransition));
        i.status = Processing;
        assert_eq!(transition(&i), Err(TransitionError::RoleNotAllowed));
        i.role = Applicant;
        i.reason = Some(" \t ");
        assert_eq!(transition(&i), Err(TransitionError::ReasonRequired));
        i.reason = Some("Tôi không cần nữa");
        assert_eq!(transition(&i), Ok(Status::Withdrawn));
    }

    #[test]
    fn a_second_supplement_request_or_redate_is_refused() {
        let mut i = input(Processing, Action::RequestSupplement, Specialist);
        i.reason = Some("Thiếu bản sao giấy khai sinh");
        i.supplement_count = 1;
        assert_eq!(
            transition(&i),
            Err(TransitionError::SupplementAlreadyRequested)
        );
        let mut r = input(AwaitingPayment, Action::ApologizeAndRedate, Leader);
        r.reason = Some("Quá tải");
        assert_eq!(transition(&r), Ok(AwaitingPayment));
        r.redate_count = 1;
        assert_eq!(transition(&r), Err(TransitionError::RedateAlreadyUsed));
    }
}
