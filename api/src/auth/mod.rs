//! Who is calling: access tokens, refresh-token rotation, passwords, external ID tokens, and the
//! [`Principal`] that guards check.

pub mod oidc;
pub mod password;
pub mod tokens;

use motcua_core::dossier::Role as CoreRole;

/// The kind of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum AccountKind {
    /// A person, signing in with the 12-digit personal ID.
    Citizen,
    /// A business, signing in with its tax code.
    Business,
    /// A public official, signing in with a user name.
    Official,
}

impl AccountKind {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "CITIZEN",
            Self::Business => "BUSINESS",
            Self::Official => "OFFICIAL",
        }
    }

    /// From the stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "CITIZEN" => Some(Self::Citizen),
            "BUSINESS" => Some(Self::Business),
            "OFFICIAL" => Some(Self::Official),
            _ => None,
        }
    }
}

/// A role an official holds in one agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum OfficialRole {
    /// Cán bộ tiếp nhận: receives dossiers at a desk, files on behalf of people.
    Clerk,
    /// Chuyên viên: processes dossiers of the agency.
    Specialist,
    /// Lãnh đạo: approves and signs.
    Leader,
    /// Quản trị cơ quan: the agency's accounts and procedures.
    AgencyAdmin,
    /// Quản trị tỉnh: every agency of the province, the catalogue and the calendar.
    ProvinceAdmin,
}

impl OfficialRole {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "CLERK",
            Self::Specialist => "SPECIALIST",
            Self::Leader => "LEADER",
            Self::AgencyAdmin => "AGENCY_ADMIN",
            Self::ProvinceAdmin => "PROVINCE_ADMIN",
        }
    }

    /// From the stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "CLERK" => Some(Self::Clerk),
            "SPECIALIST" => Some(Self::Specialist),
            "LEADER" => Some(Self::Leader),
            "AGENCY_ADMIN" => Some(Self::AgencyAdmin),
            "PROVINCE_ADMIN" => Some(Self::ProvinceAdmin),
            _ => None,
        }
    }

    /// The role in the core's transition table (rulebook section 2), for the roles that act on
    /// dossiers; administrators act on accounts and the catalogue, not on dossiers.
    #[must_use]
    pub fn core_role(self) -> Option<CoreRole> {
        match self {
            Self::Clerk => Some(CoreRole::Clerk),
            Self::Specialist => Some(CoreRole::Specialist),
            Self::Leader => Some(CoreRole::Leader),
            Self::AgencyAdmin | Self::ProvinceAdmin => None,
        }
    }
}

/// A role held in an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: OfficialRole,
    /// The agency.
    pub agency_id: i64,
}

/// The authenticated caller of one request: checked against the database on every request, so a
/// logout, a password change, disabling or a role change takes effect on the next call (J5).
#[derive(Debug, Clone)]
pub struct Principal {
    /// The account.
    pub user_id: i64,
    /// Its kind.
    pub kind: AccountKind,
    /// The session the access token belongs to.
    pub session_id: String,
    /// Roles of an official.
    pub grants: Vec<Grant>,
    /// An issued password not yet changed (V2): only `changePassword`, `logout` and `me` work.
    pub must_change_password: bool,
}

impl Principal {
    /// Whether the caller is a province administrator.
    #[must_use]
    pub fn is_province_admin(&self) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == OfficialRole::ProvinceAdmin)
    }

    /// Whether the caller holds `role` in `agency_id` (a province administrator holds every
    /// administrative right in every agency, but no dossier role).
    #[must_use]
    pub fn holds(&self, role: OfficialRole, agency_id: i64) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && g.agency_id == agency_id)
    }

    /// Whether the caller is an applicant (citizen or business).
    #[must_use]
    pub fn is_applicant(&self) -> bool {
        matches!(self.kind, AccountKind::Citizen | AccountKind::Business)
    }
}

/// Where a request comes from: the peer (or, behind a trusted proxy, the forwarded client) and
/// its user agent. Used by rate limits and refresh-token reuse detection, never logged with tokens.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The client IP address.
    pub ip: String,
    /// The `User-Agent` header, truncated.
    pub user_agent: String,
}

/// Unix seconds now (the API owns the clock; the core never reads it).
#[must_use]
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
