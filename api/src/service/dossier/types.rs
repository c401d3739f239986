//! The dossier service's shared types: what clients send and get back, the actions after filing and
//! the list filters. A leaf: it imports no other file of the service.

use motcua_core::fee::Channel;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use motcua_core::dossier::Access;

/// The component id of the electronic result file (kết quả giải quyết).
pub const RESULT_COMPONENT: &str = "KET_QUA";

/// What a client sends to file a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct SubmitInput {
    /// The dossier's UUID, possibly made offline (a draft with this id is submitted).
    pub dossier_id: Option<String>,
    /// The procedure.
    pub procedure_code: String,
    /// Where it is filed (a clerk's agency; for online filing the unit chosen by the applicant).
    pub receiving_agency_id: Option<i64>,
    /// The competent agency, when routing cannot tell.
    pub competent_agency_id: Option<i64>,
    /// Desk or postal (clerks); online filers always file online.
    pub channel: Option<Channel>,
    /// The form data.
    pub form_data: Value,
    /// The postal tracking number a postal filing arrived with (recorded in its history). Left
    /// out of the idempotency hash when absent, so that earlier keys replay as before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_tracking_number: Option<String>,
}

/// What a successful submission answered, stored with its idempotency key and replayed verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The dossier.
    pub dossier_id: String,
    /// Its code.
    pub code: String,
    /// `SUBMITTED`.
    pub status: String,
    /// Unix seconds.
    pub submitted_at: i64,
    /// The fee quoted (VND).
    pub fee_total: i64,
    /// The due date intake would give now (RFC 3339), for the applicant's information.
    pub expected_due_at: String,
}

/// Filters of a dossier list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these statuses.
    pub statuses: Vec<String>,
    /// Only this receiving agency (intake queues).
    pub receiving_agency_id: Option<i64>,
    /// Continue after this `(sort key, id)` cursor.
    pub after: Option<(i64, String)>,
    /// Page size.
    pub limit: u64,
}

/// How the result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnMethod {
    /// Downloaded from the portal (needs the electronic result file).
    Online,
    /// Collected at the one-stop desk.
    Desk,
    /// Sent by public postal service.
    Post,
}

impl ReturnMethod {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "ONLINE",
            Self::Desk => "DESK",
            Self::Post => "POST",
        }
    }
}

/// A hand-over (liên thông): to a named official, to an agency (any of its specialists picks it
/// up), or both.
#[derive(Debug, Clone, Default)]
pub struct HandOver {
    /// The receiving official.
    pub to_user_id: Option<i64>,
    /// The receiving agency (default: the official's agency).
    pub to_agency_id: Option<i64>,
    /// The step's deadline in working days from now (default: the dossier's due date).
    pub step_working_days: Option<u32>,
    /// What the giver did (the result column of form 06).
    pub result: Option<String>,
    /// A note for the receiver.
    pub note: Option<String>,
}

/// Something done to a dossier after filing.
#[derive(Debug, Clone)]
pub enum Act {
    /// Accept; the clock starts and the due date is fixed.
    Receive,
    /// Refuse with a reason.
    Refuse {
        /// Why.
        reason: String,
    },
    /// Ask for everything missing, once. During processing the clock stops until it arrives.
    RequestSupplement {
        /// Why.
        reason: String,
        /// Every missing or wrong document or field.
        missing: Vec<String>,
    },
    /// The supplement arrives (the applicant, or a clerk at the desk), with corrected form data.
    Supplement {
        /// New form data, if the form changes.
        form_data: Option<Value>,
    },
    /// A specialist of the agency holding the dossier starts processing.
    StartProcessing,
    /// Hand over to another official or agency.
    HandOver(HandOver),
    /// Ask the applicant to pay the quoted fees; the clock stops until paid.
    RequestPayment,
    /// A clerk records a payment made at the desk or by transfer.
    RecordPayment {
        /// Amount paid (VND); must be the amount asked for.
        amount: i64,
        /// The receipt (biên lai) number.
        receipt_number: String,
    },
    /// The leader approves the result, optionally with the electronic result file.
    Resolve {
        /// An attachment of this dossier with component `KET_QUA`.
        result_attachment_id: Option<String>,
    },
    /// A clerk of the receiving unit delivers the result.
    ReturnResult {
        /// How.
        method: ReturnMethod,
        /// The postal tracking number (by post).
        tracking_number: Option<String>,
    },
    /// The applicant withdraws, with a reason.
    Withdraw {
        /// Why.
        reason: String,
    },
    /// The leader stops processing, with a reason.
    Stop {
        /// Why.
        reason: String,
    },
    /// The leader apologises and sets a new due date, once (form 04).
    Redate {
        /// Why the dossier is late.
        reason: String,
        /// The new due date: RFC 3339, or `YYYY-MM-DD` for that day's closing time.
        new_due_at: String,
    },
}

impl Act {
    /// The core action and its reason, where the table requires one.
    #[must_use]
    pub fn action(&self) -> (motcua_core::dossier::Action, Option<&str>) {
        use motcua_core::dossier::Action;
        match self {
            Self::Receive => (Action::Receive, None),
            Self::Refuse { reason } => (Action::Refuse, Some(reason)),
            Self::RequestSupplement { reason, .. } => (Action::RequestSupplement, Some(reason)),
            Self::Supplement { .. } => (Action::Supplement, None),
            Self::StartProcessing => (Action::StartProcessing, None),
            Self::HandOver(_) => (Action::HandOver, None),
            Self::RequestPayment => (Action::RequestPayment, None),
            Self::RecordPayment { .. } => (Action::RecordPayment, None),
            Self::Resolve { .. } => (Action::Resolve, None),
            Self::ReturnResult { .. } => (Action::ReturnResult, None),
            Self::Withdraw { reason } => (Action::Withdraw, Some(reason)),
            Self::Stop { reason } => (Action::Stop, Some(reason)),
            Self::Redate { reason, .. } => (Action::ApologizeAndRedate, Some(reason)),
        }
    }
}
