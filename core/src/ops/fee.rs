//! `fee.quote`.

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::deadline::to_local;
use crate::fee::{Channel, FeeSchedule, QuoteContext, QuoteError};

#[derive(Deserialize)]
struct Context {
    date: String,
    channel: Channel,
    #[serde(default)]
    categories: Vec<String>,
}

#[derive(Deserialize)]
struct Input {
    schedule: Value,
    #[serde(default)]
    data: Value,
    context: Context,
}

/// A date, or an instant converted to its Asia/Ho_Chi_Minh date.
fn entry_date(s: &str) -> Result<NaiveDate, OpError> {
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| OpError::invalid_input());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| to_local(t).date())
        .map_err(|_| OpError::invalid_input())
}

pub(super) fn quote(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let schedule = FeeSchedule::load(&input.schedule)
        .map_err(|e| OpError::definition("INVALID_SCHEDULE", e.code, e.path, e.reason))?;
    let context = QuoteContext {
        date: entry_date(&input.context.date)?,
        channel: input.context.channel,
        categories: input.context.categories,
    };
    let data = if input.data.is_null() {
        json!({})
    } else {
        input.data
    };
    let quote = schedule.quote(&data, &context).map_err(|e| match &e {
        QuoteError::InvalidQuantity { .. } => OpError::new("INVALID_QUANTITY", None, e.to_string()),
        QuoteError::NoVersion(_) => OpError::domain(&e),
    })?;
    let lines: Vec<Value> = quote
        .lines
        .iter()
        .map(|l| json!({ "item": l.item, "amount": l.amount }))
        .collect();
    Ok(json!({
        "procedure": quote.procedure,
        "version": quote.version,
        "total": quote.total,
        "lines": lines,
        "details": quote.lines,
        "free": quote.free,
        "currency": "VND",
    }))
}
