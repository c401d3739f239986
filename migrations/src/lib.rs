#![doc = include_str!("../README.md")]

mod columns;
mod m20261122_000001_create_catalog;
mod m20261122_000002_create_administrative_units;
mod m20261122_000003_create_accounts;
mod m20261122_000004_create_dossiers;
mod m20261122_000005_create_processing;
mod m20261204_000006_identity_level;
mod m20261205_000007_dossier_applicant_search;
mod m20261206_000008_create_payments;
mod m20261207_000009_create_satisfaction;
mod m20261208_000010_create_feedback;
mod m20261209_000011_create_dossier_facts;
mod m20261210_000012_feedback_handling;

pub use sea_orm_migration::prelude::MigratorTrait;
use sea_orm_migration::prelude::*;

/// Every migration, in order. One set for SQLite and PostgreSQL.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_catalog::Migration),
            Box::new(m20261122_000002_create_administrative_units::Migration),
            Box::new(m20261122_000003_create_accounts::Migration),
            Box::new(m20261122_000004_create_dossiers::Migration),
            Box::new(m20261122_000005_create_processing::Migration),
            Box::new(m20261204_000006_identity_level::Migration),
            Box::new(m20261205_000007_dossier_applicant_search::Migration),
            Box::new(m20261206_000008_create_payments::Migration),
            Box::new(m20261207_000009_create_satisfaction::Migration),
            Box::new(m20261208_000010_create_feedback::Migration),
            Box::new(m20261209_000011_create_dossier_facts::Migration),
            Box::new(m20261210_000012_feedback_handling::Migration),
        ]
    }
}
