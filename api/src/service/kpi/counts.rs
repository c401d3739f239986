//! The index's facts counted in the database: every fact is a predicate (a formula over the
//! window's terms and the row's flags) written once here, used both to count (one pass over
//! `dossier_facts`, grouped by competent agency, receiving desk and
//! procedure, so a province's report with every agency and commune is one read) and to list the
//! dossiers behind a count — a headline and its list cannot disagree.
//!
//! On PostgreSQL a large table's pass is read in parts at once (page ranges of one snapshot), so
//! a province-year uses the database's cores as its own parallel query would, without giving up
//! the plan that computes each term once.
//!
//! The predicates only compare instants the core has already judged (`facts::compute` applies
//! the core's `received_by`, `on_time` and `finishes`); the one judgement made here, a dossier
//! open at the end of the period and past due, is the core's `open_overdue` (`due < as_of`),
//! checked against the core row by row in the tests.

use std::collections::{BTreeMap, BTreeSet};

use motcua_core::kpi::Facts;
use motcua_core::kpi::survey::Answer;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    IsolationLevel, QueryResult, Statement, TransactionTrait, Value,
};

use super::super::sql::statement;
use super::{Period, Scope};
use crate::clock::vn;
use crate::error::ApiError;

/// The instants a period is judged by: `[start, end)`, and `as_of` (its end, or now while it
/// runs: a dossier due later this month is not overdue yet).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    start: i64,
    end: i64,
    as_of: i64,
}

impl Window {
    /// `period` as of `now`.
    #[must_use]
    pub fn new(period: &Period, now: i64) -> Self {
        let (start, end) = (period.start.timestamp(), period.end.timestamp());
        Self {
            start,
            end,
            as_of: vn(now).min(period.end).timestamp(),
        }
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `dossier_facts f`.
    Dossiers,
    /// `satisfaction_surveys s`.
    Surveys,
    /// `feedback c`.
    Complaints,
    /// The catalogue (procedures offered online).
    Procedures,
}

/// Filed online in the window: a fact of its own, and what makes a procedure "used online".
const FILED_ONLINE: &str = "tf AND online";

/// The facts of the dossier table, each a formula over the columns of [`dossier_terms`]: the
/// window's terms (filed, received, finished, paid in it; open and past due at its end; apologised
/// before it ends) and the row's flags.
const DOSSIER_FACTS: [(&str, &str); 14] = [
    ("filed", "tf"),
    ("filed_online", FILED_ONLINE),
    ("received_timely", "tf AND rit"),
    ("received", "tr"),
    ("digitised", "tr AND dig"),
    ("finished", "tfin"),
    ("finished_on_time", "tfin AND NOT late"),
    ("open_overdue", "tov"),
    ("late", "(tfin AND late) OR tov"),
    ("late_apologised", "((tfin AND late) OR tov) AND tap"),
    ("finished_with_result", "tfin AND wr"),
    ("results_electronic", "tfin AND wr AND re"),
    ("fee_paid", "tp"),
    ("fee_paid_online", "tp AND po"),
];

/// The rows of `dossier_facts` that can count in the window (filed before it ends, and touching
/// it or still open) with each term computed once: `SELECT … FROM ({this}) t`. Integers only are
/// written into the text (the window's instants); `cond` is the scope's condition on `f`.
///
/// On PostgreSQL an `OFFSET 0` keeps the planner from copying the terms into every formula
/// (measured on 2,000,000 dossiers: 1.9 s without, under 1 s with).
fn dossier_terms(db: &impl ConnectionTrait, w: Window, cond: &str) -> String {
    let (s, e, now) = (w.start, w.end, w.as_of);
    let fence = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => " OFFSET 0",
        _ => "",
    };
    format!(
        "SELECT f.dossier_id, f.competent_agency_id, f.receiving_agency_id, f.procedure_code, \
         (f.filed_at >= {s} AND f.filed_at < {e}) AS tf, \
         (f.received_at >= {s} AND f.received_at < {e}) AS tr, \
         (f.finished_at >= {s} AND f.finished_at < {e}) AS tfin, \
         (f.received_at < {e} AND f.due_at IS NOT NULL \
          AND (f.finished_at IS NULL OR f.finished_at >= {e}) AND f.due_at < {now}) AS tov, \
         (f.paid_at >= {s} AND f.paid_at < {e}) AS tp, \
         (f.apologised_at < {e}) AS tap, \
         f.online = 1 AS online, f.received_in_time = 1 AS rit, f.digitised = 1 AS dig, \
         f.late = 1 AS late, f.with_result = 1 AS wr, f.result_electronic = 1 AS re, \
         f.paid_online = 1 AS po \
         FROM dossier_facts f WHERE f.filed_at < {e} AND (f.filed_at >= {s} \
         OR f.received_at >= {s} OR f.finished_at IS NULL OR f.finished_at >= {s} \
         OR f.paid_at >= {s}) AND {cond}{fence}"
    )
}

/// `('VERY_SATISFIED', 'SATISFIED')`: the answers the core counts as satisfied.
fn satisfied() -> String {
    let list: Vec<String> = [
        Answer::VerySatisfied,
        Answer::Satisfied,
        Answer::Unsatisfied,
    ]
    .into_iter()
    .filter(|a| a.satisfied())
    .map(|a| format!("'{}'", a.as_str()))
    .collect();
    format!("({})", list.join(", "))
}

/// The survey facts on `s`, each with its predicate and weight expression.
fn survey_predicates(w: Window) -> Vec<(&'static str, String, &'static str)> {
    let answered = format!("s.created_at >= {} AND s.created_at < {}", w.start, w.end);
    let ok = satisfied();
    vec![
        ("surveys", answered.clone(), "1"),
        ("survey_points", answered.clone(), "s.points"),
        (
            "overall_satisfied",
            format!("{answered} AND s.overall IN {ok}"),
            "1",
        ),
        (
            "convenience_satisfied",
            format!("{answered} AND s.convenience IN {ok}"),
            "1",
        ),
    ]
}

/// The complaint facts on `c`: due in the period up to now, and answered by the deadline (the
/// core's `on_time`: at or before it).
fn complaint_predicates(w: Window) -> Vec<(&'static str, String)> {
    let due = format!("c.resolve_by >= {} AND c.resolve_by < {}", w.start, w.as_of);
    vec![
        ("complaints_due", due.clone()),
        (
            "complaints_on_time",
            format!("{due} AND c.answered_at IS NOT NULL AND c.answered_at <= c.resolve_by"),
        ),
    ]
}

fn source(fact: &str) -> Option<Source> {
    match fact {
        "procedures_online" | "procedures_used_online" => Some(Source::Procedures),
        "surveys" | "survey_points" | "overall_satisfied" | "convenience_satisfied" => {
            Some(Source::Surveys)
        }
        "complaints_due" | "complaints_on_time" => Some(Source::Complaints),
        _ if Facts::default().get(fact).is_some() => Some(Source::Dossiers),
        _ => None,
    }
}

/// The scope's condition on a source, with its value.
fn scope_sql(scope: &Scope, source: Source) -> (String, Vec<Value>) {
    let in_unit = "(SELECT a.id FROM agencies a WHERE a.unit_code = ?)";
    match (scope, source) {
        (Scope::Province, _) | (_, Source::Procedures) => ("1 = 1".to_owned(), Vec::new()),
        (Scope::Agency(id), Source::Dossiers) => {
            (format!("f.competent_agency_id = {id}"), Vec::new())
        }
        (Scope::Agency(id), Source::Surveys) => {
            (format!("s.competent_agency_id = {id}"), Vec::new())
        }
        (Scope::Agency(id), Source::Complaints) => (format!("c.agency_id = {id}"), Vec::new()),
        (Scope::Commune(code), Source::Dossiers) => (
            format!("f.receiving_agency_id IN {in_unit}"),
            vec![code.clone().into()],
        ),
        (Scope::Commune(code), Source::Surveys) => {
            ("s.unit_code = ?".to_owned(), vec![code.clone().into()])
        }
        (Scope::Commune(code), Source::Complaints) => (
            format!("c.agency_id IN {in_unit}"),
            vec![code.clone().into()],
        ),
    }
}

/// An agency as the report needs it.
#[derive(Debug, Clone)]
struct Agency {
    kind: String,
    unit: String,
}

/// A scope's facts, and those of every agency and commune in it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// The scope's own.
    pub total: Facts,
    /// Each agency's (by id), competent for the dossiers counted.
    pub agencies: BTreeMap<i64, Facts>,
    /// Each commune's (by its unit code), the desks the dossiers were filed to.
    pub communes: BTreeMap<String, Facts>,
}

/// The procedures used online so far, per part of the breakdown.
#[derive(Default)]
struct Used {
    total: BTreeSet<String>,
    agencies: BTreeMap<i64, BTreeSet<String>>,
    communes: BTreeMap<String, BTreeSet<String>>,
}

fn count(r: &QueryResult, col: &str) -> Result<u64, ApiError> {
    let n: Option<i64> = r.try_get("", col)?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// Below this many pages (8 KB each) per part, the dossiers' facts are read in one pass: the parts'
/// transactions would cost more than they save.
pub const MIN_PAGES_PER_PART: i64 = 2048;

/// How long a part's reader waits for a connection before the pass goes on in fewer parts.
const READER_WAIT: std::time::Duration = std::time::Duration::from_millis(50);

/// Counts every fact of `scope` in `window`, for the scope and for each agency and commune in
/// it: one grouped pass over the dossiers' facts, one over the surveys, one over the complaints.
///
/// # Errors
/// A database failure.
pub async fn breakdown(
    db: &DatabaseConnection,
    scope: &Scope,
    window: Window,
) -> Result<Breakdown, ApiError> {
    breakdown_in_parts(db, scope, window, MIN_PAGES_PER_PART).await
}

/// [`breakdown`], with the dossiers' pass split into parts of at least `min_pages_per_part` pages
/// (the tests split small tables to check that the parts add up to the whole).
///
/// # Errors
/// A database failure.
pub async fn breakdown_in_parts(
    db: &DatabaseConnection,
    scope: &Scope,
    window: Window,
    min_pages_per_part: i64,
) -> Result<Breakdown, ApiError> {
    let agencies: BTreeMap<i64, Agency> = db
        .query_all_raw(statement(
            db,
            "SELECT id, agency_type, unit_code FROM agencies ORDER BY id",
            Vec::new(),
        ))
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<i64>("", "id")?,
                Agency {
                    kind: r.try_get("", "agency_type")?,
                    unit: r.try_get("", "unit_code")?,
                },
            ))
        })
        .collect::<Result<_, ApiError>>()?;
    let mut out = Breakdown::default();
    // Every agency and commune of the scope has a line, counted or not.
    for (id, a) in &agencies {
        let inside = match scope {
            Scope::Province => true,
            Scope::Agency(x) => x == id,
            Scope::Commune(code) => &a.unit == code,
        };
        if inside {
            out.agencies.insert(*id, Facts::default());
            out.communes.insert(a.unit.clone(), Facts::default());
        }
    }
    let mut used = Used::default();
    let unit_of = |id: i64| agencies.get(&id).map(|a| a.unit.clone());

    // The dossiers, each term computed once per row.
    let (dossier_cond, dossier_values) = scope_sql(scope, Source::Dossiers);

    // The surveys.
    let survey_facts = survey_predicates(window);
    let sums: Vec<String> = survey_facts
        .iter()
        .map(|(name, p, weight)| {
            format!("CAST(SUM(CASE WHEN {p} THEN {weight} ELSE 0 END) AS BIGINT) AS {name}")
        })
        .collect();
    let (cond, survey_values) = scope_sql(scope, Source::Surveys);
    let survey_sql = format!(
        "SELECT s.competent_agency_id, s.unit_code, {} FROM satisfaction_surveys s \
         WHERE s.created_at >= {} AND s.created_at < {} AND {cond} \
         GROUP BY s.competent_agency_id, s.unit_code",
        sums.join(", "),
        window.start,
        window.end,
    );

    // The complaints.
    let complaint_facts = complaint_predicates(window);
    let sums: Vec<String> = complaint_facts
        .iter()
        .map(|(name, p)| format!("CAST(SUM(CASE WHEN {p} THEN 1 ELSE 0 END) AS BIGINT) AS {name}"))
        .collect();
    let (cond, complaint_values) = scope_sql(scope, Source::Complaints);
    let complaint_sql = format!(
        "SELECT c.agency_id, {} FROM feedback c WHERE {cond} GROUP BY c.agency_id",
        sums.join(", ")
    );

    // The three readings at once: the dossiers' pass is one process's work; the others overlap it.
    let read = |sql: String, values: Vec<Value>| async move {
        Ok::<_, ApiError>(db.query_all_raw(statement(db, &sql, values)).await?)
    };
    let (dossier_rows, survey_rows, complaint_rows, offered) = tokio::try_join!(
        dossier_counts(
            db,
            window,
            &dossier_cond,
            dossier_values,
            min_pages_per_part
        ),
        read(survey_sql, survey_values),
        read(complaint_sql, complaint_values),
        offered_online(db),
    )?;
    for r in dossier_rows {
        let agency: i64 = r.try_get("", "competent_agency_id")?;
        let commune = unit_of(r.try_get("", "receiving_agency_id")?);
        let procedure: String = r.try_get("", "procedure_code")?;
        for (name, _) in &DOSSIER_FACTS {
            let n = count(&r, name)?;
            out.total.add(name, n);
            out.agencies.entry(agency).or_default().add(name, n);
            if let Some(c) = &commune {
                out.communes.entry(c.clone()).or_default().add(name, n);
            }
        }
        if count(&r, "filed_online")? > 0 {
            used.total.insert(procedure.clone());
            used.agencies
                .entry(agency)
                .or_default()
                .insert(procedure.clone());
            if let Some(c) = &commune {
                used.communes
                    .entry(c.clone())
                    .or_default()
                    .insert(procedure);
            }
        }
    }

    for r in survey_rows {
        let agency: i64 = r.try_get("", "competent_agency_id")?;
        let commune: String = r.try_get("", "unit_code")?;
        for (name, _, _) in &survey_facts {
            let n = count(&r, name)?;
            out.total.add(name, n);
            out.agencies.entry(agency).or_default().add(name, n);
            out.communes
                .entry(commune.clone())
                .or_default()
                .add(name, n);
        }
    }

    for r in complaint_rows {
        let agency: i64 = r.try_get("", "agency_id")?;
        for (name, _) in &complaint_facts {
            let n = count(&r, name)?;
            out.total.add(name, n);
            out.agencies.entry(agency).or_default().add(name, n);
            if let Some(c) = unit_of(agency) {
                out.communes.entry(c).or_default().add(name, n);
            }
        }
    }

    // The procedures offered online to each part, and those of them used online.
    let kinds_of = |pred: &dyn Fn(&Agency) -> bool| -> Option<BTreeSet<&str>> {
        Some(
            agencies
                .values()
                .filter(|a| pred(a))
                .map(|a| a.kind.as_str())
                .collect(),
        )
    };
    // `None`: every kind (the province is offered every procedure of the catalogue).
    let tally =
        |facts: &mut Facts, kinds: Option<BTreeSet<&str>>, used: Option<&BTreeSet<String>>| {
            for (code, kind) in &offered {
                if kinds.as_ref().is_none_or(|k| k.contains(kind.as_str())) {
                    facts.add("procedures_online", 1);
                    if used.is_some_and(|u| u.contains(code)) {
                        facts.add("procedures_used_online", 1);
                    }
                }
            }
        };
    let kind_of = |id: &i64| {
        Some(
            agencies
                .get(id)
                .map(|a| a.kind.as_str())
                .into_iter()
                .collect(),
        )
    };
    let total_kinds = match scope {
        Scope::Province => None,
        Scope::Agency(id) => kind_of(id),
        Scope::Commune(code) => kinds_of(&|a| &a.unit == code),
    };
    tally(&mut out.total, total_kinds, Some(&used.total));
    for (id, facts) in &mut out.agencies {
        tally(facts, kind_of(id), used.agencies.get(id));
    }
    for (code, facts) in &mut out.communes {
        tally(
            facts,
            kinds_of(&|a| &a.unit == code),
            used.communes.get(code),
        );
    }
    Ok(out)
}

/// The dossiers' counts grouped by competent agency, receiving desk and procedure, for the rows
/// of `dossier_facts` matching `cond`.
fn dossier_counts_sql(db: &impl ConnectionTrait, window: Window, cond: &str) -> String {
    let counts: Vec<String> = DOSSIER_FACTS
        .iter()
        .map(|(name, formula)| format!("COUNT(*) FILTER (WHERE {formula}) AS {name}"))
        .collect();
    format!(
        "SELECT t.competent_agency_id, t.receiving_agency_id, t.procedure_code, {} \
         FROM ({}) t GROUP BY t.competent_agency_id, t.receiving_agency_id, t.procedure_code",
        counts.join(", "),
        dossier_terms(db, window, cond),
    )
}

/// The dossiers' counts in one pass, on `conn` (the pool, or a reader of a shared snapshot).
async fn dossier_counts_on(
    conn: &impl ConnectionTrait,
    window: Window,
    cond: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, ApiError> {
    let sql = dossier_counts_sql(conn, window, cond);
    Ok(conn.query_all_raw(statement(conn, &sql, values)).await?)
}

/// The dossiers' counts (rows of [`dossier_counts_sql`]; one group may come in several rows, one
/// per part, which the caller adds up).
///
/// On PostgreSQL a table of many pages is read in parts at once, as many as the database lets
/// one query use (`max_parallel_workers_per_gather`), each part a range of pages (a TID range
/// scan), every part in one snapshot exported by the first (as `pg_dump --jobs` does): a row
/// updated meanwhile is counted once, in the version the snapshot sees. The database's own
/// parallel plan needs the fence gone, and then copies every term into every formula (measured
/// on 2,000,000 dossiers: 1.9 s in one process; chosen in parallel only with sorting and JIT
/// turned off, and then no faster than these parts). A table too small to split is read in one
/// pass without a transaction.
async fn dossier_counts(
    db: &DatabaseConnection,
    window: Window,
    cond: &str,
    values: Vec<Value>,
    min_pages_per_part: i64,
) -> Result<Vec<QueryResult>, ApiError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return dossier_counts_on(db, window, cond, values).await;
    }
    let size = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_relation_size('dossier_facts') / current_setting('block_size')::bigint \
             AS pages, current_setting('max_parallel_workers_per_gather')::bigint AS workers",
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no size for dossier_facts")))?;
    let pages: i64 = size.try_get("", "pages")?;
    let workers: i64 = size.try_get("", "workers")?;
    let wanted = workers.clamp(1, 8).min(pages / min_pages_per_part.max(1));
    if wanted <= 1 {
        return dossier_counts_on(db, window, cond, values).await;
    }
    let read_only = || {
        db.begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
    };
    let lead = read_only().await?;
    let snapshot = lead
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_export_snapshot() AS snapshot",
        ))
        .await;
    // The snapshot's name goes into the statement's text (it takes no parameter): hex and dashes.
    let snapshot = match snapshot {
        Ok(Some(row)) => row
            .try_get::<String>("", "snapshot")
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')),
        other => {
            tracing::warn!(
                ?other,
                "dossier facts read in one pass: no snapshot to share"
            );
            None
        }
    };
    let Some(snapshot) = snapshot else {
        // A database that cannot export a snapshot still gets its report, in one pass.
        drop(lead);
        return dossier_counts_on(db, window, cond, values).await;
    };
    let mut readers: Vec<DatabaseTransaction> = vec![lead];
    // A reader holds its connection while it waits for the next: on a busy pool, wait briefly
    // and read in fewer parts rather than hold connections that other reports wait for.
    while (readers.len() as i64) < wanted {
        let Ok(t) = tokio::time::timeout(READER_WAIT, read_only()).await else {
            break;
        };
        let t = t?;
        t.execute_unprepared(&format!("SET TRANSACTION SNAPSHOT '{snapshot}'"))
            .await?;
        readers.push(t);
    }
    let parts = readers.len() as i64;
    let reads = readers.iter().zip(0..parts).map(|(t, i)| {
        // Pages [lo, hi); the last part open-ended (pages added since hold no row of the snapshot).
        let lo = pages * i / parts;
        let range = if i + 1 == parts {
            format!(" AND f.ctid >= '({lo},0)'")
        } else {
            format!(
                " AND f.ctid >= '({lo},0)' AND f.ctid < '({},0)'",
                pages * (i + 1) / parts
            )
        };
        let (cond, values) = (format!("{cond}{range}"), values.clone());
        async move { dossier_counts_on(t, window, &cond, values).await }
    });
    let rows = futures_util::future::try_join_all(reads).await?;
    for t in readers {
        t.commit().await?;
    }
    Ok(rows.into_iter().flatten().collect())
}

/// The procedures offered online (code, agency type), by code.
async fn offered_online(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, ApiError> {
    db.query_all_raw(statement(
        db,
        "SELECT code, agency_type FROM procedures WHERE online_mode <> 'NONE' ORDER BY code",
        Vec::new(),
    ))
    .await?
    .iter()
    .map(|r| Ok((r.try_get("", "code")?, r.try_get("", "agency_type")?)))
    .collect()
}

/// One thing behind a fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// The dossier (absent for a procedure or a complaint).
    pub dossier_id: Option<String>,
    /// Its code, the procedure's, or the complaint's.
    pub code: String,
    /// How much it counts (1, or a survey's points, times the fact's multiplier).
    pub weight: u64,
}

/// A page of what is behind one side of an indicator.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Everything behind it: how many things.
    pub count: u64,
    /// Their total weight (the headline figure).
    pub weight: u64,
    /// The page asked for.
    pub items: Vec<Item>,
}

/// The things behind `facts` (each with its multiplier, as the core's indicator table gives
/// them) in `scope` and `window`, from `offset`, at most `limit`: each fact's list in turn, each
/// list newest first.
///
/// # Errors
/// A database failure; an unknown fact is an internal error (the names come from the core).
pub async fn behind(
    db: &DatabaseConnection,
    scope: &Scope,
    window: Window,
    facts: &[(&str, u64)],
    offset: u64,
    limit: u64,
) -> Result<Page, ApiError> {
    let totals = breakdown(db, scope, window).await?.total;
    let mut page = Page::default();
    let mut skip = offset;
    for (fact, k) in facts {
        let weight = totals.get(fact).unwrap_or(0);
        // A survey's points are weighed, not counted: its list is as long as the surveys.
        let n = if *fact == "survey_points" {
            totals.surveys
        } else {
            weight
        };
        page.count += n;
        page.weight += weight * k;
        if skip >= n {
            skip -= n;
            continue;
        }
        let room = limit.saturating_sub(page.items.len() as u64);
        if room == 0 {
            continue;
        }
        let items = list(db, scope, window, fact, skip, room).await?;
        skip = 0;
        page.items.extend(items.into_iter().map(|i| Item {
            weight: i.weight * k,
            ..i
        }));
    }
    Ok(page)
}

fn dossier_item(r: &QueryResult, weight: u64) -> Result<Item, ApiError> {
    Ok(Item {
        dossier_id: Some(r.try_get("", "id")?),
        code: r.try_get::<Option<String>>("", "code")?.unwrap_or_default(),
        weight,
    })
}

/// One fact's list, `limit` from `offset`.
async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    fact: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<Item>, ApiError> {
    let unknown = || ApiError::Internal(anyhow::anyhow!("not a fact of the index: {fact}"));
    let source = source(fact).ok_or_else(unknown)?;
    let (cond, values) = scope_sql(scope, source);
    let page = format!("LIMIT {limit} OFFSET {offset}");
    match source {
        Source::Dossiers => {
            let (_, formula) = DOSSIER_FACTS
                .iter()
                .find(|(n, _)| *n == fact)
                .ok_or_else(unknown)?;
            let sql = format!(
                "SELECT d.id, d.code FROM ({}) t JOIN dossiers d ON d.id = t.dossier_id \
                 WHERE {formula} ORDER BY d.code DESC, d.id {page}",
                dossier_terms(db, window, &cond)
            );
            db.query_all_raw(statement(db, &sql, values))
                .await?
                .iter()
                .map(|r| dossier_item(r, 1))
                .collect()
        }
        Source::Surveys => {
            let (_, p, weight) = survey_predicates(window)
                .into_iter()
                .find(|(n, _, _)| *n == fact)
                .ok_or_else(unknown)?;
            let sql = format!(
                "SELECT d.id, d.code, CAST({weight} AS BIGINT) AS weight FROM satisfaction_surveys s \
                 JOIN dossiers d ON d.id = s.dossier_id WHERE ({p}) AND {cond} \
                 ORDER BY d.code DESC, d.id {page}"
            );
            db.query_all_raw(statement(db, &sql, values))
                .await?
                .iter()
                .map(|r| {
                    let w = u64::try_from(r.try_get::<i64>("", "weight")?).unwrap_or(0);
                    dossier_item(r, w)
                })
                .collect()
        }
        Source::Complaints => {
            let (_, p) = complaint_predicates(window)
                .into_iter()
                .find(|(n, _)| *n == fact)
                .ok_or_else(unknown)?;
            let sql = format!(
                "SELECT c.id FROM feedback c WHERE ({p}) AND {cond} ORDER BY c.id DESC {page}"
            );
            db.query_all_raw(statement(db, &sql, values))
                .await?
                .iter()
                .map(|r| {
                    Ok(Item {
                        dossier_id: None,
                        code: format!("PA{:08}", r.try_get::<i64>("", "id")?),
                        weight: 1,
                    })
                })
                .collect()
        }
        Source::Procedures => procedures(db, scope, window, fact, offset, limit).await,
    }
}

/// The procedures behind `procedures_online` or `procedures_used_online` (a few hundred at
/// most: listed in full from the breakdown's rules, then paged).
async fn procedures(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    fact: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<Item>, ApiError> {
    let kinds: Option<BTreeSet<String>> = match scope {
        Scope::Province => None,
        Scope::Agency(id) => Some(kinds(db, "id = ?", (*id).into()).await?),
        Scope::Commune(code) => Some(kinds(db, "unit_code = ?", code.clone().into()).await?),
    };
    let used: BTreeSet<String> = if fact == "procedures_used_online" {
        let (cond, values) = scope_sql(scope, Source::Dossiers);
        db.query_all_raw(statement(
            db,
            &format!(
                "SELECT DISTINCT t.procedure_code FROM ({}) t WHERE {FILED_ONLINE}",
                dossier_terms(db, window, &cond)
            ),
            values,
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "procedure_code"))
        .collect::<Result<_, _>>()?
    } else {
        BTreeSet::new()
    };
    Ok(offered_online(db)
        .await?
        .into_iter()
        .filter(|(code, kind)| {
            kinds.as_ref().is_none_or(|k| k.contains(kind))
                && (fact == "procedures_online" || used.contains(code))
        })
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(code, _)| Item {
            dossier_id: None,
            code,
            weight: 1,
        })
        .collect())
}

async fn kinds(
    db: &impl ConnectionTrait,
    cond: &str,
    value: Value,
) -> Result<BTreeSet<String>, ApiError> {
    db.query_all_raw(statement(
        db,
        &format!("SELECT DISTINCT agency_type FROM agencies WHERE {cond}"),
        vec![value],
    ))
    .await?
    .iter()
    .map(|r| r.try_get::<String>("", "agency_type").map_err(Into::into))
    .collect()
}
