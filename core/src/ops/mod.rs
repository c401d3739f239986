//! One dispatcher from an operation name and its JSON input to its JSON output.
//!
//! The conformance vectors, the wasm package and the mobile bindings all call this, so "the same
//! answer everywhere" holds by construction: only file reading and printing differ per platform.
//! Applications use the typed functions of the domain modules; this is the contract surface.

mod calendar;
mod deadline;
mod dossier;
mod fee;
mod feedback;
mod form;
mod identifier;
mod kpi;
mod lunar;
mod payment;
pub mod vectors;

pub use dossier::{CodeInput, DossierCode, Route, RouteInput};
pub use form::{AnswerParts, LoadedForm};

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::borrow::Cow;

use crate::error::Coded;

/// The operations, by name: contracts v1 and v2 (payment) and the ones the project adds
/// (`tests/vectors/README.md`).
pub const OPERATIONS: &[&str] = &[
    "identifier.validate",
    "lunar.from_solar",
    "lunar.to_solar",
    "calendar.is_working_day",
    "calendar.days_off",
    "deadline.due",
    "dossier.transition",
    "dossier.route",
    "dossier.code",
    "form.validate",
    "fee.quote",
    "payment.vnpay.sign",
    "payment.vnpay.ipn",
    "payment.platform.sign",
    "money.in_words",
    "kpi.score",
    "kpi.grade",
    "kpi.index",
    "satisfaction.check",
    "feedback.check",
    "feedback.deadlines",
];

/// The operation name is not one of [`OPERATIONS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{0}`")]
pub struct UnknownOperation(pub String);

/// An error an operation answers with: `{"error": code, "detail": …, "path": …, "message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct OpError {
    code: &'static str,
    detail: Option<&'static str>,
    path: Option<String>,
    message: Cow<'static, str>,
}

impl OpError {
    /// The input could not be read (missing or ill-typed field, unparseable date).
    #[must_use]
    pub fn invalid_input() -> Self {
        Self::new("INVALID_INPUT", None, "Dữ liệu đầu vào không hợp lệ.")
    }

    fn new(
        code: &'static str,
        detail: Option<&'static str>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            code,
            detail,
            path: None,
            message: message.into(),
        }
    }

    /// The input was readable but outside what the operation computes (a year out of range, bad
    /// office hours): `INVALID_INPUT`, with the specific code in `detail`.
    fn unusable<E: Coded>(e: &E) -> Self {
        Self::new("INVALID_INPUT", Some(e.code()), e.message_vi())
    }

    /// An operation-specific error code (e.g. `INVALID_DATE`, `ROLE_NOT_ALLOWED`).
    fn domain<E: Coded>(e: &E) -> Self {
        Self::new(e.code(), None, e.message_vi())
    }

    /// A definition (form, fee schedule) that does not load: its code, the specific reason in
    /// `detail`, and the JSON Pointer inside the definition.
    fn definition(code: &'static str, detail: &'static str, path: String, reason: String) -> Self {
        Self {
            code,
            detail: Some(detail),
            path: Some(path),
            message: reason.into(),
        }
    }

    /// The stable code (`INVALID_INPUT`, `INVALID_DATE`, `ROLE_NOT_ALLOWED`, …).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The more specific code behind the error, when there is one.
    #[must_use]
    pub fn detail(&self) -> Option<&'static str> {
        self.detail
    }

    /// Where in a definition the problem is, for definition errors.
    #[must_use]
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The message (Vietnamese, or the technical reason for definition errors).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    fn unknown_operation() -> Self {
        Self::new("UNKNOWN_OPERATION", None, "Thao tác không tồn tại.")
    }

    fn to_value(&self) -> Value {
        let mut v = json!({ "error": self.code, "message": self.message });
        if let Some(map) = v.as_object_mut() {
            if let Some(detail) = self.detail {
                map.insert("detail".to_owned(), Value::from(detail));
            }
            if let Some(path) = &self.path {
                map.insert("path".to_owned(), Value::from(path.as_str()));
            }
        }
        v
    }
}

/// Reads an operation's input into its typed form.
fn parse<T: DeserializeOwned>(input: &Value) -> Result<T, OpError> {
    T::deserialize(input).map_err(|_| OpError::invalid_input())
}

/// Runs an operation, separating its answer from its error: the form applications and the
/// bindings use (a JS `Error` or a Kotlin/Swift exception carrying the code).
///
/// # Errors
/// The operation's error, or `UNKNOWN_OPERATION`.
pub fn call(op: &str, input: &Value) -> Result<Value, OpError> {
    match op {
        "identifier.validate" => identifier::validate(input),
        "lunar.from_solar" => lunar::from_solar(input),
        "lunar.to_solar" => lunar::to_solar(input),
        "calendar.is_working_day" => calendar::is_working_day(input),
        "calendar.days_off" => calendar::days_off(input),
        "deadline.due" => deadline::due(input),
        "dossier.transition" => dossier::transition(input),
        "dossier.route" => dossier::route(input),
        "dossier.code" => dossier::code(input),
        "form.validate" => form::validate(input),
        "fee.quote" => fee::quote(input),
        "payment.vnpay.sign" => payment::vnpay_sign(input),
        "payment.vnpay.ipn" => payment::vnpay_ipn(input),
        "payment.platform.sign" => payment::platform_sign(input),
        "money.in_words" => payment::in_words(input),
        "kpi.score" => kpi::score(input),
        "kpi.grade" => kpi::grade(input),
        "kpi.index" => kpi::index(input),
        "satisfaction.check" => kpi::survey(input),
        "feedback.check" => feedback::check(input),
        "feedback.deadlines" => feedback::deadlines(input),
        _ => Err(OpError::unknown_operation()),
    }
}

/// [`call`] with JSON text in and out, for the bindings.
///
/// # Errors
/// As [`call`]; text that is not JSON is `INVALID_INPUT`.
pub fn call_json(op: &str, input: &str) -> Result<String, OpError> {
    let input: Value = serde_json::from_str(input).map_err(|_| OpError::invalid_input())?;
    call(op, &input).map(|v| v.to_string())
}

/// Runs an operation in the form of the conformance vectors: an error is an `{"error": …}` output.
///
/// # Errors
/// Only an unknown operation name.
pub fn run(op: &str, input: &Value) -> Result<Value, UnknownOperation> {
    if !OPERATIONS.contains(&op) {
        return Err(UnknownOperation(op.to_owned()));
    }
    Ok(call(op, input).unwrap_or_else(|e| e.to_value()))
}

/// Runs an operation given its input as JSON text, answering JSON text: the form the wasm and
/// mobile bindings pass across their boundary.
///
/// # Errors
/// An unknown operation name.
pub fn run_json(op: &str, input: &str) -> Result<String, UnknownOperation> {
    let value = match serde_json::from_str::<Value>(input) {
        Ok(v) => run(op, &v)?,
        Err(_) if OPERATIONS.contains(&op) => OpError::invalid_input().to_value(),
        Err(_) => return Err(UnknownOperation(op.to_owned())),
    };
    Ok(value.to_string())
}
