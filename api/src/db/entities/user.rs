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
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
