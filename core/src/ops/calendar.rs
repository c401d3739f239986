//! `calendar.is_working_day` and `calendar.days_off`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::lunar::date;
use super::{OpError, parse};
use crate::calendar::{CalendarSpec, WorkingCalendar};

/// Resolves the optional `calendar` of an input.
pub(super) fn calendar(spec: Option<Value>) -> Result<WorkingCalendar, OpError> {
    let spec: CalendarSpec = match spec {
        Some(v) => parse(&v)?,
        None => CalendarSpec::default(),
    };
    WorkingCalendar::new(&spec).map_err(|e| OpError::unusable(&e))
}

#[derive(Deserialize)]
struct IsWorkingDay {
    date: String,
    calendar: Option<Value>,
}

pub(super) fn is_working_day(input: &Value) -> Result<Value, OpError> {
    let input: IsWorkingDay = parse(input)?;
    let cal = calendar(input.calendar)?;
    let day = date(&input.date)?;
    let reason = cal.day_off_reason(day).map_err(|e| OpError::unusable(&e))?;
    let mut out = json!({ "working": reason.is_none() });
    if let (Some(reason), Some(map)) = (reason, out.as_object_mut()) {
        map.insert("reason".to_owned(), Value::from(reason.name_vi()));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct DaysOff {
    year: i32,
    calendar: Option<Value>,
}

pub(super) fn days_off(input: &Value) -> Result<Value, OpError> {
    let input: DaysOff = parse(input)?;
    let cal = calendar(input.calendar)?;
    let days = cal
        .days_off(input.year)
        .map_err(|e| OpError::unusable(&e))?;
    let dates: Vec<String> = days.iter().map(|d| d.date.to_string()).collect();
    let names: Vec<String> = days.iter().map(|d| d.reason.name_vi()).collect();
    Ok(json!({ "days_off": dates, "names": names }))
}
