//! `lunar.from_solar` and `lunar.to_solar`.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::calendar::lunar::{self, LunarDate, LunarError};

/// Parses a strict `YYYY-MM-DD` date.
pub(super) fn date(s: &str) -> Result<NaiveDate, OpError> {
    crate::calendar::parse_iso_date(s).ok_or_else(OpError::invalid_input)
}

#[derive(Deserialize)]
struct FromSolar {
    date: String,
}

pub(super) fn from_solar(input: &Value) -> Result<Value, OpError> {
    let input: FromSolar = parse(input)?;
    let l = lunar::from_solar(date(&input.date)?).map_err(|e| OpError::unusable(&e))?;
    Ok(json!({ "year": l.year, "month": l.month, "day": l.day, "leap": l.leap }))
}

#[derive(Deserialize)]
struct ToSolar {
    year: i32,
    month: i64,
    day: i64,
    leap: bool,
}

pub(super) fn to_solar(input: &Value) -> Result<Value, OpError> {
    let input: ToSolar = parse(input)?;
    // A month or day that does not fit a byte cannot exist either.
    let (Ok(month), Ok(day)) = (u8::try_from(input.month), u8::try_from(input.day)) else {
        return Err(OpError::domain(&LunarError::InvalidDate));
    };
    let lunar = LunarDate {
        year: input.year,
        month,
        day,
        leap: input.leap,
    };
    match lunar::to_solar(lunar) {
        Ok(d) => Ok(json!({ "date": d.format("%Y-%m-%d").to_string() })),
        Err(e @ LunarError::InvalidDate) => Err(OpError::domain(&e)),
        Err(e @ LunarError::OutOfRange) => Err(OpError::unusable(&e)),
    }
}
