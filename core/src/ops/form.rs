//! `form.validate`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{OpError, parse};
use crate::form::FormDefinition;
use crate::json::Json;

#[derive(Deserialize)]
struct Input {
    definition: Value,
    data: Value,
    #[serde(default)]
    context: Value,
}

/// Loads a form definition, reporting `INVALID_DEFINITION` with the reason and its pointer.
pub(super) fn load(definition: &Value) -> Result<FormDefinition, OpError> {
    FormDefinition::load(definition)
        .map_err(|e| OpError::definition("INVALID_DEFINITION", e.code, e.path, e.reason))
}

pub(super) fn validate(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let form = load(&input.definition)?;
    Ok(output(&form, &input.data, &input.context))
}

/// Validates and answers in the contract's shape.
fn output(form: &FormDefinition, data: &Value, context: &Value) -> Value {
    answer(form, Json::borrow(data), &Json::borrow(context), |a| {
        serde_json::to_value(a).unwrap_or(Value::Null)
    })
}

/// The contract's answer, borrowed from the validation, so that the text a phone receives is
/// written straight from it (members in the order a JSON object of the contract sorts them).
#[derive(Serialize)]
struct Answer<'a> {
    computed: BTreeMap<&'a str, &'a Json<'static>>,
    form: &'a str,
    hidden: &'a [String],
    messages: Vec<Message<'a>>,
    required: &'a [String],
    valid: bool,
    version: &'a str,
    violations: Vec<Place<'a>>,
}

#[derive(Serialize)]
struct Message<'a> {
    en: &'a str,
    vi: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    code: &'a str,
    path: &'a str,
}

fn answer<T>(
    form: &FormDefinition,
    data: Json<'_>,
    context: &Json<'_>,
    write: impl FnOnce(&Answer<'_>) -> T,
) -> T {
    let empty = Json::Object(Vec::new());
    let context = if context.is_null() { &empty } else { context };
    let result = form.check(data, context);
    write(&Answer {
        // Later values of one pointer win, as they did when this was a JSON object.
        computed: result
            .computed
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
        form: &form.form,
        hidden: &result.hidden,
        messages: result
            .violations
            .iter()
            .map(|v| Message {
                en: &v.message_en,
                vi: &v.message_vi,
            })
            .collect(),
        required: &result.required,
        valid: result.violations.is_empty(),
        version: &form.version,
        violations: result
            .violations
            .iter()
            .map(|v| Place {
                code: &v.code,
                path: &v.path,
            })
            .collect(),
    })
}

/// A form definition loaded once and used for many validations: what a phone keeps in memory
/// while a citizen fills the form. Answers exactly as `form.validate` does.
#[derive(Debug, Clone)]
pub struct LoadedForm(FormDefinition);

impl LoadedForm {
    /// Loads a definition from its JSON text.
    ///
    /// # Errors
    /// `INVALID_INPUT` for text that is not JSON; `INVALID_DEFINITION` with `detail` and `path`.
    pub fn load_json(definition: &str) -> Result<Self, OpError> {
        let value: Value =
            serde_json::from_str(definition).map_err(|_| OpError::invalid_input())?;
        load(&value).map(Self)
    }

    /// Validates form data given as JSON text; the answer is JSON text.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the data or the context is not JSON.
    pub fn validate_json(&self, data: &str, context: Option<&str>) -> Result<String, OpError> {
        // Read borrowing the text's strings: on a phone, building a `serde_json::Value` for every
        // keystroke's check cost more than the check.
        let data = Json::parse(data).map_err(|_| OpError::invalid_input())?;
        let context = match context {
            Some(c) => Json::parse(c).map_err(|_| OpError::invalid_input())?,
            None => Json::Null,
        };
        answer(&self.0, data, &context, |a| serde_json::to_string(a))
            .map_err(|_| OpError::invalid_input())
    }

    /// The loaded definition.
    #[must_use]
    pub fn definition(&self) -> &FormDefinition {
        &self.0
    }
}
