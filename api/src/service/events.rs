//! The change feed behind GraphQL subscriptions, across API instances.
//!
//! Every change writes a `dossier_events` row in its own transaction (see `notify::record`), on
//! whichever instance made it. Each instance reads the table every [`POLL`] and broadcasts new
//! rows to its own subscribers, so a subscriber connected to one instance sees changes made
//! through any other, on SQLite or PostgreSQL alike. On PostgreSQL a row's id can become visible
//! after a higher one (sequences are not commit-ordered), so each read looks back a little and
//! remembers what it already sent.

use std::collections::BTreeSet;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::broadcast;

use super::sql::statement;
use crate::error::ApiError;

/// How often the feed is read.
pub const POLL: Duration = Duration::from_millis(200);
/// Ids below the highest seen by more than this are assumed committed long ago.
const LOOK_BACK: i64 = 1_000;

/// One change of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Row id (order of the feed).
    pub id: i64,
    /// The dossier.
    pub dossier_id: String,
    /// Its applicant's account.
    pub applicant_user_id: Option<i64>,
    /// The agency holding it after the change.
    pub handling_agency_id: i64,
    /// The unit it was filed to.
    pub receiving_agency_id: i64,
    /// What happened (`RECEIVED`, `HANDED_OVER`, …).
    pub kind: String,
    /// Status after the change.
    pub status: String,
    /// Version after the change.
    pub version: i64,
    /// Unix seconds.
    pub at: i64,
}

/// This instance's broadcaster of the feed.
#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Change>,
}

impl EventBus {
    /// A bus that nothing feeds (for `export-schema`).
    #[must_use]
    pub fn idle() -> Self {
        let (tx, _) = broadcast::channel(16);
        Self { tx }
    }

    /// Starts reading the feed from now on, in the background of this instance.
    ///
    /// # Errors
    /// A database failure reading where the feed ends.
    pub async fn start(db: DatabaseConnection) -> Result<Self, ApiError> {
        let (tx, _) = broadcast::channel(1024);
        let bus = Self { tx: tx.clone() };
        let start = last_id(&db).await?;
        let mut reader = Reader {
            start,
            high: start,
            sent: BTreeSet::new(),
        };
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(POLL).await;
                match reader.read(&db).await {
                    Ok(changes) => {
                        for c in changes {
                            // No receivers is fine: nobody is subscribed on this instance.
                            let _ = tx.send(c);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "change feed read failed"),
                }
            }
        });
        Ok(bus)
    }

    /// A receiver of every change from now on.
    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.tx.subscribe()
    }
}

async fn last_id(db: &impl ConnectionTrait) -> Result<i64, ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT COALESCE(MAX(id), 0) AS id FROM dossier_events",
            vec![],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "id"))
        .transpose()?
        .unwrap_or(0))
}

/// Where this instance is in the feed.
struct Reader {
    /// Ids up to this one were there before the reader started: never sent.
    start: i64,
    /// The highest id sent.
    high: i64,
    /// Ids sent within the look-back window.
    sent: BTreeSet<i64>,
}

impl Reader {
    async fn read(&mut self, db: &impl ConnectionTrait) -> Result<Vec<Change>, ApiError> {
        let from = (self.high - LOOK_BACK).max(self.start);
        let rows = db
            .query_all_raw(statement(
                db,
                "SELECT id, dossier_id, applicant_user_id, handling_agency_id, \
                 receiving_agency_id, kind, status, version, at FROM dossier_events \
                 WHERE id > ? ORDER BY id LIMIT 5000",
                vec![from.into()],
            ))
            .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("", "id")?;
            if self.sent.contains(&id) {
                continue;
            }
            self.sent.insert(id);
            self.high = self.high.max(id);
            out.push(Change {
                id,
                dossier_id: r.try_get("", "dossier_id")?,
                applicant_user_id: r.try_get("", "applicant_user_id")?,
                handling_agency_id: r.try_get("", "handling_agency_id")?,
                receiving_agency_id: r.try_get("", "receiving_agency_id")?,
                kind: r.try_get("", "kind")?,
                status: r.try_get("", "status")?,
                version: r.try_get("", "version")?,
                at: r.try_get("", "at")?,
            });
        }
        let keep_from = self.high - LOOK_BACK;
        self.sent = self.sent.split_off(&keep_from);
        Ok(out)
    }
}
