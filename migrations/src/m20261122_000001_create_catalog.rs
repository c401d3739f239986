//! The procedure catalogue: procedures and their versions (form + fees + times, as loaded by the
//! core), written for both SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

/// Creates `procedures` and `procedure_versions`.
#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Procedures {
    Table,
    Code,
    NameVi,
    NameEn,
    FieldVi,
    FieldEn,
    Level,
    AgencyType,
    OnlineMode,
    SearchText,
}

#[derive(DeriveIden)]
enum ProcedureVersions {
    Table,
    Id,
    ProcedureCode,
    Version,
    EffectiveFrom,
    Published,
    Definition,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Procedures::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Procedures::Code)
                            .string_len(16)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Procedures::NameVi).text().not_null())
                    .col(ColumnDef::new(Procedures::NameEn).text().not_null())
                    .col(ColumnDef::new(Procedures::FieldVi).text().not_null())
                    .col(ColumnDef::new(Procedures::FieldEn).text().not_null())
                    .col(ColumnDef::new(Procedures::Level).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Procedures::AgencyType)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Procedures::OnlineMode)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Procedures::SearchText).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProcedureVersions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ProcedureVersions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::ProcedureCode)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::Version)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::EffectiveFrom)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::Published)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::Definition)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProcedureVersions::CreatedAt)
                            .string_len(40)
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProcedureVersions::Table, ProcedureVersions::ProcedureCode)
                            .to(Procedures::Table, Procedures::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("procedure_versions_code_version")
                    .table(ProcedureVersions::Table)
                    .col(ProcedureVersions::ProcedureCode)
                    .col(ProcedureVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProcedureVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Procedures::Table).to_owned())
            .await
    }
}
