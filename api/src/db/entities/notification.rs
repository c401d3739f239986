//! An in-app notification (the portal's bell), in Vietnamese and English.

use sea_orm::entity::prelude::*;

/// The `notifications` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    /// UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Whose bell.
    pub user_id: i64,
    /// The dossier it is about.
    pub dossier_id: Option<String>,
    /// The event kind (`RECEIVED`, `DUE_SOON`, …).
    pub kind: String,
    /// Title in Vietnamese.
    pub title_vi: String,
    /// Text in Vietnamese.
    pub body_vi: String,
    /// Title in English.
    pub title_en: String,
    /// Text in English.
    pub body_en: String,
    /// Unix seconds.
    pub created_at: i64,
    /// When the user marked it read.
    pub read_at: Option<i64>,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
