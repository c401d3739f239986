#![doc = include_str!("../README.md")]

uniffi::setup_scaffolding!("motcua");

mod error;
mod form;
mod types;

pub use error::MotcuaError;
pub use form::{
    FeeQuote, FeeQuoteLine, Form, FormValidation, FormViolation, QuoteContext, quote_fee,
    validate_form,
};
pub use types::*;

use motcua_core::ops;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Calls a core operation with a record, answering a record: the whole of this crate's logic.
/// Everything passes through the core's JSON contract, so phones get the server's exact answers.
fn call<I: Serialize, O: DeserializeOwned>(op: &str, input: &I) -> Result<O, MotcuaError> {
    let input = serde_json::to_value(input).map_err(|_| MotcuaError::invalid_input())?;
    let output = ops::call(op, &input)?;
    serde_json::from_value(output).map_err(|_| MotcuaError::invalid_input())
}

/// Checks an identifier; an invalid identifier is an answer (`valid: false` with a code), not an error.
///
/// # Errors
/// `INVALID_INPUT` for a malformed birth date.
#[uniffi::export]
pub fn validate_identifier(input: IdentifierInput) -> Result<IdentifierCheck, MotcuaError> {
    call("identifier.validate", &input)
}

/// Converts a solar date (`YYYY-MM-DD`) to the Vietnamese lunar calendar.
///
/// # Errors
/// `INVALID_INPUT` for a malformed date or a year outside 1900–2199.
#[uniffi::export]
pub fn lunar_from_solar(date: String) -> Result<LunarDate, MotcuaError> {
    call("lunar.from_solar", &SolarDate { date })
}

/// Converts a lunar date to a solar date (`YYYY-MM-DD`).
///
/// # Errors
/// `INVALID_DATE` for a lunar date that does not exist.
#[uniffi::export]
pub fn lunar_to_solar(date: LunarDate) -> Result<String, MotcuaError> {
    call("lunar.to_solar", &date).map(|d: SolarDate| d.date)
}

/// Whether a date is a working day, and why not.
///
/// # Errors
/// `INVALID_INPUT` for a malformed date or calendar.
#[uniffi::export]
pub fn is_working_day(
    date: String,
    calendar: Option<CalendarSpec>,
) -> Result<WorkingDayAnswer, MotcuaError> {
    call(
        "calendar.is_working_day",
        &WorkingDayInput { date, calendar },
    )
}

/// The days off of a year with their Vietnamese names.
///
/// # Errors
/// `INVALID_INPUT` for a year outside 1900–2199 or a malformed calendar.
#[uniffi::export]
pub fn days_off(year: i32, calendar: Option<CalendarSpec>) -> Result<DaysOff, MotcuaError> {
    call("calendar.days_off", &DaysOffInput { year, calendar })
}

/// The legal due date of a dossier.
///
/// # Errors
/// `INVALID_INPUT` for malformed times, calendars or pauses.
#[uniffi::export]
pub fn due_date(input: DueInput) -> Result<Due, MotcuaError> {
    call("deadline.due", &input)
}

/// The status a dossier action leads to.
///
/// # Errors
/// The transition table's code (`TERMINAL_STATE`, `ROLE_NOT_ALLOWED`, …).
#[uniffi::export]
pub fn transition(input: TransitionInput) -> Result<Status, MotcuaError> {
    call("dossier.transition", &input).map(|a: TransitionAnswer| a.status)
}

/// The receiving unit and the competent agency of a filing, as the server will route it.
///
/// # Errors
/// `RECEIVING_UNIT_NOT_FOUND`, `NOT_COMPETENT`, `COMPETENT_AGENCY_REQUIRED`.
#[uniffi::export]
pub fn route_dossier(input: ops::RouteInput) -> Result<ops::Route, MotcuaError> {
    call("dossier.route", &input)
}

/// The code of the n-th dossier a unit received on the day of `entered_at`.
///
/// # Errors
/// `INVALID_INPUT` for a malformed instant, a blank unit or sequence 0.
#[uniffi::export]
pub fn dossier_code(input: ops::CodeInput) -> Result<ops::DossierCode, MotcuaError> {
    call("dossier.code", &input)
}

/// Runs any operation by name on JSON text; errors are `{"error": …}` outputs (the vector form).
///
/// # Errors
/// `UNKNOWN_OPERATION`.
#[uniffi::export]
pub fn run_operation(op: String, input_json: String) -> Result<String, MotcuaError> {
    ops::run_json(&op, &input_json).map_err(|e| MotcuaError::unknown_operation(&e))
}

/// Checks the text of a conformance-vector file.
///
/// # Errors
/// `VECTOR_FILE` when the text is not a vector file.
#[uniffi::export]
pub fn check_vector_file(text: String) -> Result<VectorReport, MotcuaError> {
    Ok(ops::vectors::check_text(&text)?.into())
}

/// The names of the operations this build supports.
#[uniffi::export]
#[must_use]
pub fn operations() -> Vec<String> {
    ops::OPERATIONS.iter().map(|&op| op.to_owned()).collect()
}
