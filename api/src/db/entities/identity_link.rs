//! An account's identity at an external OpenID Connect issuer.

use sea_orm::entity::prelude::*;

/// The `identity_links` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_links")]
pub struct Model {
    /// The issuer (`iss`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub issuer: String,
    /// The subject at that issuer (`sub`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    /// The account.
    pub user_id: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
