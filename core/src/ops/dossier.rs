//! `dossier.transition`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::dossier::{self, TransitionInput};

#[derive(Deserialize)]
struct Input {
    status: String,
    action: String,
    role: String,
    received: bool,
    supplement_count: u32,
    redate_count: u32,
    reason: Option<String>,
}

pub(super) fn transition(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let bad = |()| OpError::invalid_input();
    let input = TransitionInput {
        status: input.status.parse().map_err(bad)?,
        action: input.action.parse().map_err(bad)?,
        role: input.role.parse().map_err(bad)?,
        received: input.received,
        supplement_count: input.supplement_count,
        redate_count: input.redate_count,
        reason: input.reason.as_deref(),
    };
    match dossier::transition(&input) {
        Ok(status) => Ok(json!({ "status": status.as_str() })),
        Err(e) => Err(OpError::domain(&e)),
    }
}
