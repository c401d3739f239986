//! The Decision 766 index of a scope (the province, an agency, a commune) and a period (a month, a
//! quarter, a year), from the event log: every fact is a list of the dossiers (or procedures)
//! behind it, classified by the core's `kpi::events` rules; the counts are the lists' weights, and
//! the core's `kpi::index` turns them into points. A drill-down returns the same lists, so a
//! headline always equals the total of what is behind it.

pub mod export;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use motcua_core::calendar::WorkingCalendar;
use motcua_core::deadline::VN_OFFSET;
use motcua_core::dossier::{Channel, Status};
use motcua_core::kpi::{self, Facts, events};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::sql::statement;
use crate::auth::{AccountKind, OfficialRole, Principal};
use crate::clock::vn;
use crate::error::ApiError;

/// Whose index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole province.
    Province,
    /// The dossiers an agency is competent for.
    Agency(i64),
    /// The dossiers filed to units of a commune (its administrative-unit code).
    Commune(String),
}

impl Scope {
    /// From its parts: `PROVINCE`; `AGENCY` with the agency's id; `COMMUNE` with the
    /// administrative unit's code.
    #[must_use]
    pub fn from_parts(kind: &str, agency: Option<i64>, unit: Option<&str>) -> Option<Self> {
        match kind {
            "PROVINCE" => Some(Self::Province),
            "AGENCY" => agency.map(Self::Agency),
            "COMMUNE" => unit
                .map(str::trim)
                .filter(|c| {
                    !c.is_empty() && c.len() <= 10 && c.chars().all(|ch| ch.is_ascii_digit())
                })
                .map(|c| Self::Commune(c.to_owned())),
            _ => None,
        }
    }
}

/// Computations of the index one official may ask for per minute (each reads a period's events).
const PER_MINUTE: i64 = 120;

/// Whether `p` may see `scope`'s index and what is behind it: officials of the scope's agencies,
/// any leader for the province, the province's administrators for everything.
///
/// # Errors
/// A database failure.
pub async fn may_view(
    db: &impl ConnectionTrait,
    p: &Principal,
    scope: &Scope,
) -> Result<bool, ApiError> {
    if p.kind != AccountKind::Official {
        return Ok(false);
    }
    if p.is_province_admin() {
        return Ok(true);
    }
    Ok(match scope {
        Scope::Province => p.grants.iter().any(|g| g.role == OfficialRole::Leader),
        Scope::Agency(id) => p.grants.iter().any(|g| g.agency_id == *id),
        Scope::Commune(code) => {
            let agencies = super::agencies::in_unit(db, code).await?;
            p.grants.iter().any(|g| agencies.contains(&g.agency_id))
        }
    })
}

/// Lets `p` compute `scope`'s index now: `NOT_FOUND` for a scope they may not see,
/// `RATE_LIMITED` past their budget.
///
/// # Errors
/// As said, and a database failure.
pub async fn admit(
    db: &impl ConnectionTrait,
    p: &Principal,
    scope: &Scope,
    now: i64,
) -> Result<(), ApiError> {
    if !may_view(db, p, scope).await? {
        return Err(ApiError::NotFound);
    }
    let (count, retry_after) =
        super::rate_limit::hit(db, &format!("kpi:{}", p.user_id), 60, now).await?;
    if count > PER_MINUTE {
        return Err(ApiError::RateLimited { retry_after });
    }
    Ok(())
}

/// What `p` asked for, if they may: [`admit`], then every fact of `scope` in `period` as of
/// `now` on the working calendar. The one path of the GraphQL queries and the spreadsheets.
///
/// # Errors
/// `NOT_FOUND`, `RATE_LIMITED`, a database failure.
pub async fn gather(
    db: &impl ConnectionTrait,
    cache: &super::cache::FilingCache,
    p: &Principal,
    scope: &Scope,
    period: &Period,
    now: i64,
) -> Result<FactSets, ApiError> {
    admit(db, p, scope, now).await?;
    let calendar = cache.calendar(db).await?;
    fact_sets(db, &calendar, scope, period, now).await
}

/// A period in Vietnam time: `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As asked: `2026`, `2026-Q4` or `2026-12`.
    pub label: String,
    /// First instant.
    pub start: DateTime<FixedOffset>,
    /// First instant after.
    pub end: DateTime<FixedOffset>,
}

fn midnight(d: NaiveDate) -> Option<DateTime<FixedOffset>> {
    VN_OFFSET
        .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .single()
}

impl Period {
    /// Parses `YYYY`, `YYYY-Qn` or `YYYY-MM` (years 2000–2199).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (year, rest) = s.split_once('-').map_or((s, None), |(y, r)| (y, Some(r)));
        let year: i32 = year.parse().ok().filter(|y| (2000..2200).contains(y))?;
        let (from, months) = match rest {
            None => (1, 12),
            Some(q) if q.starts_with('Q') => {
                let n: u32 = q.get(1..)?.parse().ok().filter(|n| (1..=4).contains(n))?;
                (3 * n - 2, 3)
            }
            Some(m) if m.len() == 2 => (m.parse().ok().filter(|m| (1..=12).contains(m))?, 1),
            Some(_) => return None,
        };
        let start = NaiveDate::from_ymd_opt(year, from, 1)?;
        let end = start.checked_add_months(chrono::Months::new(months))?;
        Some(Self {
            label: s.to_owned(),
            start: midnight(start)?,
            end: midnight(end)?,
        })
    }

    fn bounds(&self) -> (i64, i64) {
        (self.start.timestamp(), self.end.timestamp())
    }
}

/// One thing behind a fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// The dossier (absent for a procedure).
    pub dossier_id: Option<String>,
    /// Its code, or the procedure's.
    pub code: String,
    /// How much it counts (1, or a survey's points).
    pub weight: u64,
}

/// Every fact as its list.
#[derive(Debug, Default)]
pub struct FactSets(BTreeMap<&'static str, Vec<Item>>);

impl FactSets {
    fn push(&mut self, fact: &'static str, item: Item) {
        self.0.entry(fact).or_default().push(item);
    }

    /// The list behind `fact`.
    #[must_use]
    pub fn items(&self, fact: &str) -> &[Item] {
        self.0.get(fact).map_or(&[], Vec::as_slice)
    }

    fn total(&self, fact: &str) -> u64 {
        self.items(fact).iter().map(|i| i.weight).sum()
    }

    /// The counts.
    #[must_use]
    pub fn facts(&self) -> Facts {
        Facts {
            filed: self.total("filed"),
            filed_online: self.total("filed_online"),
            received_timely: self.total("received_timely"),
            received: self.total("received"),
            digitised: self.total("digitised"),
            finished: self.total("finished"),
            finished_on_time: self.total("finished_on_time"),
            open_overdue: self.total("open_overdue"),
            late: self.total("late"),
            late_apologised: self.total("late_apologised"),
            finished_with_result: self.total("finished_with_result"),
            results_electronic: self.total("results_electronic"),
            procedures_online: self.total("procedures_online"),
            procedures_used_online: self.total("procedures_used_online"),
            surveys: self.total("surveys"),
            survey_points: self.total("survey_points"),
            overall_satisfied: self.total("overall_satisfied"),
            convenience_satisfied: self.total("convenience_satisfied"),
            complaints_due: self.total("complaints_due"),
            complaints_on_time: self.total("complaints_on_time"),
            fee_paid: self.total("fee_paid"),
            fee_paid_online: self.total("fee_paid_online"),
        }
    }

    /// The items behind one side of an indicator, each fact's items repeated by its multiplier
    /// in weight (a survey counts 18 points towards the indicators' maximum).
    #[must_use]
    pub fn behind(&self, facts: &[(&str, u64)]) -> Vec<Item> {
        let mut out = Vec::new();
        for (fact, k) in facts {
            out.extend(self.items(fact).iter().map(|i| Item {
                weight: i.weight * k,
                ..i.clone()
            }));
        }
        out
    }
}

/// The `WHERE` fragment (on dossier `d`) and its value for a scope.
fn scope_sql(scope: &Scope) -> (&'static str, Option<Value>) {
    match scope {
        Scope::Province => ("1 = 1", None),
        Scope::Agency(id) => ("d.competent_agency_id = ?", Some((*id).into())),
        Scope::Commune(code) => (
            "d.receiving_agency_id IN (SELECT a.id FROM agencies a WHERE a.unit_code = ?)",
            Some(code.clone().into()),
        ),
    }
}

async fn rows(
    db: &impl ConnectionTrait,
    scope: &Scope,
    sql: &str,
    mut values: Vec<Value>,
) -> Result<Vec<QueryResult>, ApiError> {
    let (cond, v) = scope_sql(scope);
    values.extend(v);
    Ok(db
        .query_all_raw(statement(db, &sql.replace("{scope}", cond), values))
        .await?)
}

fn due(row: &QueryResult) -> Result<Option<DateTime<FixedOffset>>, ApiError> {
    // Lateness is judged against the due date before any apology moved it.
    let original: Option<String> = row.try_get("", "original_due_at")?;
    let current: Option<String> = row.try_get("", "due_at")?;
    Ok(original
        .or(current)
        .and_then(|d| DateTime::parse_from_rfc3339(&d).ok()))
}

fn dossier(row: &QueryResult, weight: u64) -> Result<Item, ApiError> {
    Ok(Item {
        dossier_id: Some(row.try_get("", "id")?),
        code: row
            .try_get::<Option<String>>("", "code")?
            .unwrap_or_default(),
        weight,
    })
}

/// `('RESOLVED', …)`: the statuses the core says end processing, for SQL.
fn finishing() -> String {
    let list: Vec<String> = Status::ALL
        .iter()
        .filter(|s| events::finishes(**s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", list.join(", "))
}

/// Every fact of `scope` in `period`, as lists, as of `now` (a period still running is judged
/// at this instant: a dossier due later this month is not overdue yet).
///
/// # Errors
/// A database failure, a date outside the calendar.
pub async fn fact_sets(
    db: &impl ConnectionTrait,
    calendar: &WorkingCalendar,
    scope: &Scope,
    period: &Period,
    now: i64,
) -> Result<FactSets, ApiError> {
    let as_of = vn(now).min(period.end);
    let (s, e) = period.bounds();
    let mut f = FactSets::default();
    let online = i64::from(Channel::Online.national_code());
    let calendar_error = |e: motcua_core::calendar::CalendarError| {
        ApiError::Internal(anyhow::anyhow!("calendar: {e}"))
    };

    // Filed in the period: the online share, intake in time, procedures used online.
    let mut used_online = BTreeSet::new();
    for r in rows(
        db,
        scope,
        "SELECT d.id, d.code, d.channel, d.procedure_code, d.submitted_at, d.received_at \
         FROM dossiers d WHERE d.submitted_at >= ? AND d.submitted_at < ? AND {scope} ORDER BY d.id",
        vec![s.into(), e.into()],
    )
    .await?
    {
        let item = dossier(&r, 1)?;
        f.push("filed", item.clone());
        if r.try_get::<i64>("", "channel")? == online {
            used_online.insert(r.try_get::<String>("", "procedure_code")?);
            f.push("filed_online", item.clone());
        }
        let filed = r.try_get::<Option<i64>>("", "submitted_at")?.map(vn);
        let received = r.try_get::<Option<i64>>("", "received_at")?.map(vn);
        if let (Some(filed), Some(received)) = (filed, received)
            && events::received_in_time(calendar, filed, received).map_err(calendar_error)?
        {
            f.push("received_timely", item);
        }
    }

    // Received in the period: digitised when filed online or with documents scanned at the desk.
    for r in rows(
        db,
        scope,
        "SELECT d.id, d.code, d.channel, EXISTS (SELECT 1 FROM attachments t WHERE t.dossier_id = d.id \
         AND (t.component_id IS NULL OR t.component_id <> 'KET_QUA')) AS documents \
         FROM dossiers d WHERE d.received_at >= ? AND d.received_at < ? AND {scope} ORDER BY d.id",
        vec![s.into(), e.into()],
    )
    .await?
    {
        let item = dossier(&r, 1)?;
        f.push("received", item.clone());
        let documents: bool = r.try_get::<bool>("", "documents").or_else(|_| {
            r.try_get::<i64>("", "documents").map(|n| n != 0)
        })?;
        if r.try_get::<i64>("", "channel")? == online || documents {
            f.push("digitised", item);
        }
    }

    // Apologies made before the period ended.
    let apologised: BTreeSet<String> = rows(
        db,
        scope,
        "SELECT DISTINCT d.id FROM dossiers d JOIN dossier_history h ON h.dossier_id = d.id \
         WHERE h.action = 'APOLOGIZE_AND_REDATE' AND h.at < ? AND {scope}",
        vec![e.into()],
    )
    .await?
    .iter()
    .map(|r| r.try_get::<String>("", "id"))
    .collect::<Result<_, _>>()?;

    // Finished in the period: each dossier's first finishing event.
    let mut first: BTreeMap<String, (QueryResult, i64)> = BTreeMap::new();
    for r in rows(
        db,
        scope,
        &format!(
            "SELECT d.id, d.code, d.due_at, d.original_due_at, d.result_attachment_id, h.at, h.to_status \
             FROM dossiers d JOIN dossier_history h ON h.dossier_id = d.id \
             WHERE h.to_status IN {} AND h.at < ? AND {{scope}} ORDER BY d.id, h.at, h.id",
            finishing()
        ),
        vec![e.into()],
    )
    .await?
    {
        let id: String = r.try_get("", "id")?;
        let at: i64 = r.try_get("", "at")?;
        first.entry(id).or_insert((r, at));
    }
    for (id, (r, at)) in &first {
        if *at < s {
            continue;
        }
        let item = dossier(r, 1)?;
        f.push("finished", item.clone());
        // Refused at intake: no due date, nothing late.
        let late = due(r)?.is_some_and(|due| !events::on_time(vn(*at), due));
        if late {
            f.push("late", item.clone());
            if apologised.contains(id) {
                f.push("late_apologised", item.clone());
            }
        } else {
            f.push("finished_on_time", item.clone());
        }
        let to: String = r.try_get("", "to_status")?;
        if matches!(
            to.parse::<Status>(),
            Ok(Status::Resolved | Status::Returned)
        ) {
            f.push("finished_with_result", item.clone());
            if r.try_get::<Option<String>>("", "result_attachment_id")?
                .is_some()
            {
                f.push("results_electronic", item);
            }
        }
    }

    // Open at the end of the period and past due.
    for r in rows(
        db,
        scope,
        "SELECT d.id, d.code, d.due_at, d.original_due_at FROM dossiers d \
         WHERE d.received_at < ? AND d.due_at IS NOT NULL AND {scope} ORDER BY d.id",
        vec![e.into()],
    )
    .await?
    {
        let id: String = r.try_get("", "id")?;
        if first.contains_key(&id) {
            continue;
        }
        if let Some(due) = due(&r)?
            && events::open_overdue(due, as_of)
        {
            let item = dossier(&r, 1)?;
            f.push("open_overdue", item.clone());
            f.push("late", item.clone());
            if apologised.contains(&id) {
                f.push("late_apologised", item);
            }
        }
    }

    // Procedures offered online in the scope, and those used online.
    let types: Option<Vec<String>> = match scope {
        Scope::Province => None,
        Scope::Agency(id) => Some(
            db.query_all_raw(statement(
                db,
                "SELECT agency_type FROM agencies WHERE id = ?",
                vec![(*id).into()],
            ))
            .await?
            .iter()
            .map(|r| r.try_get::<String>("", "agency_type"))
            .collect::<Result<_, _>>()?,
        ),
        Scope::Commune(code) => Some(
            db.query_all_raw(statement(
                db,
                "SELECT DISTINCT agency_type FROM agencies WHERE unit_code = ?",
                vec![code.clone().into()],
            ))
            .await?
            .iter()
            .map(|r| r.try_get::<String>("", "agency_type"))
            .collect::<Result<_, _>>()?,
        ),
    };
    for r in db
        .query_all_raw(statement(
            db,
            "SELECT code, agency_type FROM procedures WHERE online_mode <> 'NONE' ORDER BY code",
            Vec::new(),
        ))
        .await?
    {
        let code: String = r.try_get("", "code")?;
        let kind: String = r.try_get("", "agency_type")?;
        if types.as_ref().is_some_and(|t| !t.contains(&kind)) {
            continue;
        }
        let item = Item {
            dossier_id: None,
            code: code.clone(),
            weight: 1,
        };
        f.push("procedures_online", item.clone());
        if used_online.contains(&code) {
            f.push("procedures_used_online", item);
        }
    }

    // Satisfaction surveys answered in the period.
    let survey_scope = match scope {
        Scope::Province => "1 = 1",
        Scope::Agency(_) => "s.competent_agency_id = ?",
        Scope::Commune(_) => "s.unit_code = ?",
    };
    let mut values: Vec<Value> = vec![s.into(), e.into()];
    values.extend(scope_sql(scope).1);
    for r in db
        .query_all_raw(statement(
            db,
            &format!(
                "SELECT d.id, d.code, s.points, s.overall, s.convenience FROM satisfaction_surveys s \
                 JOIN dossiers d ON d.id = s.dossier_id WHERE s.created_at >= ? AND s.created_at < ? \
                 AND {survey_scope} ORDER BY d.id"
            ),
            values,
        ))
        .await?
    {
        let item = dossier(&r, 1)?;
        f.push("surveys", item.clone());
        let points = u64::try_from(r.try_get::<i64>("", "points")?).unwrap_or(0);
        f.push(
            "survey_points",
            Item {
                weight: points,
                ..item.clone()
            },
        );
        let satisfied = |col: &str| -> Result<bool, ApiError> {
            Ok(kpi::survey::Answer::parse(&r.try_get::<String>("", col)?)
                .is_some_and(kpi::survey::Answer::satisfied))
        };
        if satisfied("overall")? {
            f.push("overall_satisfied", item.clone());
        }
        if satisfied("convenience")? {
            f.push("convenience_satisfied", item);
        }
    }

    // Fees paid in the period, and those paid online.
    for r in rows(
        db,
        scope,
        "SELECT d.id, d.code, EXISTS (SELECT 1 FROM payments p WHERE p.dossier_id = d.id \
         AND p.status = 'PAID') AS online FROM dossiers d \
         WHERE d.paid_at >= ? AND d.paid_at < ? AND {scope} ORDER BY d.id",
        vec![s.into(), e.into()],
    )
    .await?
    {
        let item = dossier(&r, 1)?;
        f.push("fee_paid", item.clone());
        let online: bool = r
            .try_get::<bool>("", "online")
            .or_else(|_| r.try_get::<i64>("", "online").map(|n| n != 0))?;
        if online {
            f.push("fee_paid_online", item);
        }
    }
    // Complaints and feedback whose answer fell due in the period (up to now).
    let feedback_scope = match scope {
        Scope::Province => "1 = 1",
        Scope::Agency(_) => "f.agency_id = ?",
        Scope::Commune(_) => "f.agency_id IN (SELECT a.id FROM agencies a WHERE a.unit_code = ?)",
    };
    let mut values: Vec<Value> = vec![s.into(), as_of.timestamp().into()];
    values.extend(scope_sql(scope).1);
    for r in db
        .query_all_raw(statement(
            db,
            &format!(
                "SELECT f.id, f.answered_at, f.resolve_by FROM feedback f \
                 WHERE f.resolve_by >= ? AND f.resolve_by < ? AND {feedback_scope} ORDER BY f.id"
            ),
            values,
        ))
        .await?
    {
        let id: i64 = r.try_get("", "id")?;
        let item = Item {
            dossier_id: None,
            code: format!("PA{id:08}"),
            weight: 1,
        };
        f.push("complaints_due", item.clone());
        let answered: Option<i64> = r.try_get("", "answered_at")?;
        let due = vn(r.try_get::<i64>("", "resolve_by")?);
        if answered.is_some_and(|a| events::on_time(vn(a), due)) {
            f.push("complaints_on_time", item);
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p = Period::parse("2026-Q4").unwrap_or_else(|| panic!("Q4"));
        assert_eq!(p.start.to_rfc3339(), "2026-10-01T00:00:00+07:00");
        assert_eq!(p.end.to_rfc3339(), "2027-01-01T00:00:00+07:00");
        let m = Period::parse("2026-02").unwrap_or_else(|| panic!("month"));
        assert_eq!(m.end.to_rfc3339(), "2026-03-01T00:00:00+07:00");
        let y = Period::parse("2026").unwrap_or_else(|| panic!("year"));
        assert_eq!(y.start.to_rfc3339(), "2026-01-01T00:00:00+07:00");
        for bad in ["26", "2026-13", "2026-Q5", "2026-1", "1999", "x"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }
}
