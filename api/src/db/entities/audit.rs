//! The append-only audit log (the database refuses UPDATE and DELETE).

use sea_orm::entity::prelude::*;

/// The `audit_log` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who acted (`None` for the system).
    pub actor_user_id: Option<i64>,
    /// What was done, e.g. `CALENDAR_SET_DAY`.
    pub action: String,
    /// The kind of object, e.g. `CalendarDay`.
    pub object_type: String,
    /// The object's id.
    pub object_id: String,
    /// JSON details (old and new values); never a password, a token or an unmasked ID number.
    pub detail: String,
    /// `OK` or an error code.
    pub outcome: String,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
