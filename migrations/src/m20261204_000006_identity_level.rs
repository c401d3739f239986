//! How an account's identity was established (SECURITY.md Z4): `SELF_DECLARED` at registration,
//! `NATIONAL_LOGIN` through the national identity issuer, `DESK_CHECKED` by a clerk who saw the
//! person's papers. Desk and postal dossiers, and documents, are linked only to verified accounts.
//! A desk check needs a one-time code the person shows from their signed-in account, kept hashed
//! in `identity_checks`.

use sea_orm_migration::prelude::*;

use crate::columns::{big, text};

#[derive(DeriveIden)]
enum IdentityChecks {
    Table,
    /// The account asking to be checked (one open code per account).
    UserId,
    /// SHA-256 of the code.
    CodeHash,
    /// Unix seconds.
    ExpiresAt,
    /// Wrong codes tried; the code is void after five.
    Attempts,
}

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
        manager
            .create_table(
                Table::create()
                    .table(IdentityChecks::Table)
                    .if_not_exists()
                    .col(big(IdentityChecks::UserId).primary_key())
                    .col(text(IdentityChecks::CodeHash))
                    .col(big(IdentityChecks::ExpiresAt))
                    .col(big(IdentityChecks::Attempts))
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
            .drop_table(
                Table::drop()
                    .table(IdentityChecks::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
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
