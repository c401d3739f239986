//! Background work of an API instance: the outbox relay, the scheduled deadline marks, the
//! payment inbox and reconciliation, with housekeeping. Every instance may run them at once: the relay leases rows, the marks are
//! conditional updates, the housekeeping deletes are idempotent.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::cache::FilingCache;
use super::payments::Gateways;
use super::sql::statement;
use crate::config::NotifyConfig;
use crate::error::ApiError;

/// Rate-limit windows are at most minutes long; a day-old one is dead.
const RATE_LIMIT_KEEP_SECS: i64 = 86_400;
/// Idempotency keys are promised for at least 30 days; they are kept 90.
const IDEMPOTENCY_KEEP_SECS: i64 = 90 * 86_400;
/// The change feed is read within a second by every instance; a day is plenty (the history and
/// the notifications are the record).
const FEED_KEEP_SECS: i64 = 86_400;

/// Deletes dead rate-limit windows, idempotency keys past their keeping time and the day-old
/// change feed.
///
/// # Errors
/// A database failure.
pub async fn housekeeping(db: &impl ConnectionTrait, now: i64) -> Result<u64, ApiError> {
    let windows = db
        .execute_raw(statement(
            db,
            "DELETE FROM rate_limits WHERE window_start < ?",
            vec![(now - RATE_LIMIT_KEEP_SECS).into()],
        ))
        .await?
        .rows_affected();
    let keys = db
        .execute_raw(statement(
            db,
            "DELETE FROM idempotency_keys WHERE created_at < ?",
            vec![(now - IDEMPOTENCY_KEEP_SECS).into()],
        ))
        .await?
        .rows_affected();
    let feed = db
        .execute_raw(statement(
            db,
            "DELETE FROM dossier_events WHERE at < ?",
            vec![(now - FEED_KEEP_SECS).into()],
        ))
        .await?
        .rows_affected();
    Ok(windows + keys + feed)
}

/// One pass of the scheduled work.
///
/// # Errors
/// A database failure.
pub async fn tick(
    db: &DatabaseConnection,
    cache: &FilingCache,
    payments: &Gateways,
    now: i64,
) -> Result<(), ApiError> {
    // Callbacks a crash or a failed pass left, then the payments whose gateway owes an answer.
    let applied = super::payments::callback::process_waiting(db, cache, now).await?;
    let queried = super::payments::reconcile::query_due(db, cache, payments, now).await?;
    if applied + queried > 0 {
        tracing::info!(applied, queried, "payment reconciliation");
    }
    let marks = super::dossier::deadlines::mark(db, cache, now).await?;
    if marks != super::dossier::deadlines::Marks::default() {
        tracing::info!(
            due_soon = marks.due_soon,
            overdue = marks.overdue,
            on_track = marks.on_track,
            "deadline marks"
        );
    }
    housekeeping(db, now).await?;
    Ok(())
}

/// Starts this instance's background work, as configured.
///
/// # Errors
/// A malformed notification setting.
pub fn start(
    db: &DatabaseConnection,
    cache: &Arc<FilingCache>,
    payments: &Arc<Gateways>,
    config: &NotifyConfig,
) -> anyhow::Result<()> {
    if config.relay {
        let relay = super::outbox::Relay::new(config)?;
        tracing::info!(?relay, "outbox relay started");
        actix_web::rt::spawn(super::outbox::run(db.clone(), relay));
    }
    if config.jobs {
        let db = db.clone();
        let cache = cache.clone();
        let payments = payments.clone();
        let every = Duration::from_secs(config.jobs_interval_secs);
        actix_web::rt::spawn(async move {
            loop {
                if let Err(e) = tick(&db, &cache, &payments, crate::auth::now()).await {
                    tracing::error!(error = %e, "scheduled jobs failed");
                }
                tokio::time::sleep(every).await;
            }
        });
    }
    Ok(())
}
