//! Administrative units (Decision 19/2025/QĐ-TTg): provinces (2-digit codes) and communes (5-digit),
//! effective-dated so that later reorganisations add rows instead of rewriting history.

use sea_orm_migration::prelude::*;

/// Creates `administrative_units`.
#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdministrativeUnits {
    Table,
    Code,
    Name,
    NameEn,
    Kind,
    ParentCode,
    ValidFrom,
    SearchText,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdministrativeUnits::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AdministrativeUnits::Code)
                            .string_len(8)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AdministrativeUnits::Name).text().not_null())
                    .col(
                        ColumnDef::new(AdministrativeUnits::NameEn)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdministrativeUnits::Kind)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdministrativeUnits::ParentCode)
                            .string_len(8)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AdministrativeUnits::ValidFrom)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdministrativeUnits::SearchText)
                            .text()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("administrative_units_parent")
                    .table(AdministrativeUnits::Table)
                    .col(AdministrativeUnits::ParentCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AdministrativeUnits::Table).to_owned())
            .await
    }
}
