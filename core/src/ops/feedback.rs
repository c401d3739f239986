//! `feedback.check` and `feedback.deadlines` (the project's): complaints and feedback (PAKN).

use serde::Deserialize;
use serde_json::{Value, json};

use super::calendar::calendar;
use super::deadline::{format_instant, instant};
use super::{OpError, parse};
use crate::feedback::{self, Filing};

pub(super) fn check(input: &Value) -> Result<Value, OpError> {
    let f: Filing = parse(input)?;
    let violations = feedback::check(&f);
    Ok(json!({ "valid": violations.is_empty(), "violations": violations }))
}

#[derive(Deserialize)]
struct DeadlinesInput {
    received_at: String,
    calendar: Option<Value>,
    answered_at: Option<String>,
}

pub(super) fn deadlines(input: &Value) -> Result<Value, OpError> {
    let i: DeadlinesInput = parse(input)?;
    let cal = calendar(i.calendar)?;
    let d =
        feedback::deadlines(&cal, instant(&i.received_at)?).map_err(|e| OpError::unusable(&e))?;
    let publish = match i.answered_at {
        Some(a) => Some(format_instant(
            feedback::publish_by(&cal, instant(&a)?).map_err(|e| OpError::unusable(&e))?,
        )),
        None => None,
    };
    Ok(json!({
        "refuse_by": format_instant(d.refuse_by),
        "request_info_by": format_instant(d.request_info_by),
        "resolve_by": format_instant(d.resolve_by),
        "publish_by": publish,
    }))
}
