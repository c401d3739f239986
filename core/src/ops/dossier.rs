//! `dossier.transition`, `dossier.route` and `dossier.code`.

use serde::{Deserialize, Serialize};
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

/// What `dossier.route` takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct RouteInput {
    /// The province's agencies, in the server's order (by code).
    pub agencies: Vec<AgencyRef>,
    /// The procedure's agency type.
    pub agency_type: String,
    /// The receiving unit chosen, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub receiving_id: Option<i64>,
    /// The competent agency chosen, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub competent_id: Option<i64>,
}

/// What `dossier.route` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Route {
    /// The unit the dossier is filed to.
    pub receiving_id: i64,
    /// The agency competent to decide it.
    pub competent_id: i64,
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
    let route = Route {
        receiving_id: receiving.id,
        competent_id: competent.id,
    };
    serde_json::to_value(route).map_err(|_| OpError::invalid_input())
}

/// What `dossier.code` takes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CodeInput {
    /// The receiving unit's electronic ID.
    pub unit: String,
    /// When the dossier entered the system (RFC 3339).
    pub entered_at: String,
    /// The unit's number of the day, from 1.
    pub sequence: u64,
}

/// What `dossier.code` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct DossierCode {
    /// `{unit}-{yyMMdd}-{NNNN}`.
    pub code: String,
    /// The day in Asia/Ho_Chi_Minh, `YYYY-MM-DD`.
    pub day: String,
}

/// `dossier.code`: the code of the n-th dossier a unit received on the day of `entered_at`.
pub(super) fn code(input: &Value) -> Result<Value, OpError> {
    let input: CodeInput = parse(input)?;
    if input.sequence == 0 || input.unit.trim().is_empty() {
        return Err(OpError::invalid_input());
    }
    let day = dossier::entry_day(instant(&input.entered_at)?);
    let answer = DossierCode {
        code: dossier::dossier_code(&input.unit, day, input.sequence),
        day: day.to_string(),
    };
    serde_json::to_value(answer).map_err(|_| OpError::invalid_input())
}
