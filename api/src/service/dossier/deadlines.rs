//! Deadlines in practice: the scheduled marking of dossiers due within one working day and
//! overdue, and the recomputation of open dossiers' due dates when the calendar changes.
//!
//! Both are safe with several API instances: marks are conditional updates (only the instance
//! whose update changed the row tells anyone), and recomputation runs inside the calendar
//! change's own transaction.

use motcua_core::calendar::WorkingCalendar;
use motcua_core::deadline::{DeadlineState, after_working_days};
use motcua_core::dossier::{Role, Status};
use sea_orm::{Condition, ConnectionTrait, DatabaseConnection, Set, TransactionTrait};
use serde_json::{Value, json};

use super::super::cache::FilingCache;
use super::super::notify::{self, Kind};
use super::repo::{self, history};
use super::rules::{due_for, explain, local_now, pauses_of, status_of};
use super::work::OPEN;
use crate::db::entities::dossier;
use crate::error::ApiError;

/// Statuses whose clock runs (a paused dossier is neither due soon nor overdue while it waits).
const RUNNING: [Status; 2] = [Status::Received, Status::Processing];

/// The history action of a recomputed due date: not a transition, so not in the core's table;
/// recorded through the same column with this name.
const RECOMPUTE: history::HistoryAction = history::HistoryAction::Named("RECOMPUTE_DUE");

/// What one pass of the marking job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// Newly due within one working day.
    pub due_soon: u64,
    /// Newly overdue.
    pub overdue: u64,
    /// Back on track (re-dated, or the calendar gave more time).
    pub on_track: u64,
}

/// Marks running dossiers `DUE_SOON` (due within one working day of `now`) or `OVERDUE`, and
/// tells the officials holding them, once per change.
///
/// # Errors
/// A database failure.
pub async fn mark(
    db: &DatabaseConnection,
    cache: &FilingCache,
    now: i64,
) -> Result<Marks, ApiError> {
    let calendar = cache.calendar(db).await?;
    let now = local_now(now);
    let horizon = after_working_days(now, 1, &calendar)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("due-soon horizon: {e}")))?;
    let mut marks = Marks::default();
    for (id, due, state) in repo::deadline_candidates(db, &RUNNING, &horizon.to_rfc3339()).await? {
        let Ok(due_at) = chrono::DateTime::parse_from_rfc3339(&due) else {
            continue;
        };
        let wanted = DeadlineState::of(due_at, now, horizon);
        if wanted.as_str() == state {
            continue;
        }
        let txn = db.begin().await?;
        if repo::mark_deadline(&txn, &id, (&state, wanted.as_str()), &due).await? {
            let kind = match wanted {
                DeadlineState::Overdue => {
                    marks.overdue += 1;
                    Some(Kind::Overdue)
                }
                DeadlineState::DueSoon => {
                    marks.due_soon += 1;
                    Some(Kind::DueSoon)
                }
                DeadlineState::OnTrack => {
                    marks.on_track += 1;
                    None
                }
            };
            if let Some(kind) = kind
                && let Some(d) = repo::find(&txn, &id).await?
            {
                notify::record(&txn, &d, kind, &json!({})).await?;
            }
        }
        txn.commit().await?;
    }
    Ok(marks)
}

/// Recomputes, inside `txn` and with `calendar` (the calendar after the change), the due date of
/// every open dossier whose clock started and whose date the leader did not re-set; records old →
/// new in each changed dossier's history and tells its applicant. Returns how many moved.
///
/// # Errors
/// A database failure.
pub async fn recompute_open(
    txn: &impl ConnectionTrait,
    cache: &FilingCache,
    calendar: &WorkingCalendar,
    actor: i64,
    cause: &Value,
) -> Result<u64, ApiError> {
    // One read of every open dossier; each changed one is then written once.
    let open = repo::open_with_computed_due(txn, &OPEN).await?;
    let at = crate::auth::now();
    let mut moved = 0;
    for mut d in open {
        let Some(received) = d.received_at else {
            continue;
        };
        let procedure = cache.version(txn, d.procedure_version_id).await?;
        let (_, pauses) = pauses_of(d.pauses.as_deref());
        let due = due_for(&procedure, d.channel, received, calendar, pauses)?;
        let text = due.due_at.to_rfc3339();
        if d.due_at.as_deref() == Some(text.as_str()) {
            continue;
        }
        let explanation = explain(&procedure, d.channel, &due).to_string();
        let change = dossier::ActiveModel {
            due_at: Set(Some(text.clone())),
            due_detail: Set(Some(explanation.clone())),
            updated_at: Set(at),
            ..Default::default()
        };
        // Unconditional: the calendar's word wins over a concurrent read of the old date.
        repo::update(txn, &d.id, None, change, Condition::all()).await?;
        let status: Status = status_of(&d)?;
        let detail = json!({ "oldDueAt": d.due_at, "dueAt": text, "cause": cause });
        history::append(
            txn,
            history::Entry {
                dossier_id: &d.id,
                at,
                actor: Some(actor),
                role: Role::System,
                action: RECOMPUTE,
                from: status,
                to: status,
                reason: None,
                detail: &detail,
            },
        )
        .await?;
        // The row as just written, for the notice.
        d.due_at = Some(text);
        d.due_detail = Some(explanation);
        d.updated_at = at;
        d.version += 1;
        notify::record(txn, &d, Kind::DueChanged, &detail).await?;
        moved += 1;
    }
    Ok(moved)
}
