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
    let context = if input.context.is_null() {
        json!({})
    } else {
        input.context
    };
    let result = form.validate(&input.data, &context);
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
    Ok(json!({
        "valid": result.valid,
        "violations": violations,
        "messages": messages,
        "computed": computed,
        "form": form.form,
        "version": form.version,
    }))
}
