//! Satisfaction surveys (issue 17): one per dossier (`dossier_id` is unique), by its applicant,
//! with the agencies and officials who handled it, so that the index counts them per agency and
//! commune and a leader can follow a poor score to the people behind it.

use sea_orm_migration::prelude::*;

use crate::columns::{big, id, index, text, text_null};

#[derive(DeriveIden)]
enum SatisfactionSurveys {
    Table,
    Id,
    DossierId,
    UserId,
    ReceivingAgencyId,
    CompetentAgencyId,
    UnitCode,
    Officials,
    Indicators,
    Points,
    Convenience,
    Overall,
    Comment,
    CreatedAt,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SatisfactionSurveys::Table)
                    .if_not_exists()
                    .col(id(SatisfactionSurveys::Id))
                    .col(text(SatisfactionSurveys::DossierId))
                    .col(big(SatisfactionSurveys::UserId))
                    .col(big(SatisfactionSurveys::ReceivingAgencyId))
                    .col(big(SatisfactionSurveys::CompetentAgencyId))
                    .col(text(SatisfactionSurveys::UnitCode))
                    .col(text(SatisfactionSurveys::Officials))
                    .col(text(SatisfactionSurveys::Indicators))
                    .col(big(SatisfactionSurveys::Points))
                    .col(text(SatisfactionSurveys::Convenience))
                    .col(text(SatisfactionSurveys::Overall))
                    .col(text_null(SatisfactionSurveys::Comment))
                    .col(big(SatisfactionSurveys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "satisfaction_dossier",
            SatisfactionSurveys::Table,
            &["dossier_id"],
            true,
        )
        .await?;
        index(
            manager,
            "satisfaction_agency_time",
            SatisfactionSurveys::Table,
            &["competent_agency_id", "created_at"],
            false,
        )
        .await?;
        index(
            manager,
            "satisfaction_unit_time",
            SatisfactionSurveys::Table,
            &["unit_code", "created_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(SatisfactionSurveys::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
