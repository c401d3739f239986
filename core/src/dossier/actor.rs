//! Who the caller is to one dossier, and in which role of the transition table they act.
//!
//! The applicant role belongs to the applicant's own account only; a clerk of the receiving
//! unit may file or bring a supplement on the applicant's behalf at the desk, which is recorded
//! as the clerk's act. An official is never the applicant by default: an action the caller holds
//! no fitting role for is refused (SECURITY.md Z1), never run in a role borrowed from elsewhere.

use super::{Action, Role};

/// What the caller holds with respect to one dossier (worked out by the server from the account,
/// its grants and the dossier's agencies).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// The dossier's applicant: their own account (or the applicant account that filed it).
    pub applicant: bool,
    /// A clerk of the unit that received (or is to receive) the dossier.
    pub receiving_clerk: bool,
    /// A specialist of the agency holding the dossier now.
    pub specialist: bool,
    /// A leader of the agency holding the dossier now.
    pub leader: bool,
}

impl Standing {
    fn holds(self, role: Role) -> bool {
        match role {
            Role::Applicant => self.applicant,
            Role::Clerk => self.receiving_clerk,
            Role::Specialist => self.specialist,
            Role::Leader => self.leader,
            Role::System => false,
        }
    }
}

/// The roles that may take `action`, in the order the caller's standing is tried.
///
/// `received` tells whether the dossier's clock started: before receipt a supplement request is
/// the clerk's (intake), after it the specialist's (processing).
fn candidates(action: Action, received: bool) -> &'static [Role] {
    match action {
        // The applicant, or explicitly a clerk at the desk on the applicant's behalf.
        Action::Submit | Action::Supplement => &[Role::Applicant, Role::Clerk],
        Action::Withdraw => &[Role::Applicant],
        Action::StartProcessing | Action::RequestPayment => &[Role::Specialist],
        Action::HandOver => &[Role::Specialist, Role::Leader],
        Action::Resolve | Action::Stop | Action::ApologizeAndRedate => &[Role::Leader],
        Action::RequestSupplement if received => &[Role::Specialist],
        Action::RequestSupplement
        | Action::Receive
        | Action::Refuse
        | Action::RecordPayment
        | Action::ReturnResult => &[Role::Clerk],
    }
}

/// The role the caller takes `action` in, or `None` when they hold none that may take it (the
/// server then refuses with `ROLE_NOT_ALLOWED`).
#[must_use]
pub fn acting_role(action: Action, received: bool, standing: Standing) -> Option<Role> {
    candidates(action, received)
        .iter()
        .copied()
        .find(|r| standing.holds(*r))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: Standing = Standing {
        applicant: false,
        receiving_clerk: true,
        specialist: true,
        leader: true,
    };

    #[test]
    fn an_official_is_never_the_applicant() {
        // Every role an official can hold, and still no withdrawal (Z1).
        assert_eq!(acting_role(Action::Withdraw, true, OFFICIAL), None);
        // A leader of the holding agency may not bring a supplement as the applicant.
        let leader = Standing {
            leader: true,
            ..Standing::default()
        };
        assert_eq!(acting_role(Action::Supplement, true, leader), None);
    }

    #[test]
    fn a_desk_clerk_brings_a_supplement_as_a_clerk() {
        let clerk = Standing {
            receiving_clerk: true,
            ..Standing::default()
        };
        assert_eq!(
            acting_role(Action::Supplement, false, clerk),
            Some(Role::Clerk)
        );
        let applicant = Standing {
            applicant: true,
            ..Standing::default()
        };
        assert_eq!(
            acting_role(Action::Supplement, false, applicant),
            Some(Role::Applicant)
        );
        assert_eq!(
            acting_role(Action::Withdraw, false, applicant),
            Some(Role::Applicant)
        );
    }

    #[test]
    fn every_candidate_is_allowed_by_the_table() {
        use super::super::{Status, TransitionInput, transition};
        let actions = [
            Action::Submit,
            Action::Receive,
            Action::Refuse,
            Action::RequestSupplement,
            Action::Supplement,
            Action::StartProcessing,
            Action::HandOver,
            Action::RequestPayment,
            Action::RecordPayment,
            Action::Resolve,
            Action::ReturnResult,
            Action::Withdraw,
            Action::Stop,
            Action::ApologizeAndRedate,
        ];
        let statuses = [
            Status::Draft,
            Status::Submitted,
            Status::Received,
            Status::Processing,
            Status::SupplementRequested,
            Status::AwaitingPayment,
            Status::Resolved,
        ];
        for action in actions {
            for received in [false, true] {
                for role in candidates(action, received) {
                    // Some status lets this role take the action: no candidate is dead.
                    let allowed = statuses.iter().any(|status| {
                        transition(&TransitionInput {
                            status: *status,
                            action,
                            role: *role,
                            received,
                            supplement_count: 0,
                            redate_count: 0,
                            reason: Some("lý do"),
                        })
                        .is_ok()
                    });
                    assert!(allowed, "{action:?} by {role:?}");
                }
            }
        }
    }
}
