//! One row of facts per filed dossier (`dossier_facts`): the instants the index counts and the
//! core's judgement of each. Written in the transaction of every change — a history row, a
//! document scanned at the desk — by recomputing the whole row from the dossier and its events
//! ([`compute`]), so a row is always what the event log says; [`rebuild`] does the same for every
//! dossier and reports the rows that differed (a closed month recomputed gives the same numbers).

use std::collections::{BTreeMap, BTreeSet};

use motcua_core::calendar::WorkingCalendar;
use motcua_core::dossier::{Channel, Status};
use motcua_core::kpi::events;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryResult, Value};

use super::super::sql::statement;
use crate::clock::vn;
use crate::db::entities::dossier;
use crate::error::ApiError;

/// The history action of an apology with a new due date (form 04).
const APOLOGY: &str = "APOLOGIZE_AND_REDATE";

/// A dossier's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The dossier.
    pub dossier_id: String,
    /// The agency competent for it.
    pub competent_agency_id: i64,
    /// The desk it was filed to (its unit is the commune).
    pub receiving_agency_id: i64,
    /// The procedure.
    pub procedure_code: String,
    /// Filed online.
    pub online: bool,
    /// Filed (Unix seconds).
    pub filed_at: i64,
    /// Received.
    pub received_at: Option<i64>,
    /// Received by the intake deadline.
    pub received_in_time: bool,
    /// Filed online or with documents scanned at the desk.
    pub digitised: bool,
    /// The first event that ended processing.
    pub finished_at: Option<i64>,
    /// That event gave a result (resolved or returned).
    pub with_result: bool,
    /// The result is an electronic file.
    pub result_electronic: bool,
    /// The due date before any apology moved it.
    pub due_at: Option<i64>,
    /// Finished after `due_at`.
    pub late: bool,
    /// The first apology.
    pub apologised_at: Option<i64>,
    /// The fee was recorded as paid.
    pub paid_at: Option<i64>,
    /// Through a gateway.
    pub paid_online: bool,
}

/// One event of a dossier's history, as the facts need it.
#[derive(Debug, Clone)]
pub struct Event {
    /// When.
    pub at: i64,
    /// The action.
    pub action: String,
    /// The status after.
    pub to_status: String,
}

/// What else is known of a dossier besides its row and history.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra {
    /// Documents other than the result are attached.
    pub documents: bool,
    /// A gateway payment succeeded.
    pub paid_online: bool,
    /// The intake deadline (the dossier's own, else the calendar's).
    pub intake_by: Option<i64>,
}

/// The facts of `d` from its `history` (oldest first); `None` for a draft.
#[must_use]
pub fn compute(d: &dossier::Model, history: &[Event], extra: Extra) -> Option<Row> {
    let filed_at = d.submitted_at?;
    let online = d.channel == i64::from(Channel::Online.national_code());
    let finish = history.iter().find_map(|e| {
        e.to_status
            .parse::<Status>()
            .ok()
            .filter(|s| events::finishes(*s))
            .map(|s| (e.at, s))
    });
    let with_result = finish.is_some_and(|(_, s)| matches!(s, Status::Resolved | Status::Returned));
    // Lateness is judged against the due date before any apology moved it.
    let due_at = d
        .original_due_at
        .as_deref()
        .or(d.due_at.as_deref())
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp());
    let late = match (finish, due_at) {
        (Some((at, _)), Some(due)) => !events::on_time(vn(at), vn(due)),
        // Refused at intake: no due date, nothing late.
        _ => false,
    };
    Some(Row {
        dossier_id: d.id.clone(),
        competent_agency_id: d.competent_agency_id,
        receiving_agency_id: d.receiving_agency_id,
        procedure_code: d.procedure_code.clone(),
        online,
        filed_at,
        received_at: d.received_at,
        received_in_time: match (d.received_at, extra.intake_by) {
            (Some(r), Some(by)) => events::received_by(vn(r), vn(by)),
            _ => false,
        },
        digitised: online || extra.documents,
        finished_at: finish.map(|(at, _)| at),
        with_result,
        result_electronic: with_result && d.result_attachment_id.is_some(),
        due_at,
        late,
        apologised_at: history.iter().find(|e| e.action == APOLOGY).map(|e| e.at),
        paid_at: d.paid_at,
        paid_online: extra.paid_online,
    })
}

/// The columns, in the order of [`Row::values`].
const COLUMNS: &str = "dossier_id, competent_agency_id, receiving_agency_id, procedure_code, \
    online, filed_at, received_at, received_in_time, digitised, finished_at, with_result, \
    result_electronic, due_at, late, apologised_at, paid_at, paid_online";

fn flag(b: bool) -> Value {
    i64::from(b).into()
}

impl Row {
    fn values(&self) -> Vec<Value> {
        vec![
            self.dossier_id.clone().into(),
            self.competent_agency_id.into(),
            self.receiving_agency_id.into(),
            self.procedure_code.clone().into(),
            flag(self.online),
            self.filed_at.into(),
            self.received_at.into(),
            flag(self.received_in_time),
            flag(self.digitised),
            self.finished_at.into(),
            flag(self.with_result),
            flag(self.result_electronic),
            self.due_at.into(),
            flag(self.late),
            self.apologised_at.into(),
            self.paid_at.into(),
            flag(self.paid_online),
        ]
    }

    fn read(r: &QueryResult) -> Result<Self, ApiError> {
        let b = |c: &str| -> Result<bool, ApiError> { Ok(r.try_get::<i64>("", c)? != 0) };
        Ok(Self {
            dossier_id: r.try_get("", "dossier_id")?,
            competent_agency_id: r.try_get("", "competent_agency_id")?,
            receiving_agency_id: r.try_get("", "receiving_agency_id")?,
            procedure_code: r.try_get("", "procedure_code")?,
            online: b("online")?,
            filed_at: r.try_get("", "filed_at")?,
            received_at: r.try_get("", "received_at")?,
            received_in_time: b("received_in_time")?,
            digitised: b("digitised")?,
            finished_at: r.try_get("", "finished_at")?,
            with_result: b("with_result")?,
            result_electronic: b("result_electronic")?,
            due_at: r.try_get("", "due_at")?,
            late: b("late")?,
            apologised_at: r.try_get("", "apologised_at")?,
            paid_at: r.try_get("", "paid_at")?,
            paid_online: b("paid_online")?,
        })
    }
}

/// Writes `rows` (inserting or replacing each dossier's), many to a statement.
///
/// # Errors
/// A database failure.
pub async fn write(db: &impl ConnectionTrait, rows: &[Row]) -> Result<(), ApiError> {
    let updates = COLUMNS
        .split(", ")
        .skip(1)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // 17 values a row; PostgreSQL takes 65,535 parameters, SQLite 32,766.
    for chunk in rows.chunks(1000) {
        let one = format!("({})", vec!["?"; 17].join(", "));
        let sql = format!(
            "INSERT INTO dossier_facts ({COLUMNS}) VALUES {} \
             ON CONFLICT (dossier_id) DO UPDATE SET {updates}",
            vec![one; chunk.len()].join(", ")
        );
        let values = chunk.iter().flat_map(Row::values).collect();
        db.execute_raw(statement(db, &sql, values)).await?;
    }
    Ok(())
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The facts of the dossiers `ids` as their rows and events say now; with a `calendar`, a
/// dossier filed before intake deadlines were kept gets the calendar's.
///
/// # Errors
/// A database failure, a date outside the calendar.
pub async fn recompute(
    db: &impl ConnectionTrait,
    ids: &[String],
    calendar: Option<&WorkingCalendar>,
) -> Result<Vec<Row>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let dossiers = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?;
    let list = placeholders(ids.len());
    let values: Vec<Value> = ids.iter().map(|i| i.clone().into()).collect();
    let finishing: Vec<String> = Status::ALL
        .iter()
        .filter(|s| events::finishes(**s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let mut history: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for r in db
        .query_all_raw(statement(
            db,
            &format!(
                "SELECT dossier_id, at, action, to_status FROM dossier_history \
                 WHERE dossier_id IN ({list}) AND (to_status IN ({}) OR action = '{APOLOGY}') \
                 ORDER BY dossier_id, at, id",
                finishing.join(", ")
            ),
            values.clone(),
        ))
        .await?
    {
        history
            .entry(r.try_get("", "dossier_id")?)
            .or_default()
            .push(Event {
                at: r.try_get("", "at")?,
                action: r.try_get("", "action")?,
                to_status: r.try_get("", "to_status")?,
            });
    }
    let documents = ids_of(
        db,
        &format!(
            "SELECT DISTINCT dossier_id FROM attachments WHERE dossier_id IN ({list}) \
             AND (component_id IS NULL OR component_id <> 'KET_QUA')"
        ),
        values.clone(),
    )
    .await?;
    let paid = ids_of(
        db,
        &format!(
            "SELECT DISTINCT dossier_id FROM payments WHERE dossier_id IN ({list}) \
             AND paid_at IS NOT NULL"
        ),
        values,
    )
    .await?;
    let mut out = Vec::with_capacity(dossiers.len());
    for d in &dossiers {
        let intake_by = match (d.intake_by, d.submitted_at, calendar) {
            (Some(by), _, _) => Some(by),
            (None, Some(filed), Some(cal)) => Some(
                events::intake_deadline(cal, vn(filed))
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("intake deadline: {e}")))?
                    .timestamp(),
            ),
            _ => None,
        };
        let extra = Extra {
            documents: documents.contains(&d.id),
            paid_online: paid.contains(&d.id),
            intake_by,
        };
        let events = history.get(&d.id).map_or(&[][..], Vec::as_slice);
        out.extend(compute(d, events, extra));
    }
    Ok(out)
}

async fn ids_of(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<BTreeSet<String>, ApiError> {
    db.query_all_raw(statement(db, sql, values))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "dossier_id").map_err(Into::into))
        .collect()
}

/// Recomputes and stores one dossier's facts (nothing for a draft). Called in the transaction
/// of every change to it.
///
/// # Errors
/// A database failure.
pub async fn refresh(db: &impl ConnectionTrait, id: &str) -> Result<(), ApiError> {
    let rows = recompute(db, &[id.to_owned()], None).await?;
    write(db, &rows).await
}

/// What [`rebuild`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Filed dossiers looked at.
    pub checked: u64,
    /// Rows that were missing or differed (and were written).
    pub written: u64,
}

/// Recomputes the facts of every filed dossier from the event log, a page at a time, and writes
/// the rows that were missing or differed. On a healthy database `written` is 0.
///
/// # Errors
/// A database failure, a date outside the calendar.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
) -> Result<Rebuilt, ApiError> {
    sweep(db, calendar, "").await
}

/// Writes the facts of filed dossiers that have none (a database from before the facts were
/// kept), a page at a time; returns how many. Run at start-up: idempotent, and harmless when two
/// instances start together (each row is written whole).
///
/// # Errors
/// A database failure, a date outside the calendar.
pub async fn catch_up(
    db: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
) -> Result<u64, ApiError> {
    let missing = "AND NOT EXISTS (SELECT 1 FROM dossier_facts f WHERE f.dossier_id = d.id)";
    Ok(sweep(db, calendar, missing).await?.written)
}

/// [`rebuild`] over the filed dossiers that also meet `only` (an SQL condition on `d`), in id
/// order from the last page, so a large table is read once.
async fn sweep(
    db: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    only: &str,
) -> Result<Rebuilt, ApiError> {
    let mut out = Rebuilt::default();
    let mut after = String::new();
    loop {
        let ids: Vec<String> = db
            .query_all_raw(statement(
                db,
                &format!(
                    "SELECT d.id FROM dossiers d WHERE d.id > ? AND d.submitted_at IS NOT NULL \
                     {only} ORDER BY d.id LIMIT 1000"
                ),
                vec![after.clone().into()],
            ))
            .await?
            .iter()
            .map(|r| r.try_get::<String>("", "id"))
            .collect::<Result<_, _>>()?;
        let Some(last) = ids.last() else {
            return Ok(out);
        };
        after.clone_from(last);
        let fresh = recompute(db, &ids, Some(calendar)).await?;
        let stored: BTreeMap<String, Row> = db
            .query_all_raw(statement(
                db,
                &format!(
                    "SELECT {COLUMNS} FROM dossier_facts WHERE dossier_id IN ({})",
                    placeholders(ids.len())
                ),
                ids.iter().map(|i| i.clone().into()).collect(),
            ))
            .await?
            .iter()
            .map(|r| Row::read(r).map(|row| (row.dossier_id.clone(), row)))
            .collect::<Result<_, _>>()?;
        let changed: Vec<Row> = fresh
            .into_iter()
            .filter(|r| stored.get(&r.dossier_id) != Some(r))
            .collect();
        out.checked += ids.len() as u64;
        out.written += changed.len() as u64;
        write(db, &changed).await?;
    }
}

/// Every stored row, by dossier (for checks and the tests: a province has millions).
///
/// # Errors
/// A database failure.
pub async fn stored(db: &impl ConnectionTrait) -> Result<Vec<Row>, ApiError> {
    db.query_all_raw(statement(
        db,
        &format!("SELECT {COLUMNS} FROM dossier_facts ORDER BY dossier_id"),
        Vec::new(),
    ))
    .await?
    .iter()
    .map(Row::read)
    .collect()
}
