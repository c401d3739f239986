//! What one action after filing changes: the columns it sets (through the dossier's entity), the
//! details of its history row, the control sheet and the notice it sends. Each operation file adds
//! its own effects to a [`Change`]; `act` writes it in one transaction.

use motcua_core::dossier::Status;
use sea_orm::{DatabaseConnection, Set};
use serde_json::{Map, Value, json};

use super::super::cache::FilingCache;
use super::super::notify::Kind;
use super::super::problem::Outcome;
use super::repo::steps::SheetChange;
use super::rules::{due_for, explain, pauses_of};
use crate::auth::Principal;
use crate::db::entities::dossier;
use crate::error::ApiError;

/// What an effect answers: the notice to send, or the problems the caller must fix.
pub(crate) type Effect = Result<Outcome<Kind>, ApiError>;

/// Everything an effect may read.
pub(crate) struct Ctx<'a> {
    /// The database (read-only here: writes happen in `act`'s transaction).
    pub db: &'a DatabaseConnection,
    /// Procedures and the calendar.
    pub cache: &'a FilingCache,
    /// The caller.
    pub p: &'a Principal,
    /// The dossier as read.
    pub d: &'a dossier::Model,
    /// Unix seconds.
    pub now: i64,
}

/// The change being built.
pub(crate) struct Change {
    /// The columns to set (the status, its code and `updated_at` always).
    pub row: dossier::ActiveModel,
    /// The history row's details.
    pub detail: Map<String, Value>,
    /// The control sheet.
    pub sheet: SheetChange,
}

impl Change {
    /// A move to `next` at `now`, with the trimmed reason in the details.
    pub fn new(next: Status, now: i64, reason: Option<&str>) -> Self {
        let mut detail = Map::new();
        if let Some(r) = reason {
            detail.insert("reason".to_owned(), json!(r.trim()));
        }
        Self {
            row: dossier::ActiveModel {
                status: Set(next.as_str().to_owned()),
                status_code: Set(i64::from(next.national_code())),
                updated_at: Set(now),
                ..Default::default()
            },
            detail,
            sheet: SheetChange::default(),
        }
    }

    /// Adds a detail.
    pub fn note(&mut self, key: &str, value: Value) {
        self.detail.insert(key.to_owned(), value);
    }

    /// Closes the pause the dossier is in (supplement during processing, payment), if any, and
    /// recomputes its due date by the pause — unless a leader re-set it (form 04), which stands.
    ///
    /// # Errors
    /// A database failure.
    pub async fn resume(&mut self, ctx: &Ctx<'_>) -> Result<(), ApiError> {
        let d = ctx.d;
        let Some(since) = d.paused_since else {
            return Ok(());
        };
        let (mut raw, _) = pauses_of(d.pauses.as_deref());
        raw.push([since, ctx.now]);
        let stored = json!(raw).to_string();
        self.row.paused_since = Set(None);
        self.row.pauses = Set(Some(stored.clone()));
        self.note("pausedFrom", json!(crate::clock::rfc3339(since)));
        if d.redate_count > 0 {
            return Ok(());
        }
        let (Some(received), Some(old)) = (d.received_at, d.due_at.as_deref()) else {
            return Ok(());
        };
        let procedure = ctx.cache.version(ctx.db, d.procedure_version_id).await?;
        let calendar = ctx.cache.calendar(ctx.db).await?;
        let (_, pauses) = pauses_of(Some(&stored));
        let due = due_for(&procedure, d.channel, received, &calendar, pauses)?;
        let text = due.due_at.to_rfc3339();
        self.row.due_detail = Set(Some(explain(&procedure, d.channel, &due).to_string()));
        if text != old {
            self.note("oldDueAt", json!(old));
            self.note("dueAt", json!(text));
            self.row.due_at = Set(Some(text));
        }
        Ok(())
    }
}
