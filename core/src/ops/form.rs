//! `form.validate`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{OpError, parse};
use crate::form::FormDefinition;

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
    let empty = json!({});
    let context = if context.is_null() { &empty } else { context };
    let result = form.validate(data, context);
    let violations: Vec<Value> = result
        .violations
        .iter()
        .map(|v| json!({ "path": v.path, "code": v.code }))
        .collect();
    let messages: Vec<Value> = result
        .violations
        .iter()
        .map(|v| json!({ "vi": v.message_vi, "en": v.message_en }))
        .collect();
    let computed: Map<String, Value> = result.computed.into_iter().collect();
    json!({
        "valid": result.valid,
        "violations": violations,
        "messages": messages,
        "computed": computed,
        "hidden": result.hidden,
        "required": result.required,
        "form": form.form,
        "version": form.version,
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
        let data: Value = serde_json::from_str(data).map_err(|_| OpError::invalid_input())?;
        let context: Value = match context {
            Some(c) => serde_json::from_str(c).map_err(|_| OpError::invalid_input())?,
            None => Value::Null,
        };
        Ok(output(&self.0, &data, &context).to_string())
    }

    /// The loaded definition.
    #[must_use]
    pub fn definition(&self) -> &FormDefinition {
        &self.0
    }
}
