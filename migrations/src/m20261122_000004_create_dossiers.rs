//! Dossiers, their append-only history, per-unit daily code sequences, idempotency records and
//! attachments.

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, index, text, text_null};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Creates the dossier tables.
#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    Code,
    ProcedureCode,
    ProcedureVersionId,
    ApplicantUserId,
    ApplicantName,
    ApplicantIdNumber,
    FiledByUserId,
    Channel,
    ReceivingAgencyId,
    CompetentAgencyId,
    Status,
    StatusCode,
    FormData,
    FeeTotal,
    FeeQuote,
    SubmittedAt,
    ReceivedAt,
    DueAt,
    DueDetail,
    SupplementCount,
    RedateCount,
    Missing,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DossierHistory {
    Table,
    Id,
    DossierId,
    At,
    ActorUserId,
    Role,
    Action,
    FromStatus,
    ToStatus,
    Reason,
    Detail,
}

#[derive(DeriveIden)]
enum DossierSequences {
    Table,
    AgencyId,
    Day,
    Last,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Key,
    RequestHash,
    DossierId,
    Response,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    OwnerUserId,
    DossierId,
    ComponentId,
    ContentType,
    Size,
    Sha256,
    OriginalName,
    StorageKey,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Dossiers::Table)
                    .if_not_exists()
                    .col(text(Dossiers::Id).primary_key().to_owned())
                    .col(text_null(Dossiers::Code).unique_key().to_owned())
                    .col(text(Dossiers::ProcedureCode))
                    .col(big(Dossiers::ProcedureVersionId))
                    .col(big_null(Dossiers::ApplicantUserId))
                    .col(text(Dossiers::ApplicantName))
                    .col(text(Dossiers::ApplicantIdNumber))
                    .col(big(Dossiers::FiledByUserId))
                    .col(big(Dossiers::Channel))
                    .col(big(Dossiers::ReceivingAgencyId))
                    .col(big(Dossiers::CompetentAgencyId))
                    .col(text(Dossiers::Status))
                    .col(big(Dossiers::StatusCode))
                    .col(text(Dossiers::FormData))
                    .col(big_null(Dossiers::FeeTotal))
                    .col(text_null(Dossiers::FeeQuote))
                    .col(big_null(Dossiers::SubmittedAt))
                    .col(big_null(Dossiers::ReceivedAt))
                    .col(text_null(Dossiers::DueAt))
                    .col(text_null(Dossiers::DueDetail))
                    .col(big(Dossiers::SupplementCount).default(0).to_owned())
                    .col(big(Dossiers::RedateCount).default(0).to_owned())
                    .col(text_null(Dossiers::Missing))
                    .col(big(Dossiers::Version).default(1).to_owned())
                    .col(big(Dossiers::CreatedAt))
                    .col(big(Dossiers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "dossiers_receiving",
            Dossiers::Table,
            &["receiving_agency_id", "status", "submitted_at"],
            false,
        )
        .await?;
        index(
            manager,
            "dossiers_competent",
            Dossiers::Table,
            &["competent_agency_id", "status"],
            false,
        )
        .await?;
        index(
            manager,
            "dossiers_applicant",
            Dossiers::Table,
            &["applicant_user_id", "created_at"],
            false,
        )
        .await?;
        index(
            manager,
            "dossiers_filed_by",
            Dossiers::Table,
            &["filed_by_user_id", "created_at"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierHistory::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(DossierHistory::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(text(DossierHistory::DossierId))
                    .col(big(DossierHistory::At))
                    .col(big_null(DossierHistory::ActorUserId))
                    .col(text(DossierHistory::Role))
                    .col(text(DossierHistory::Action))
                    .col(text(DossierHistory::FromStatus))
                    .col(text(DossierHistory::ToStatus))
                    .col(text_null(DossierHistory::Reason))
                    .col(text(DossierHistory::Detail))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierHistory::Table, DossierHistory::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "dossier_history_dossier",
            DossierHistory::Table,
            &["dossier_id", "id"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierSequences::Table)
                    .if_not_exists()
                    .col(big(DossierSequences::AgencyId))
                    .col(text(DossierSequences::Day))
                    .col(big(DossierSequences::Last))
                    .primary_key(
                        Index::create()
                            .col(DossierSequences::AgencyId)
                            .col(DossierSequences::Day),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .if_not_exists()
                    .col(big(IdempotencyKeys::UserId))
                    .col(text(IdempotencyKeys::Key))
                    .col(text(IdempotencyKeys::RequestHash))
                    .col(text(IdempotencyKeys::DossierId))
                    .col(text(IdempotencyKeys::Response))
                    .col(big(IdempotencyKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::UserId)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .if_not_exists()
                    .col(text(Attachments::Id).primary_key().to_owned())
                    .col(big(Attachments::OwnerUserId))
                    .col(text_null(Attachments::DossierId))
                    .col(text_null(Attachments::ComponentId))
                    .col(text(Attachments::ContentType))
                    .col(big(Attachments::Size))
                    .col(text(Attachments::Sha256))
                    .col(text(Attachments::OriginalName))
                    .col(text(Attachments::StorageKey))
                    .col(big(Attachments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "attachments_dossier",
            Attachments::Table,
            &["dossier_id"],
            false,
        )
        .await?;
        index(
            manager,
            "attachments_owner",
            Attachments::Table,
            &["owner_user_id", "created_at"],
            false,
        )
        .await?;
        // The history is append-only (rulebook section 2: every transition is recorded).
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TRIGGER IF NOT EXISTS dossier_history_no_update BEFORE UPDATE ON dossier_history \
                     BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END; \
                     CREATE TRIGGER IF NOT EXISTS dossier_history_no_delete BEFORE DELETE ON dossier_history \
                     BEGIN SELECT RAISE(ABORT, 'dossier_history is append-only'); END;",
                )
                .await?;
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS dossier_history_append_only ON dossier_history; \
                     CREATE TRIGGER dossier_history_append_only BEFORE UPDATE OR DELETE ON dossier_history \
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
                )
                .await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attachments::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            DossierSequences::Table.into_iden(),
            DossierHistory::Table.into_iden(),
            Dossiers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
