//! A province or a commune.

use sea_orm::entity::prelude::*;

/// The `administrative_units` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "administrative_units")]
pub struct Model {
    /// 2 digits for a province, 5 for a commune.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name (without diacritics).
    pub name_en: String,
    /// `CITY`, `PROVINCE`, `WARD`, `COMMUNE`, `SPECIAL_ZONE`.
    pub kind: String,
    /// The province of a commune.
    pub parent_code: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// Folded name for search.
    pub search_text: String,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
