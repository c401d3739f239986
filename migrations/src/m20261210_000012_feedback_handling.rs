//! Complaints handled beyond the answer (issue 17): refused with a reason, information asked of
//! the author and their reply (the answer's deadline counted again from it), and the author's
//! rating of the answer.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Feedback {
    Table,
    RefusalReason,
    InfoRequest,
    InfoRequestedAt,
    InfoReply,
    InfoRepliedAt,
    Rating,
    RatedAt,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for col in [
            ColumnDef::new(Feedback::RefusalReason)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Feedback::InfoRequest)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(Feedback::InfoRequestedAt)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Feedback::InfoReply).text().null().to_owned(),
            ColumnDef::new(Feedback::InfoRepliedAt)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(Feedback::Rating).text().null().to_owned(),
            ColumnDef::new(Feedback::RatedAt)
                .big_integer()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Feedback::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            Feedback::RefusalReason,
            Feedback::InfoRequest,
            Feedback::InfoRequestedAt,
            Feedback::InfoReply,
            Feedback::InfoRepliedAt,
            Feedback::Rating,
            Feedback::RatedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Feedback::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
