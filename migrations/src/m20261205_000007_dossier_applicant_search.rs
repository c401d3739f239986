//! The applicant's name folded for search (lower case, without diacritics, `motcua_core::text::fold`)
//! so that officials find "Nguyễn Văn An" by typing "nguyen van an". Rows filed before this column
//! are filled by the API when it starts (the fold is the core's, which migrations do not link).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    ApplicantSearch,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .add_column(
                        ColumnDef::new(Dossiers::ApplicantSearch)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .drop_column(Dossiers::ApplicantSearch)
                    .to_owned(),
            )
            .await
    }
}
