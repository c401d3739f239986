//! Who the caller is to one dossier, from what the server knows: the caller's account and the roles
//! it holds in agencies, and the dossier's applicant, filer and agencies. From these come what the
//! caller may see ([`Access`]) and in which roles they may act ([`Standing`]); and how a filing is
//! made ([`filing`]): online by the applicant, or at a desk or by post by a clerk for a person.

use super::{Action, Channel, Role, Standing, Status, TransitionError, TransitionInput};
use super::{acting_role, transition};

/// The caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// Their account.
    pub account: i64,
    /// A citizen's or business's account (not an official's).
    pub applicant_kind: bool,
    /// The dossier roles they hold, each in one agency (administrators hold none).
    pub grants: &'a [(Role, i64)],
}

impl Caller<'_> {
    /// Whether they hold `role` in `agency`.
    #[must_use]
    pub fn holds(&self, role: Role, agency: i64) -> bool {
        self.grants.contains(&(role, agency))
    }

    /// The agencies they hold `role` in, in grant order.
    pub fn agencies(&self, role: Role) -> impl Iterator<Item = i64> + '_ {
        self.grants
            .iter()
            .filter(move |(r, _)| *r == role)
            .map(|(_, a)| *a)
    }
}

/// The people and agencies of one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    /// Its status.
    pub status: Status,
    /// The applicant's own account, when linked.
    pub applicant_account: Option<i64>,
    /// The account that filed it (the applicant online, a clerk at a desk).
    pub filed_by: i64,
    /// The unit it was filed to.
    pub receiving: i64,
    /// The agency competent to decide it.
    pub competent: i64,
    /// The agency holding it now (liên thông); the competent agency until handed over.
    pub handling: i64,
}

/// How the caller relates to a dossier: what they may see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    /// The applicant (owner), or the applicant account that filed it.
    pub applicant: bool,
    /// A clerk of the receiving unit.
    pub clerk: bool,
    /// An official of the competent agency or of the agency holding it now.
    pub processing: bool,
}

impl Access {
    /// Whether the caller may see the dossier at all.
    #[must_use]
    pub fn any(self) -> bool {
        self.applicant || self.clerk || self.processing
    }

    /// Whether the caller sees the officials' side: internal notes, who handled each step (Z7).
    #[must_use]
    pub fn internal(self) -> bool {
        self.clerk || self.processing
    }
}

/// What `caller` may see of a dossier with `parties`. A draft is its author's alone until it is
/// submitted (Z2); an official never sees it as the applicant (Z1).
#[must_use]
pub fn access(caller: &Caller<'_>, parties: &Parties) -> Access {
    let applicant = parties.applicant_account == Some(caller.account)
        || (parties.filed_by == caller.account && caller.applicant_kind);
    if parties.status == Status::Draft {
        return Access {
            applicant,
            ..Access::default()
        };
    }
    let official_of = |agency: i64| {
        [Role::Specialist, Role::Leader, Role::Clerk]
            .into_iter()
            .any(|r| caller.holds(r, agency))
    };
    Access {
        applicant,
        clerk: caller.holds(Role::Clerk, parties.receiving),
        processing: official_of(parties.competent) || official_of(parties.handling),
    }
}

/// The roles the caller holds for acting on the dossier: its applicant (their own account only),
/// a clerk of the receiving unit, a specialist or leader of the agency holding it. The transition
/// table then decides ([`acting_role`]).
#[must_use]
pub fn standing(caller: &Caller<'_>, parties: &Parties) -> Standing {
    Standing {
        applicant: access(caller, parties).applicant,
        receiving_clerk: caller.holds(Role::Clerk, parties.receiving),
        specialist: caller.holds(Role::Specialist, parties.handling),
        leader: caller.holds(Role::Leader, parties.handling),
    }
}

/// How a dossier is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    /// The role it is filed in: `APPLICANT` online, `CLERK` for a person at a desk or by post.
    pub role: Role,
    /// The channel: online for the applicant; desk, or postal when the clerk says so.
    pub channel: Channel,
    /// The status it enters (`SUBMITTED`), from the transition table.
    pub status: Status,
}

/// Files a dossier through the transition table like every other action: an applicant account
/// files online; a clerk of the receiving unit files at the desk or, when asked, by post.
///
/// # Errors
/// `ROLE_NOT_ALLOWED` for anyone else.
pub fn filing(standing: Standing, asked: Option<Channel>) -> Result<Filing, TransitionError> {
    let role =
        acting_role(Action::Submit, false, standing).ok_or(TransitionError::RoleNotAllowed)?;
    let channel = match (role, asked) {
        (Role::Applicant, _) => Channel::Online,
        (_, Some(Channel::Postal)) => Channel::Postal,
        _ => Channel::InPerson,
    };
    let status = transition(&TransitionInput {
        status: Status::Draft,
        action: Action::Submit,
        role,
        received: false,
        supplement_count: 0,
        redate_count: 0,
        reason: None,
    })?;
    Ok(Filing {
        role,
        channel,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WARD: i64 = 1;
    const POLICE: i64 = 2;

    fn parties(status: Status) -> Parties {
        Parties {
            status,
            applicant_account: Some(10),
            filed_by: 10,
            receiving: WARD,
            competent: WARD,
            handling: POLICE,
        }
    }

    #[test]
    fn a_draft_is_its_authors_alone() {
        let clerk = [(Role::Clerk, WARD)];
        let official = Caller {
            account: 20,
            applicant_kind: false,
            grants: &clerk,
        };
        assert!(!access(&official, &parties(Status::Draft)).any());
        assert!(access(&official, &parties(Status::Submitted)).clerk);
        let author = Caller {
            account: 10,
            applicant_kind: true,
            grants: &[],
        };
        assert_eq!(
            access(&author, &parties(Status::Draft)),
            Access {
                applicant: true,
                ..Access::default()
            }
        );
    }

    #[test]
    fn the_holding_agency_processes_and_a_clerk_who_filed_is_no_applicant() {
        let grants = [(Role::Specialist, POLICE)];
        let police = Caller {
            account: 30,
            applicant_kind: false,
            grants: &grants,
        };
        let p = parties(Status::Processing);
        assert!(access(&police, &p).processing);
        assert!(standing(&police, &p).specialist);
        let desk = Parties {
            applicant_account: None,
            filed_by: 20,
            ..p
        };
        let clerk_grants = [(Role::Clerk, WARD)];
        let clerk = Caller {
            account: 20,
            applicant_kind: false,
            grants: &clerk_grants,
        };
        let s = standing(&clerk, &desk);
        assert!(!s.applicant && s.receiving_clerk);
    }

    #[test]
    fn filing_goes_through_the_table() {
        let applicant = Standing {
            applicant: true,
            ..Standing::default()
        };
        let online = filing(applicant, Some(Channel::Postal)).unwrap();
        assert_eq!(
            (online.role, online.channel, online.status),
            (Role::Applicant, Channel::Online, Status::Submitted)
        );
        let clerk = Standing {
            receiving_clerk: true,
            ..Standing::default()
        };
        assert_eq!(filing(clerk, None).unwrap().channel, Channel::InPerson);
        assert_eq!(
            filing(clerk, Some(Channel::Postal)).unwrap().channel,
            Channel::Postal
        );
        let leader = Standing {
            leader: true,
            ..Standing::default()
        };
        assert_eq!(filing(leader, None), Err(TransitionError::RoleNotAllowed));
    }
}
