//! One transition of a dossier (append-only).

use sea_orm::entity::prelude::*;

/// The `dossier_history` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_history")]
pub struct Model {
    /// Row id (the order of events).
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The dossier.
    pub dossier_id: String,
    /// Unix seconds.
    pub at: i64,
    /// Who acted.
    pub actor_user_id: Option<i64>,
    /// The core role they acted in.
    pub role: String,
    /// The core action.
    pub action: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
    /// The reason, where one is required.
    pub reason: Option<String>,
    /// Details (JSON): due date fixed, missing documents, …
    pub detail: String,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
