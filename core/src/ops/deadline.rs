//! `deadline.due`.

use chrono::{DateTime, FixedOffset, NaiveTime, SecondsFormat};
use serde::Deserialize;
use serde_json::{Value, json};

use super::calendar::calendar;
use super::{OpError, parse};
use crate::deadline::{self, DEFAULT_CUTOFF, DeadlineError, DueRequest, Pauses, ProcessingTime};

#[derive(Deserialize)]
struct Input {
    received_at: String,
    duration: ProcessingTime,
    calendar: Option<Value>,
    same_day_cutoff: Option<String>,
    #[serde(default)]
    pauses: Vec<(String, String)>,
}

/// Parses an RFC 3339 instant.
pub(super) fn instant(s: &str) -> Result<DateTime<FixedOffset>, OpError> {
    DateTime::parse_from_rfc3339(s).map_err(|_| OpError::invalid_input())
}

/// Formats an instant as the contract wants: RFC 3339, +07:00, whole seconds unless there are
/// fractions.
pub(super) fn format_instant(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

pub(super) fn due(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let cal = calendar(input.calendar)?;
    let same_day_cutoff = match input.same_day_cutoff {
        Some(s) => NaiveTime::parse_from_str(&s, "%H:%M").map_err(|_| OpError::invalid_input())?,
        None => DEFAULT_CUTOFF,
    };
    let pauses = input
        .pauses
        .iter()
        .map(|(from, to)| Ok((instant(from)?, instant(to)?)))
        .collect::<Result<Vec<_>, OpError>>()?;
    let request = DueRequest {
        received_at: instant(&input.received_at)?,
        duration: input.duration,
        same_day_cutoff,
        pauses: Pauses(pauses),
    };
    let due = deadline::due(&request, &cal).map_err(|e| match e {
        DeadlineError::InvalidPause => OpError::unusable(&e),
        DeadlineError::Calendar(c) => OpError::unusable(&c),
    })?;
    let skipped: Vec<String> = due.skipped.iter().map(|d| d.date.to_string()).collect();
    Ok(json!({
        "due_at": format_instant(due.due_at),
        "counting_from": format_instant(due.counting_from),
        "skipped": skipped,
        "paused_seconds": due.paused_seconds,
    }))
}
