//! The working calendar in GraphQL, so clients compute due dates with the server's data.

use async_graphql::{Context, Object, Result, SimpleObject};
use motcua_core::Lang;
use motcua_core::calendar::{self, CalendarSpec, WorkingCalendar};

use crate::error::ApiError;

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
    /// The days off of a year (1900–2199) by the Labour Code and the shipped official schedules;
    /// `rulesOnly` ignores the official schedules.
    async fn working_calendar(
        &self,
        ctx: &Context<'_>,
        year: i32,
        rules_only: Option<bool>,
    ) -> Result<WorkingYear> {
        let lang = crate::graphql::lang(ctx);
        let rules_only = rules_only.unwrap_or(false);
        let spec = CalendarSpec {
            rules_only,
            ..CalendarSpec::default()
        };
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
