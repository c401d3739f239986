//! `identifier.validate`.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::error::Coded;
use crate::identifier::{self, CccdContext, Gender, IdKind};

#[derive(Deserialize)]
struct Input {
    kind: String,
    value: String,
    birth_date: Option<String>,
    gender: Option<String>,
}

pub(super) fn validate(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let kind: IdKind = input.kind.parse().map_err(|_| OpError::invalid_input())?;
    let birth_date = input
        .birth_date
        .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
        .transpose()
        .map_err(|_| OpError::invalid_input())?;
    let gender = match input.gender.as_deref() {
        None => None,
        Some("MALE") => Some(Gender::Male),
        Some("FEMALE") => Some(Gender::Female),
        Some(_) => return Err(OpError::invalid_input()),
    };
    let context = CccdContext { birth_date, gender };
    Ok(match identifier::validate(kind, &input.value, &context) {
        Ok(normalized) => json!({ "valid": true, "normalized": normalized }),
        Err(e) => json!({ "valid": false, "code": e.code(), "message": e.message_vi() }),
    })
}
