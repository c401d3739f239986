//! One row of the control sheet (form 06): a hand-over from one official or unit to another.

use sea_orm::entity::prelude::*;

/// The `dossier_steps` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossier_steps")]
pub struct Model {
    /// Row id (the order of the sheet).
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The dossier.
    pub dossier_id: String,
    /// Who handed it over (null: the one-stop desk as a unit).
    pub from_user_id: Option<i64>,
    /// The giver's agency.
    pub from_agency_id: i64,
    /// The official who received it, when one was named.
    pub to_user_id: Option<i64>,
    /// The receiving agency.
    pub to_agency_id: i64,
    /// Unix seconds.
    pub handed_at: i64,
    /// The step's deadline (RFC 3339, +07:00).
    pub step_due_at: Option<String>,
    /// When the receiver finished the step (handed on, resolved, returned).
    pub completed_at: Option<i64>,
    /// What the step produced ("Đã chuyển", "Đã giải quyết", …).
    pub result: Option<String>,
    /// The giver's note.
    pub note: Option<String>,
    /// `EARLY`, `ON_TIME` or `LATE`, once completed.
    pub outcome: Option<String>,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
