//! A version of a procedure's catalogue entry (form, fees, times, components).

use sea_orm::entity::prelude::*;

/// The `procedure_versions` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_versions")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The procedure.
    pub procedure_code: String,
    /// The form's version name.
    pub version: String,
    /// `YYYY-MM-DD` the version takes effect.
    pub effective_from: String,
    /// Whether it is published.
    pub published: bool,
    /// The catalogue entry, as checked JSON text.
    pub definition: String,
    /// RFC 3339.
    pub created_at: String,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
