//! A sign-in: the family of refresh tokens it rotates through.

use sea_orm::entity::prelude::*;

/// The `sessions` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// Random id, carried by access tokens as `sid`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The account.
    pub user_id: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Absolute end of the session, however often it is refreshed.
    pub expires_at: i64,
    /// Set on logout or reuse detection; every token of the session stops working.
    pub revoked_at: Option<i64>,
    /// `LOGOUT`, `REUSE`, `PASSWORD_CHANGED`, `DISABLED`.
    pub revoked_reason: Option<String>,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
