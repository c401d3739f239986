//! Deadlines in practice: the scheduled marking of dossiers due within one working day and
//! overdue, and the recomputation of open dossiers' due dates when the calendar changes.
//!
//! Both are safe with several API instances: marks are conditional updates (only the instance
//! whose update changed the row tells anyone), and recomputation runs inside the calendar
//! change's own transaction.

use motcua_core::calendar::WorkingCalendar;
use motcua_core::deadline::{self, DueRequest, DurationUnit, Pauses, ProcessingTime};
use motcua_core::dossier::{Action, Role, Status};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::{Value, json};

use super::cache::FilingCache;
use super::dossiers::{due_for, local_now};
use super::notify::{self, Kind};
use super::sql::statement;
use super::workflow::{explain, pauses_of};
use crate::db::entities::dossier;
use crate::error::ApiError;

/// Statuses whose clock runs (a paused dossier is neither due soon nor overdue while it waits).
const RUNNING: [Status; 2] = [Status::Received, Status::Processing];
/// Statuses of an open dossier after intake.
const OPEN: [Status; 4] = [
    Status::Received,
    Status::Processing,
    Status::SupplementRequested,
    Status::AwaitingPayment,
];

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

fn in_list(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
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
    let soon = deadline::due(
        &DueRequest {
            received_at: local_now(now),
            duration: ProcessingTime {
                value: 1,
                unit: DurationUnit::WorkingDays,
            },
            same_day_cutoff: deadline::DEFAULT_CUTOFF,
            pauses: Pauses::default(),
        },
        &calendar,
    )
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("due-soon horizon: {e}")))?
    .due_at
    .to_rfc3339();
    let now_text = local_now(now).to_rfc3339();
    // Due dates are stored as RFC 3339 with +07:00 and whole seconds, so text order is time order.
    let rows = db
        .query_all_raw(statement(
            db,
            &format!(
                "SELECT id, due_at, deadline_state FROM dossiers WHERE status IN ({}) \
                 AND due_at IS NOT NULL AND (due_at <= ? OR deadline_state <> 'ON_TRACK')",
                in_list(&RUNNING)
            ),
            vec![soon.clone().into()],
        ))
        .await?;
    let mut marks = Marks::default();
    for row in rows {
        let id: String = row.try_get("", "id")?;
        let due: String = row.try_get("", "due_at")?;
        let state: String = row.try_get("", "deadline_state")?;
        let wanted = if due < now_text {
            "OVERDUE"
        } else if due <= soon {
            "DUE_SOON"
        } else {
            "ON_TRACK"
        };
        if wanted == state {
            continue;
        }
        let txn = db.begin().await?;
        let changed = txn
            .execute_raw(statement(
                &txn,
                "UPDATE dossiers SET deadline_state = ? WHERE id = ? AND deadline_state = ? \
                 AND due_at = ?",
                vec![
                    wanted.into(),
                    id.clone().into(),
                    state.into(),
                    due.clone().into(),
                ],
            ))
            .await?
            .rows_affected();
        if changed == 1 {
            let kind = match wanted {
                "OVERDUE" => {
                    marks.overdue += 1;
                    Some(Kind::Overdue)
                }
                "DUE_SOON" => {
                    marks.due_soon += 1;
                    Some(Kind::DueSoon)
                }
                _ => {
                    marks.on_track += 1;
                    None
                }
            };
            if let Some(kind) = kind
                && let Some(d) = dossier::Entity::find_by_id(id).one(&txn).await?
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
    let open = dossier::Entity::find()
        .filter(dossier::Column::Status.is_in(OPEN.iter().map(|s| s.as_str())))
        .filter(dossier::Column::ReceivedAt.is_not_null())
        .filter(dossier::Column::RedateCount.eq(0))
        .order_by_asc(dossier::Column::Id)
        .all(txn)
        .await?;
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
        txn.execute_raw(statement(
            txn,
            "UPDATE dossiers SET due_at = ?, due_detail = ?, updated_at = ?, \
             version = version + 1 WHERE id = ?",
            vec![
                text.clone().into(),
                explanation.clone().into(),
                at.into(),
                d.id.clone().into(),
            ],
        ))
        .await?;
        let status: Status = d
            .status
            .parse()
            .map_err(|()| ApiError::Internal(anyhow::anyhow!("stored status {}", d.status)))?;
        let detail = json!({ "oldDueAt": d.due_at, "dueAt": text, "cause": cause });
        super::dossiers::history(
            txn,
            &d.id,
            actor,
            Role::System,
            RECOMPUTE,
            (status, status),
            None,
            &detail,
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

/// The history action of a recomputed due date: not a transition, so not in the core's table;
/// recorded through the same column with this name.
const RECOMPUTE: HistoryAction = HistoryAction::Named("RECOMPUTE_DUE");

/// A history row's action: a core action, or a named bookkeeping event.
#[derive(Debug, Clone, Copy)]
pub enum HistoryAction {
    /// A transition of the core's table.
    Core(Action),
    /// Something that is not a transition (a recomputed due date).
    Named(&'static str),
}

impl HistoryAction {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Core(a) => a.as_str(),
            Self::Named(n) => n,
        }
    }
}

impl From<Action> for HistoryAction {
    fn from(a: Action) -> Self {
        Self::Core(a)
    }
}
