//! An account: a citizen, a business or an official.

use sea_orm::entity::prelude::*;

/// The `users` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `CITIZEN`, `BUSINESS` or `OFFICIAL`.
    pub kind: String,
    /// The normalized personal ID (citizens), tax code (businesses) or user name (officials).
    pub login: String,
    /// Full name (or business name).
    pub full_name: String,
    /// Normalized phone number.
    pub phone: Option<String>,
    /// Normalized e-mail address.
    pub email: Option<String>,
    /// Argon2id PHC string; `None` for accounts that only sign in through an external issuer.
    pub password_hash: Option<String>,
    /// An issued password must be changed before anything else (SECURITY.md V2).
    pub must_change_password: bool,
    /// Disabled accounts cannot sign in, and their tokens stop working.
    pub disabled: bool,
    /// Bumped on every role change, password change and disabling: tokens carry it (J5).
    pub authz_version: i64,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Unix seconds until which logins are refused after too many failures (A1).
    pub locked_until: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    /// How the identity was established: `SELF_DECLARED`, `NATIONAL_LOGIN` or `DESK_CHECKED`
    /// (Z4). Only verified accounts are linked to desk and postal dossiers.
    pub identity_level: String,
}

/// Registered with a password: the identity is only what the person typed.
pub const IDENTITY_SELF_DECLARED: &str = "SELF_DECLARED";
/// Proven through the national identity issuer.
pub const IDENTITY_NATIONAL_LOGIN: &str = "NATIONAL_LOGIN";
/// Checked by a clerk against the person's papers at the one-stop desk.
pub const IDENTITY_DESK_CHECKED: &str = "DESK_CHECKED";

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl ActiveModel {
    /// A new, enabled account with no failed logins (`password_hash` is an Argon2id PHC string,
    /// or `None` for accounts that sign in through an external issuer).
    #[must_use]
    pub fn new_account(
        kind: &str,
        login: String,
        full_name: String,
        (phone, email): (Option<String>, Option<String>),
        password_hash: Option<String>,
        must_change_password: bool,
        created_at: i64,
    ) -> Self {
        use sea_orm::Set;
        Self {
            kind: Set(kind.to_owned()),
            login: Set(login),
            full_name: Set(full_name),
            phone: Set(phone),
            email: Set(email),
            password_hash: Set(password_hash),
            must_change_password: Set(must_change_password),
            disabled: Set(false),
            authz_version: Set(1),
            failed_logins: Set(0),
            locked_until: Set(None),
            created_at: Set(created_at),
            identity_level: Set(IDENTITY_SELF_DECLARED.to_owned()),
            ..Default::default()
        }
    }
}
