//! A role an official holds in an agency.

use sea_orm::entity::prelude::*;

/// The `user_roles` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_roles")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The official.
    pub user_id: i64,
    /// `CLERK`, `SPECIALIST`, `LEADER`, `AGENCY_ADMIN` or `PROVINCE_ADMIN`.
    pub role: String,
    /// The agency the role is held in.
    pub agency_id: Option<i64>,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
