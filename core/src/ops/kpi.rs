//! `kpi.score`, `kpi.grade` (contract v2) and `kpi.index` (the project's): the Decision 766
//! index. Inputs outside the contract's ranges are `INVALID_INPUT` with the specific code in
//! `detail`.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::kpi::{self, Bands, Facts};

#[derive(Deserialize)]
struct Score {
    max: u32,
    numerator: u64,
    denominator: u64,
    threshold_pct: u32,
}

pub(super) fn score(input: &Value) -> Result<Value, OpError> {
    let i: Score = parse(input)?;
    match kpi::score(i.max, i.numerator, i.denominator, i.threshold_pct) {
        Ok(None) => Ok(json!({ "na": true })),
        Ok(Some(s)) => Ok(json!({ "na": false, "score_centi": s })),
        Err(e) => Err(OpError::unusable(&e)),
    }
}

#[derive(Deserialize)]
struct GradeInput {
    score_centi: u32,
    #[serde(default)]
    bands: Option<Bands>,
}

pub(super) fn grade(input: &Value) -> Result<Value, OpError> {
    let i: GradeInput = parse(input)?;
    let g = kpi::grade(i.score_centi, i.bands.unwrap_or_default())
        .map_err(|e| OpError::unusable(&e))?;
    Ok(
        json!({ "grade": g.as_str(), "colour": g.colour().as_str(), "name": g.name(crate::Lang::Vi) }),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexInput {
    facts: Facts,
    #[serde(default)]
    bands: Option<Bands>,
}

pub(super) fn index(input: &Value) -> Result<Value, OpError> {
    let i: IndexInput = parse(input)?;
    let x = kpi::index(&i.facts, i.bands.unwrap_or_default()).map_err(|e| OpError::unusable(&e))?;
    let groups: Vec<Value> = x
        .groups
        .iter()
        .map(|g| {
            json!({
                "group": g.group.as_str(),
                "max": g.max,
                "na": g.score_centi.is_none(),
                "score_centi": g.score_centi,
                "applicable_centi": g.applicable_centi,
                "indicators": g.indicators.iter().map(|s| json!({
                    "code": s.code,
                    "max": s.max,
                    "threshold_pct": s.threshold_pct,
                    "numerator": s.numerator,
                    "denominator": s.denominator,
                    "na": s.score_centi.is_none(),
                    "rate_bp": s.rate_bp,
                    "score_centi": s.score_centi,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({
        "na": x.total_centi.is_none(),
        "total_centi": x.total_centi,
        "grade": x.grade.map(kpi::Grade::as_str),
        "colour": x.colour.map(kpi::Colour::as_str),
        "groups": groups,
    }))
}

#[derive(Deserialize)]
struct SurveyInput {
    indicators: Vec<i64>,
    convenience: String,
    overall: String,
}

/// `satisfaction.check`: whether a survey answer is complete, every problem, and its points.
pub(super) fn survey(input: &Value) -> Result<Value, OpError> {
    let i: SurveyInput = parse(input)?;
    let violations = kpi::survey::check_answer(&i.indicators, &i.convenience, &i.overall);
    Ok(json!({
        "valid": violations.is_empty(),
        "violations": violations,
        "points": kpi::survey::points(&i.indicators),
    }))
}
