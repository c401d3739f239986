//! A province's extra day off or make-up working day, on top of the core's calendar.

use sea_orm::entity::prelude::*;

/// The `calendar_adjustments` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_adjustments")]
pub struct Model {
    /// `YYYY-MM-DD`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub date: String,
    /// `DAY_OFF` or `WORKING_DAY`.
    pub kind: String,
    /// Vietnamese reason shown to users.
    pub name_vi: String,
    /// English reason.
    pub name_en: String,
    /// The official who set it.
    pub created_by: i64,
    /// Unix seconds.
    pub created_at: i64,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
