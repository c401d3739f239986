//! Processing after intake: who holds a dossier, the control sheet (form 06), pauses, payment,
//! the result, deadline marks; the notification outbox, in-app notifications and the change feed
//! that subscriptions read.

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, id, index, text, text_null};

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    /// The agency holding the dossier now (liên thông); the competent agency until handed over.
    HandlingAgencyId,
    /// The official holding it, when one was named.
    HandlerUserId,
    /// When the clock was stopped (supplement during processing, payment); null when running.
    PausedSince,
    /// Closed pauses `[[from, to], …]` (Unix seconds), fed to the core's due-date computation.
    Pauses,
    /// `ON_TRACK`, `DUE_SOON` (due within one working day) or `OVERDUE`, set by the scheduled job.
    DeadlineState,
    /// The due date given at intake, before any re-dating (form 04).
    OriginalDueAt,
    /// Amount asked for (VND), from the core's quote.
    PaymentAmount,
    /// When the payment was recorded.
    PaidAt,
    /// The receipt number (biên lai) of the recorded payment.
    PaymentRef,
    /// The electronic result file.
    ResultAttachmentId,
    /// `ONLINE`, `DESK` or `POST`.
    ReturnMethod,
}

#[derive(DeriveIden)]
enum DossierSteps {
    Table,
    Id,
    DossierId,
    FromUserId,
    FromAgencyId,
    ToUserId,
    ToAgencyId,
    HandedAt,
    StepDueAt,
    CompletedAt,
    Result,
    Note,
    Outcome,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    EventKey,
    DossierId,
    Channel,
    Recipient,
    Subject,
    Body,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    LeaseToken,
    LeaseUntil,
    DeliveredAt,
    LastError,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    DossierId,
    Kind,
    TitleVi,
    BodyVi,
    TitleEn,
    BodyEn,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum DossierEvents {
    Table,
    Id,
    DossierId,
    ApplicantUserId,
    HandlingAgencyId,
    ReceivingAgencyId,
    Kind,
    Status,
    Version,
    At,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        let columns = [
            big_null(Dossiers::HandlingAgencyId),
            big_null(Dossiers::HandlerUserId),
            big_null(Dossiers::PausedSince),
            text_null(Dossiers::Pauses),
            text(Dossiers::DeadlineState).default("ON_TRACK").to_owned(),
            text_null(Dossiers::OriginalDueAt),
            big_null(Dossiers::PaymentAmount),
            big_null(Dossiers::PaidAt),
            text_null(Dossiers::PaymentRef),
            text_null(Dossiers::ResultAttachmentId),
            text_null(Dossiers::ReturnMethod),
        ];
        for mut column in columns {
            if manager
                .has_column("dossiers", &column.get_column_name())
                .await?
            {
                continue;
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(Dossiers::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        index(
            manager,
            "dossiers_handling",
            Dossiers::Table,
            &["handling_agency_id", "status"],
            false,
        )
        .await?;
        index(
            manager,
            "dossiers_deadline",
            Dossiers::Table,
            &["status", "deadline_state", "due_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DossierSteps::Table)
                    .if_not_exists()
                    .col(id(DossierSteps::Id))
                    .col(text(DossierSteps::DossierId))
                    .col(big_null(DossierSteps::FromUserId))
                    .col(big(DossierSteps::FromAgencyId))
                    .col(big_null(DossierSteps::ToUserId))
                    .col(big(DossierSteps::ToAgencyId))
                    .col(big(DossierSteps::HandedAt))
                    .col(text_null(DossierSteps::StepDueAt))
                    .col(big_null(DossierSteps::CompletedAt))
                    .col(text_null(DossierSteps::Result))
                    .col(text_null(DossierSteps::Note))
                    .col(text_null(DossierSteps::Outcome))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "dossier_steps_dossier",
            DossierSteps::Table,
            &["dossier_id", "id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(text(Outbox::Id).primary_key().to_owned())
                    .col(text(Outbox::EventKey).unique_key().to_owned())
                    .col(text_null(Outbox::DossierId))
                    .col(text(Outbox::Channel))
                    .col(text(Outbox::Recipient))
                    .col(text(Outbox::Subject))
                    .col(text(Outbox::Body))
                    .col(big(Outbox::CreatedAt))
                    .col(big(Outbox::Attempts).default(0).to_owned())
                    .col(big(Outbox::NextAttemptAt))
                    .col(text_null(Outbox::LeaseToken))
                    .col(big_null(Outbox::LeaseUntil))
                    .col(big_null(Outbox::DeliveredAt))
                    .col(text_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "outbox_due",
            Outbox::Table,
            &["delivered_at", "next_attempt_at"],
            false,
        )
        .await?;
        index(
            manager,
            "outbox_lease",
            Outbox::Table,
            &["lease_token"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .if_not_exists()
                    .col(text(Notifications::Id).primary_key().to_owned())
                    .col(big(Notifications::UserId))
                    .col(text_null(Notifications::DossierId))
                    .col(text(Notifications::Kind))
                    .col(text(Notifications::TitleVi))
                    .col(text(Notifications::BodyVi))
                    .col(text(Notifications::TitleEn))
                    .col(text(Notifications::BodyEn))
                    .col(big(Notifications::CreatedAt))
                    .col(big_null(Notifications::ReadAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "notifications_user",
            Notifications::Table,
            &["user_id", "created_at"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DossierEvents::Table)
                    .if_not_exists()
                    .col(id(DossierEvents::Id))
                    .col(text(DossierEvents::DossierId))
                    .col(big_null(DossierEvents::ApplicantUserId))
                    .col(big(DossierEvents::HandlingAgencyId))
                    .col(big(DossierEvents::ReceivingAgencyId))
                    .col(text(DossierEvents::Kind))
                    .col(text(DossierEvents::Status))
                    .col(big(DossierEvents::Version))
                    .col(big(DossierEvents::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "dossier_events_at",
            DossierEvents::Table,
            &["at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DossierEvents::Table.into_iden(),
            Notifications::Table.into_iden(),
            Outbox::Table.into_iden(),
            DossierSteps::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
