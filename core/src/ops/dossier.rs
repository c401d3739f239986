//! `dossier.transition`, `dossier.route` and `dossier.code`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::deadline::instant;
use super::{OpError, parse};
use crate::dossier::{self, AgencyRef, TransitionInput};

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

#[derive(Deserialize)]
struct RouteInput {
    agencies: Vec<AgencyRef>,
    agency_type: String,
    receiving_id: Option<i64>,
    competent_id: Option<i64>,
}

/// `dossier.route`: the receiving unit and the competent agency of a filing.
pub(super) fn route(input: &Value) -> Result<Value, OpError> {
    let input: RouteInput = parse(input)?;
    let receiving = dossier::receiving_unit(
        &input.agencies,
        &input.agency_type,
        input.receiving_id,
        input.competent_id,
    )
    .map_err(|e| OpError::domain(&e))?;
    let competent = dossier::competent_agency(
        &input.agencies,
        &input.agency_type,
        receiving,
        input.competent_id,
    )
    .map_err(|e| OpError::domain(&e))?;
    Ok(json!({ "receiving_id": receiving.id, "competent_id": competent.id }))
}

#[derive(Deserialize)]
struct CodeInput {
    unit: String,
    entered_at: String,
    sequence: u64,
}

/// `dossier.code`: the code of the n-th dossier a unit received on the day of `entered_at`.
pub(super) fn code(input: &Value) -> Result<Value, OpError> {
    let input: CodeInput = parse(input)?;
    if input.sequence == 0 || input.unit.trim().is_empty() {
        return Err(OpError::invalid_input());
    }
    let day = dossier::entry_day(instant(&input.entered_at)?);
    Ok(json!({
        "code": dossier::dossier_code(&input.unit, day, input.sequence),
        "day": day.to_string(),
    }))
}
