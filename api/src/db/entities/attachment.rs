//! A document attached to a dossier (or kept in the applicant's store for reuse).

use sea_orm::entity::prelude::*;

/// The `attachments` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    /// Server-made UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Who uploaded it (the applicant, or a clerk filing on behalf).
    pub owner_user_id: i64,
    /// The dossier it belongs to.
    pub dossier_id: Option<String>,
    /// The dossier component (thành phần hồ sơ) it satisfies.
    pub component_id: Option<String>,
    /// `application/pdf`, `image/jpeg` or `image/png`, from the content.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: String,
    /// The user's file name: display metadata only, never a path.
    pub original_name: String,
    /// Server-made storage key (a UUID).
    pub storage_key: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
