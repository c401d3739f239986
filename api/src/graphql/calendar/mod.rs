//! The working calendar in GraphQL, so clients compute due dates with the server's data.

use async_graphql::{Context, Object, Result, SimpleObject};
use motcua_core::Lang;
use motcua_core::calendar::{self, CalendarSpec, WorkingCalendar};

use crate::error::ApiError;
use crate::graphql::guard::principal;
use crate::graphql::user_error::UserError;
use crate::service::calendar as adjustments;

/// A day that is not worked.
#[derive(SimpleObject, Debug)]
pub struct DayOff {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Why, in the request's language.
    pub reason: String,
}

/// A year of the working calendar.
#[derive(SimpleObject, Debug)]
pub struct WorkingYear {
    /// The year.
    pub year: i32,
    /// Holidays, compensatory days and official days off (weekends are not listed).
    pub days_off: Vec<DayOff>,
    /// Saturdays worked instead of a swapped weekday.
    pub make_up_days: Vec<String>,
    /// The legal sources of the official schedule used, empty when the rules apply.
    pub sources: Vec<String>,
}

/// Calendar queries.
#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// The days off of a year (1900–2199) by the Labour Code, the shipped official schedules and
    /// the province's adjustments (extra days off, make-up days); `rulesOnly` ignores the official
    /// schedules.
    async fn working_calendar(
        &self,
        ctx: &Context<'_>,
        year: i32,
        rules_only: Option<bool>,
    ) -> Result<WorkingYear> {
        let lang = crate::graphql::lang(ctx);
        let rules_only = rules_only.unwrap_or(false);
        let spec: CalendarSpec = adjustments::spec(crate::graphql::db(ctx)?, rules_only)
            .await
            .map_err(|e| e.into_graphql(lang))?;
        let cal = WorkingCalendar::new(&spec)
            .map_err(|_| ApiError::InvalidInput("calendar").into_graphql(lang))?;
        let out_of_range = |_| ApiError::InvalidInput("year outside 1900–2199").into_graphql(lang);
        let days = cal.days_off(year).map_err(out_of_range)?;
        let make_up = cal.make_up_days(year).map_err(out_of_range)?;
        Ok(WorkingYear {
            year,
            days_off: days
                .iter()
                .map(|d| DayOff {
                    date: d.date.to_string(),
                    reason: match lang {
                        Lang::Vi => d.reason.name_vi(),
                        Lang::En => d.reason.name_en(),
                    },
                })
                .collect(),
            make_up_days: make_up.iter().map(ToString::to_string).collect(),
            sources: calendar::schedule_sources(year, rules_only)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        })
    }
}

/// A province's adjustment of the calendar.
#[derive(SimpleObject, Debug)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `DAY_OFF` or `WORKING_DAY`.
    pub kind: String,
    /// Why, in the request's language.
    pub reason: String,
}

impl CalendarDay {
    fn from_row(m: crate::db::entities::calendar_adjustment::Model, lang: Lang) -> Self {
        Self {
            date: m.date,
            kind: m.kind,
            reason: if lang == Lang::En {
                m.name_en
            } else {
                m.name_vi
            },
        }
    }
}

/// The answer of a calendar mutation.
#[derive(SimpleObject, Debug, Default)]
pub struct CalendarDayPayload {
    /// The day as stored (absent after a removal).
    pub calendar_day: Option<CalendarDay>,
    /// Whether a removal found a day to remove.
    pub removed: bool,
    /// How many open dossiers' due dates moved with the change (each with a history row).
    pub recomputed_dossiers: u64,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

/// After a change, this instance's due dates use the new calendar at once (other instances
/// within the cache's TTL).
fn forget_calendar(ctx: &Context<'_>) {
    let Ok(cache) = crate::graphql::dossiers::cache(ctx) else {
        return;
    };
    cache.forget_calendar();
}

/// Calendar mutations (province administrators; every change is audited).
#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Declares `date` an extra day off (`dayOff: true`) or a make-up working day, with the
    /// reason in Vietnamese and English. Deadlines computed afterwards use it.
    async fn set_calendar_day(
        &self,
        ctx: &Context<'_>,
        date: String,
        day_off: bool,
        reason_vi: String,
        reason_en: String,
    ) -> Result<CalendarDayPayload> {
        let lang = crate::graphql::lang(ctx);
        let p = principal(ctx)?;
        let out = adjustments::set_day(
            crate::graphql::db(ctx)?,
            crate::graphql::dossiers::cache(ctx)?,
            p,
            &date,
            day_off,
            &reason_vi,
            &reason_en,
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        forget_calendar(ctx);
        Ok(match out {
            Ok((m, moved)) => CalendarDayPayload {
                calendar_day: Some(CalendarDay::from_row(m, lang)),
                recomputed_dossiers: moved,
                ..CalendarDayPayload::default()
            },
            Err(problems) => CalendarDayPayload {
                user_errors: UserError::list(problems, lang),
                ..CalendarDayPayload::default()
            },
        })
    }

    /// Removes the adjustment of `date`.
    async fn remove_calendar_day(
        &self,
        ctx: &Context<'_>,
        date: String,
    ) -> Result<CalendarDayPayload> {
        let lang = crate::graphql::lang(ctx);
        let p = principal(ctx)?;
        let out = adjustments::remove_day(
            crate::graphql::db(ctx)?,
            crate::graphql::dossiers::cache(ctx)?,
            p,
            &date,
        )
        .await
        .map_err(|e| e.into_graphql(lang))?;
        forget_calendar(ctx);
        Ok(match out {
            Ok((removed, moved)) => CalendarDayPayload {
                removed,
                recomputed_dossiers: moved,
                ..CalendarDayPayload::default()
            },
            Err(problems) => CalendarDayPayload {
                user_errors: UserError::list(problems, lang),
                ..CalendarDayPayload::default()
            },
        })
    }
}

/// The province's adjustments, for clients that compute with the same calendar.
#[derive(Default)]
pub struct CalendarAdjustmentsQuery;

#[Object]
impl CalendarAdjustmentsQuery {
    /// Every extra day off and make-up working day the province has declared, by date.
    async fn calendar_adjustments(&self, ctx: &Context<'_>) -> Result<Vec<CalendarDay>> {
        let lang = crate::graphql::lang(ctx);
        Ok(adjustments::adjustments(crate::graphql::db(ctx)?)
            .await
            .map_err(|e| e.into_graphql(lang))?
            .into_iter()
            .map(|m| CalendarDay::from_row(m, lang))
            .collect())
    }
}
