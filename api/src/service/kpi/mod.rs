//! The Decision 766 index of a scope (the province, an agency, a commune) and a period (a month, a
//! quarter, a year), from the event log: each dossier's events are judged by the core's
//! `kpi::events` rules as they happen (`facts`), the facts are counted in the database by
//! predicates written once (`counts`), and the core's `kpi::index` turns the counts into points.
//! A drill-down lists what the same predicates select, so a headline always equals the total of
//! what is behind it.

pub mod counts;
pub mod export;
pub mod facts;
pub mod generate;

pub use counts::{Breakdown, Item, Page, Window};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use motcua_core::deadline::VN_OFFSET;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::auth::{AccountKind, OfficialRole, Principal};
use crate::error::ApiError;

/// Whose index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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
/// `now`, for the scope and each agency and commune in it. The one path of the GraphQL queries
/// and the spreadsheets.
///
/// # Errors
/// `NOT_FOUND`, `RATE_LIMITED`, a database failure.
pub async fn gather(
    db: &DatabaseConnection,
    p: &Principal,
    scope: &Scope,
    period: &Period,
    now: i64,
) -> Result<Breakdown, ApiError> {
    admit(db, p, scope, now).await?;
    counts::breakdown(db, scope, Window::new(period, now)).await
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
