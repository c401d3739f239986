//! Every core operation as a function of its own: the full package's exports (feature
//! `operations`). `Form` (`form.rs`) is in both packages; the form package (`motcua/form`) is
//! built without these, so that a page that only checks a form gets half the module (`lib.rs`).

use motcua_core::ops;
use wasm_bindgen::prelude::*;

use crate::{error, op_error};

/// Calls a core operation on a JS value (passed through JSON, exactly as the native runner does).
fn call(op: &str, input: &JsValue) -> Result<JsValue, JsValue> {
    let text = js_sys::JSON::stringify(input)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    match ops::call_json(op, &text) {
        Ok(out) => js_sys::JSON::parse(&out),
        Err(e) => Err(op_error(&e)),
    }
}

/// Checks an identifier (CCCD, CMND, MST, phone, e-mail); an invalid one is an answer, not an error.
#[wasm_bindgen(js_name = validateIdentifier, unchecked_return_type = "IdentifierCheck")]
pub fn validate_identifier(
    #[wasm_bindgen(unchecked_param_type = "IdentifierInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("identifier.validate", input)
}

/// Converts a solar date (`YYYY-MM-DD`) to the Vietnamese lunar calendar.
#[wasm_bindgen(js_name = lunarFromSolar, unchecked_return_type = "LunarDate")]
pub fn lunar_from_solar(
    #[wasm_bindgen(unchecked_param_type = "SolarDateInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("lunar.from_solar", input)
}

/// Converts a lunar date to the solar calendar; throws `INVALID_DATE` for a date that does not exist.
#[wasm_bindgen(js_name = lunarToSolar, unchecked_return_type = "SolarDate")]
pub fn lunar_to_solar(
    #[wasm_bindgen(unchecked_param_type = "LunarDate")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("lunar.to_solar", input)
}

/// Whether a date is a working day, and why not when it is not.
#[wasm_bindgen(js_name = isWorkingDay, unchecked_return_type = "WorkingDayAnswer")]
pub fn is_working_day(
    #[wasm_bindgen(unchecked_param_type = "WorkingDayInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("calendar.is_working_day", input)
}

/// The days off of a year, with their Vietnamese names.
#[wasm_bindgen(js_name = daysOff, unchecked_return_type = "DaysOff")]
pub fn days_off(
    #[wasm_bindgen(unchecked_param_type = "DaysOffInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("calendar.days_off", input)
}

/// The legal due date of a dossier, with the days skipped and the paused time.
#[wasm_bindgen(js_name = dueDate, unchecked_return_type = "Due")]
pub fn due_date(
    #[wasm_bindgen(unchecked_param_type = "DueInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("deadline.due", input)
}

/// The status a dossier action leads to; throws the transition table's code when refused.
#[wasm_bindgen(js_name = transition, unchecked_return_type = "TransitionAnswer")]
pub fn transition(
    #[wasm_bindgen(unchecked_param_type = "TransitionInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("dossier.transition", input)
}

/// The receiving unit and the competent agency of a filing, as the server will route it; throws
/// `RECEIVING_UNIT_NOT_FOUND`, `NOT_COMPETENT` or `COMPETENT_AGENCY_REQUIRED`.
#[wasm_bindgen(js_name = routeDossier, unchecked_return_type = "Route")]
pub fn route_dossier(
    #[wasm_bindgen(unchecked_param_type = "RouteInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("dossier.route", input)
}

/// The code of the n-th dossier a unit received on the day of `entered_at`.
#[wasm_bindgen(js_name = dossierCode, unchecked_return_type = "DossierCode")]
pub fn dossier_code(
    #[wasm_bindgen(unchecked_param_type = "CodeInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("dossier.code", input)
}

/// Validates form data against a form definition (both inside the input); every violation with its
/// path, code and messages.
#[wasm_bindgen(js_name = validateForm, unchecked_return_type = "FormValidation")]
pub fn validate_form(
    #[wasm_bindgen(unchecked_param_type = "FormValidateInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("form.validate", input)
}

/// Quotes the fees of a procedure: each line, the total in VND, and the schedule version used.
#[wasm_bindgen(js_name = quoteFee, unchecked_return_type = "FeeQuote")]
pub fn quote_fee(
    #[wasm_bindgen(unchecked_param_type = "FeeQuoteInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("fee.quote", input)
}

/// Checks a satisfaction survey answer: every problem, and its points (an invalid answer is an
/// answer, not an error).
#[wasm_bindgen(js_name = checkSurvey, unchecked_return_type = "SurveyCheck")]
pub fn check_survey(
    #[wasm_bindgen(unchecked_param_type = "SurveyInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("satisfaction.check", input)
}

/// Checks a complaint or feedback before it is sent: every problem (an invalid filing is an
/// answer, not an error).
#[wasm_bindgen(js_name = checkFeedback, unchecked_return_type = "FeedbackCheck")]
pub fn check_feedback(
    #[wasm_bindgen(unchecked_param_type = "FeedbackInput")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("feedback.check", input)
}

/// The Decision 766 index of counts of event facts (optionally with other grade bands).
#[wasm_bindgen(js_name = kpiIndex, unchecked_return_type = "KpiIndex")]
pub fn kpi_index(
    #[wasm_bindgen(unchecked_param_type = "{ facts: KpiFacts; bands?: KpiBands }")] input: &JsValue,
) -> Result<JsValue, JsValue> {
    call("kpi.index", input)
}

/// Judges a file by its bytes and name before it is uploaded, exactly as the server's first look
/// does (SECURITY.md A3, A4); throws the core's code (`UNSUPPORTED_FILE_TYPE`,
/// `EXTENSION_MISMATCH`, `FILE_POLYGLOT`, `PDF_ACTIVE_CONTENT`, `FILE_DAMAGED`, `FILE_EMPTY`) with
/// its Vietnamese message. The server still parses and re-encodes what it receives.
#[wasm_bindgen(js_name = checkFile, unchecked_return_type = "FileCheck")]
pub fn check_file(bytes: &[u8], filename: &str) -> Result<JsValue, JsValue> {
    match motcua_core::file::accept(bytes, filename) {
        Ok((kind, _)) => {
            let out = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&out, &"mime".into(), &kind.mime().into());
            Ok(out.into())
        }
        Err(e) => Err(file_error(&e)),
    }
}

/// Whether a file of `size` bytes may be uploaded at all (`FILE_EMPTY`, `FILE_TOO_LARGE`), asked
/// before its bytes are read into memory.
#[wasm_bindgen(js_name = checkFileSize)]
pub fn check_file_size(size: f64) -> Result<(), JsValue> {
    // A JS number: anything beyond usize (or not a whole number) is simply too large.
    let len = if size.is_finite() && size >= 0.0 && size <= usize::MAX as f64 {
        size as usize
    } else {
        usize::MAX
    };
    motcua_core::file::check_size(len).map_err(|e| file_error(&e))
}

/// A refused file as a JS `Error`: the core's code, its Vietnamese message, and `messageEn`.
fn file_error(e: &motcua_core::file::FileError) -> JsValue {
    use motcua_core::Coded;
    let err = error(e.code(), None, e.message_vi());
    let _ = js_sys::Reflect::set(&err, &"messageEn".into(), &e.message_en().into());
    err
}

/// Runs any operation by name on JSON text and answers JSON text (errors as `{"error": …}`), the
/// contract surface the vector runner uses.
#[wasm_bindgen(js_name = runOperation)]
pub fn run_operation(op: &str, input: &str) -> Result<String, JsValue> {
    ops::run_json(op, input).map_err(|e| error("UNKNOWN_OPERATION", None, &e.to_string()))
}

/// Checks the text of a conformance-vector file; answers `VectorReport` as JSON text.
#[wasm_bindgen(js_name = checkVectorFile)]
pub fn check_vector_file(text: &str) -> String {
    ops::vectors::check_text_json(text)
}

/// The names of the operations this build supports.
#[wasm_bindgen(js_name = operations, unchecked_return_type = "string[]")]
pub fn operations() -> JsValue {
    ops::OPERATIONS
        .iter()
        .map(|op| JsValue::from_str(op))
        .collect::<js_sys::Array>()
        .into()
}
