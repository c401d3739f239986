//! A procedure of the catalogue (one row per national code).

use sea_orm::entity::prelude::*;

/// The `procedures` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedures")]
pub struct Model {
    /// National procedure code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Field (lĩnh vực), Vietnamese.
    pub field_vi: String,
    /// Field, English.
    pub field_en: String,
    /// `CENTRAL`, `PROVINCE`, `COMMUNE`.
    pub level: String,
    /// Kind of competent agency.
    pub agency_type: String,
    /// `FULL`, `PARTIAL`, `NONE`.
    pub online_mode: String,
    /// Folded names for diacritics-insensitive search.
    pub search_text: String,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
