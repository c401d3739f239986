//! How an account's identity was established (SECURITY.md Z4): `SELF_DECLARED` at registration,
//! `NATIONAL_LOGIN` through the national identity issuer, `DESK_CHECKED` by a clerk who saw the
//! person's papers. Desk and postal dossiers, and documents, are linked only to verified accounts.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Users {
    Table,
    IdentityLevel,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::IdentityLevel)
                            .text()
                            .not_null()
                            .default("SELF_DECLARED"),
                    )
                    .to_owned(),
            )
            .await?;
        // Accounts that already signed in through the national login are verified by it.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE users SET identity_level = 'NATIONAL_LOGIN' \
                 WHERE id IN (SELECT user_id FROM identity_links)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::IdentityLevel)
                    .to_owned(),
            )
            .await
    }
}
