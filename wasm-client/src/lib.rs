//! WebAssembly exports of the motcua core: every operation, typed for TypeScript.
//!
//! Each export is one line: it hands its input to the core's dispatcher (`motcua_core::ops`) and
//! returns the answer, or throws a JS `Error` whose `code` is the core's stable code. No rule
//! lives here; the TypeScript types below mirror the operations' JSON contract
//! (`tests/vectors/README.md` and `../shared/vectors/README.md`).

mod types;

use motcua_core::ops;
use wasm_bindgen::prelude::*;

/// Calls a core operation on a JS value (passed through JSON, exactly as the native runner does).
fn call(op: &str, input: &JsValue) -> Result<JsValue, JsValue> {
    let text = js_sys::JSON::stringify(input)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    match ops::call_json(op, &text) {
        Ok(out) => js_sys::JSON::parse(&out),
        Err(e) => Err(error(e.code(), e.detail(), e.message())),
    }
}

/// A JS `Error` carrying the core's stable `code` (and `detail` when there is one).
fn error(code: &str, detail: Option<&str>, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    if let Some(detail) = detail {
        let _ = js_sys::Reflect::set(&err, &"detail".into(), &detail.into());
    }
    err.into()
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
