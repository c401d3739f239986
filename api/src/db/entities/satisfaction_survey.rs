//! A dossier's satisfaction survey, answered once by its applicant.

use sea_orm::entity::prelude::*;

/// The `satisfaction_surveys` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "satisfaction_surveys")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The dossier (unique: one survey each).
    pub dossier_id: String,
    /// Who answered (the applicant).
    pub user_id: i64,
    /// The unit it was filed to.
    pub receiving_agency_id: i64,
    /// The agency competent for it.
    pub competent_agency_id: i64,
    /// The receiving unit's administrative unit (the commune, for the index by commune).
    pub unit_code: String,
    /// JSON array of the officials who acted on it.
    pub officials: String,
    /// JSON array of the nine indicators (2, 1 or 0).
    pub indicators: String,
    /// Their sum (0–18).
    pub points: i64,
    /// `VERY_SATISFIED`, `SATISFIED` or `UNSATISFIED`.
    pub convenience: String,
    /// The same, overall.
    pub overall: String,
    /// The applicant's words.
    pub comment: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
