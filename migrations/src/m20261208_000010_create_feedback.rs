//! Complaints and feedback (phản ánh, kiến nghị; issue 17): filed by anyone (an account, or a name
//! and a contact), routed to the competent agency, with the deadlines counted by the core at
//! receipt; answered, then published without personal data.

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, id, index, text, text_null};

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    About,
    Reference,
    DossierId,
    AgencyId,
    UserId,
    Name,
    Phone,
    Email,
    Subject,
    Content,
    Status,
    ReceivedAt,
    RefuseBy,
    InfoBy,
    ResolveBy,
    AnsweredAt,
    AnsweredBy,
    Answer,
    PublishBy,
    PublishedAt,
    PublicText,
    ClientIp,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .if_not_exists()
                    .col(id(Feedback::Id))
                    .col(text(Feedback::About))
                    .col(text(Feedback::Reference))
                    .col(text_null(Feedback::DossierId))
                    .col(big(Feedback::AgencyId))
                    .col(big_null(Feedback::UserId))
                    .col(text(Feedback::Name))
                    .col(text_null(Feedback::Phone))
                    .col(text_null(Feedback::Email))
                    .col(text(Feedback::Subject))
                    .col(text(Feedback::Content))
                    .col(text(Feedback::Status))
                    .col(big(Feedback::ReceivedAt))
                    .col(big(Feedback::RefuseBy))
                    .col(big(Feedback::InfoBy))
                    .col(big(Feedback::ResolveBy))
                    .col(big_null(Feedback::AnsweredAt))
                    .col(big_null(Feedback::AnsweredBy))
                    .col(text_null(Feedback::Answer))
                    .col(big_null(Feedback::PublishBy))
                    .col(big_null(Feedback::PublishedAt))
                    .col(text_null(Feedback::PublicText))
                    .col(text_null(Feedback::ClientIp))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "feedback_agency_status",
            Feedback::Table,
            &["agency_id", "status"],
            false,
        )
        .await?;
        index(
            manager,
            "feedback_resolve_by",
            Feedback::Table,
            &["resolve_by"],
            false,
        )
        .await?;
        index(
            manager,
            "feedback_published",
            Feedback::Table,
            &["published_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Feedback::Table).if_exists().to_owned())
            .await
    }
}
