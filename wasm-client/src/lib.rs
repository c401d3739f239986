//! WebAssembly exports of the motcua core: every operation, typed for TypeScript.
//!
//! Each export is one line: it hands its input to the core's dispatcher (`motcua_core::ops`) and
//! returns the answer, or throws a JS `Error` whose `code` is the core's stable code. No rule
//! lives here; the TypeScript types below mirror the operations' JSON contract
//! (`tests/vectors/README.md` and `../shared/vectors/README.md`).

mod types;

use std::cell::RefCell;

use motcua_core::ops;
use rustc_hash::FxHashMap;
use wasm_bindgen::prelude::*;

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

fn op_error(e: &ops::OpError) -> JsValue {
    let err = error(e.code(), e.detail(), e.message());
    if let Some(path) = e.path() {
        let _ = js_sys::Reflect::set(&err, &"path".into(), &path.into());
    }
    err
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

/// A form definition loaded once, validated many times (as a citizen types).
#[wasm_bindgen]
pub struct Form {
    loaded: ops::LoadedForm,
    messages: RefCell<Messages>,
}

/// The messages a form has given so far, each one frozen JS object `{ en, vi }` handed out again
/// whenever the same message comes back. A message's text crossing into JavaScript (decoded,
/// then parsed inside the answer) cost more than the check that found it: an invalid answer of
/// the largest demo form spent about 20 µs of its 46 there, every keystroke.
#[derive(Default)]
struct Messages {
    /// By Vietnamese text: the English text and its object.
    kept: FxHashMap<String, Vec<(String, JsValue)>>,
    count: usize,
}

/// Messages a form keeps (a form has a few dozen; pointers without a label make more).
const MESSAGES_KEPT: usize = 512;

impl Messages {
    fn object(&mut self, vi: &str, en: &str) -> JsValue {
        let known = self
            .kept
            .get(vi)
            .and_then(|l| l.iter().find(|(e, _)| e == en));
        if let Some((_, o)) = known {
            return o.clone();
        }
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"en".into(), &en.into());
        let _ = js_sys::Reflect::set(&o, &"vi".into(), &vi.into());
        let o: JsValue = js_sys::Object::freeze(&o).into();
        if self.count < MESSAGES_KEPT {
            self.count += 1;
            self.kept
                .entry(vi.to_owned())
                .or_default()
                .push((en.to_owned(), o.clone()));
        }
        o
    }
}

#[wasm_bindgen]
impl Form {
    /// Loads a definition from its JSON text; throws `INVALID_DEFINITION` (with `detail`, `path`).
    pub fn load(definition: &str) -> Result<Form, JsValue> {
        ops::LoadedForm::load_json(definition)
            .map(|loaded| Form {
                loaded,
                messages: RefCell::default(),
            })
            .map_err(|e| op_error(&e))
    }

    /// Validates form data given as JSON text (and an optional context as JSON text).
    #[wasm_bindgen(js_name = validateText, unchecked_return_type = "FormValidation")]
    pub fn validate_text(&self, data: &str, context: Option<String>) -> Result<JsValue, JsValue> {
        let mut kept = self.messages.borrow_mut();
        let messages = js_sys::Array::new();
        let out = self
            .loaded
            .validate_json_apart(data, context.as_deref(), &mut |vi, en| {
                messages.push(&kept.object(vi, en));
            })
            .map_err(|e| op_error(&e))?;
        let answer = js_sys::JSON::parse(&out)?;
        js_sys::Reflect::set(&answer, &"messages".into(), &messages)?;
        Ok(answer)
    }

    /// Validates form data given as an object.
    #[wasm_bindgen(unchecked_return_type = "FormValidation")]
    pub fn validate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] data: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "FormContext | undefined")] context: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = |v: &JsValue| js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string());
        let context = if context.is_undefined() {
            None
        } else {
            text(context)
        };
        self.validate_text(&text(data).unwrap_or_default(), context)
    }
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
