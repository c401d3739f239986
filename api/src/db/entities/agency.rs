//! An agency (cơ quan): a People's Committee, a department, a police office… with its electronic ID.

use sea_orm::entity::prelude::*;

/// The `agencies` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agencies")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Electronic ID (mã định danh điện tử, QCVN 102:2016), e.g. `000.00.00.H42`.
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// The catalogue's agency type (`COMMUNE_PEOPLES_COMMITTEE`, `PROVINCIAL_POLICE`, …).
    pub agency_type: String,
    /// `PROVINCE` or `COMMUNE`.
    pub level: String,
    /// The administrative unit it serves (2 or 5 digits).
    pub unit_code: String,
    /// The parent agency, if any.
    pub parent_id: Option<i64>,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
