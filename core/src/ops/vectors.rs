//! Checking conformance-vector files: the part every runner (native, wasm, UniFFI) shares.
//!
//! A runner only reads files and prints; parsing a file, running its cases and comparing outputs
//! happen here, so the three runners cannot disagree on what "passed" means.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// A case whose output did not match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The case's `id`.
    pub id: String,
    /// What the file expected.
    pub expected: Value,
    /// What the operation answered.
    pub actual: Value,
}

/// The outcome of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: Vec<Failure>,
}

/// A file that is not a vector file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// JSON, but not the vector format.
    #[error("not a vector file: {0}")]
    Shape(String),
}

/// Whether every key of `expect` is in `actual` with an equal value.
#[must_use]
pub fn matches(expect: &Map<String, Value>, actual: &Value) -> bool {
    expect
        .iter()
        .all(|(key, value)| actual.get(key) == Some(value))
}

/// Checks the text of one vector file.
///
/// # Errors
/// When the text is not JSON or not in the vector format (a `cases` array of objects with a
/// string `id` and `op`, and an object `input` and `expect`).
pub fn check_text(text: &str) -> Result<Report, FileError> {
    let file: Value = serde_json::from_str(text).map_err(|e| FileError::Json(e.to_string()))?;
    let cases = file
        .get("cases")
        .and_then(Value::as_array)
        .ok_or_else(|| FileError::Shape("missing `cases` array".to_owned()))?;
    let mut report = Report::default();
    for (index, case) in cases.iter().enumerate() {
        let field = |name: &str| {
            case.get(name)
                .ok_or_else(|| FileError::Shape(format!("case {index}: missing `{name}`")))
        };
        let id = field("id")?
            .as_str()
            .ok_or_else(|| FileError::Shape(format!("case {index}: `id` is not a string")))?;
        let op = field("op")?
            .as_str()
            .ok_or_else(|| FileError::Shape(format!("case {id}: `op` is not a string")))?;
        let input = field("input")?;
        let expect = field("expect")?
            .as_object()
            .ok_or_else(|| FileError::Shape(format!("case {id}: `expect` is not an object")))?;
        let actual = super::run(op, input)
            .unwrap_or_else(|e| json!({ "error": "UNKNOWN_OP", "message": e.to_string() }));
        // An unknown operation is a failure even if a file expected that very error.
        if super::OPERATIONS.contains(&op) && matches(expect, &actual) {
            report.passed += 1;
        } else {
            report.failed.push(Failure {
                id: id.to_owned(),
                expected: Value::Object(expect.clone()),
                actual,
            });
        }
    }
    Ok(report)
}

/// [`check_text`] with the answer as JSON text, for the bindings: `{"passed": N, "failed": […]}`
/// or `{"file_error": "…"}`.
#[must_use]
pub fn check_text_json(text: &str) -> String {
    match check_text(text) {
        Ok(report) => serde_json::to_string(&report).unwrap_or_default(),
        Err(e) => json!({ "file_error": e.to_string() }).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_a_failing_and_an_unknown_case_are_counted() {
        let text = r#"{"cases": [
            {"id": "a", "op": "identifier.validate", "input": {"kind": "CMND", "value": "012345678"},
             "expect": {"valid": true}},
            {"id": "b", "op": "identifier.validate", "input": {"kind": "CMND", "value": "1"},
             "expect": {"valid": true}},
            {"id": "c", "op": "nope", "input": {}, "expect": {"error": "UNKNOWN_OP"}}
        ]}"#;
        let report = check_text(text).unwrap();
        assert_eq!(report.passed, 1);
        let ids: Vec<&str> = report.failed.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    #[test]
    fn malformed_files_are_errors_not_results() {
        assert!(matches!(check_text("{"), Err(FileError::Json(_))));
        assert!(matches!(check_text("[]"), Err(FileError::Shape(_))));
        assert!(matches!(
            check_text(r#"{"cases": [{"id": "x", "op": "lunar.to_solar", "input": {}}]}"#),
            Err(FileError::Shape(_))
        ));
    }
}
