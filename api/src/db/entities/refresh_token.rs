//! One refresh token of a session (stored as its SHA-256, never in clear).

use sea_orm::entity::prelude::*;

/// The `refresh_tokens` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    /// Row id; also the `jti` of the access token issued with it.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The session (token family).
    pub session_id: String,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The signing key that derived the token and signed its access token.
    pub kid: String,
    /// Unix seconds; the access token issued with it has this `iat`.
    pub issued_at: i64,
    /// Unix seconds.
    pub expires_at: i64,
    /// When it was exchanged for the next pair (single use).
    pub used_at: Option<i64>,
    /// Who exchanged it: a duplicate from the same client within 30 s gets the same pair (J4).
    pub used_by_client: Option<String>,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
