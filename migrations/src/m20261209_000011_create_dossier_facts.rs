//! The Decision 766 index's facts, one row per filed dossier (issue 17): the instants of the
//! events the index counts and the core's judgement of each (received in time, late), refreshed
//! in the transaction of every change to the dossier. The index of a province-year is then one
//! pass over narrow rows instead of a walk through every dossier's history; `motcua kpi rebuild`
//! recomputes them from the event log and reports any row that differs.
//!
//! `dossiers.intake_by` keeps the intake deadline the core gave at filing (the end of the next
//! working day), so a later correction of the calendar does not move a dossier's standing.

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, index, text};

#[derive(DeriveIden)]
enum DossierFacts {
    Table,
    DossierId,
    CompetentAgencyId,
    ReceivingAgencyId,
    ProcedureCode,
    /// 1 when filed online.
    Online,
    FiledAt,
    ReceivedAt,
    /// 1 when received by the intake deadline.
    ReceivedInTime,
    /// 1 when filed online or with documents scanned at the desk.
    Digitised,
    /// The first event that ended processing.
    FinishedAt,
    /// 1 when that event was a result (resolved or returned).
    WithResult,
    /// 1 when the result is an electronic file.
    ResultElectronic,
    /// The due date before any apology moved it (Unix seconds).
    DueAt,
    /// 1 when finished after `due_at`.
    Late,
    /// The first apology.
    ApologisedAt,
    PaidAt,
    /// 1 when the fee was paid through a gateway.
    PaidOnline,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    IntakeBy,
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
                    .add_column(ColumnDef::new(Dossiers::IntakeBy).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierFacts::Table)
                    .if_not_exists()
                    .col(text(DossierFacts::DossierId).primary_key())
                    .col(big(DossierFacts::CompetentAgencyId))
                    .col(big(DossierFacts::ReceivingAgencyId))
                    .col(text(DossierFacts::ProcedureCode))
                    .col(big(DossierFacts::Online))
                    .col(big(DossierFacts::FiledAt))
                    .col(big_null(DossierFacts::ReceivedAt))
                    .col(big(DossierFacts::ReceivedInTime))
                    .col(big(DossierFacts::Digitised))
                    .col(big_null(DossierFacts::FinishedAt))
                    .col(big(DossierFacts::WithResult))
                    .col(big(DossierFacts::ResultElectronic))
                    .col(big_null(DossierFacts::DueAt))
                    .col(big(DossierFacts::Late))
                    .col(big_null(DossierFacts::ApologisedAt))
                    .col(big_null(DossierFacts::PaidAt))
                    .col(big(DossierFacts::PaidOnline))
                    .to_owned(),
            )
            .await?;
        // The drill-down lists of one agency read by agency and instant; the province's report
        // reads the table whole.
        for (name, cols) in [
            (
                "dossier_facts_agency_filed",
                &["competent_agency_id", "filed_at"][..],
            ),
            (
                "dossier_facts_receiving",
                &["receiving_agency_id", "filed_at"][..],
            ),
            ("dossier_facts_finished", &["finished_at"][..]),
        ] {
            index(manager, name, DossierFacts::Table, cols, false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(DossierFacts::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .drop_column(Dossiers::IntakeBy)
                    .to_owned(),
            )
            .await
    }
}
