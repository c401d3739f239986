//! How an item's amount is computed from the form data, before reductions.

use serde_json::Value;

use crate::json::Json;
use crate::logic::{Logic, Scope};

/// An amount rule. Every variant may carry a floor and a cap (`min`, `max`).
#[derive(Debug, Clone)]
pub struct Amount {
    kind: Kind,
    min: Option<f64>,
    max: Option<f64>,
}

#[derive(Debug, Clone)]
enum Kind {
    Fixed(f64),
    PerUnit {
        quantity: Logic,
        amount: Box<Amount>,
    },
    Tiered {
        quantity: Logic,
        tiers: Vec<(Option<f64>, f64)>,
    },
    SumOver {
        items: Logic,
        amount: Box<Amount>,
    },
    Formula(Logic),
}

/// A quantity or formula that did not give a usable number.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BadNumber {
    pub(super) got: Value,
}

use crate::load::{LoadError, err};

fn bad(at: &str, reason: impl Into<String>) -> LoadError {
    err(at, "MALFORMED", reason)
}

fn money(v: Option<&Value>, at: &str) -> Result<f64, LoadError> {
    v.and_then(Value::as_f64)
        .filter(|f| *f >= 0.0 && f.is_finite())
        .ok_or_else(|| bad(at, "expected a non-negative number of đồng"))
}

fn logic(v: Option<&Value>, at: &str) -> Result<Logic, LoadError> {
    crate::load::logic(Some(v.ok_or_else(|| bad(at, "missing"))?), at)?
        .ok_or_else(|| bad(at, "missing"))
}

impl Amount {
    /// Loads an amount rule.
    pub(super) fn load(v: &Value, at: &str) -> Result<Self, LoadError> {
        let map = v.as_object().ok_or_else(|| bad(at, "expected an object"))?;
        let mut kind = None;
        let (mut min, mut max) = (None, None);
        for (key, value) in map {
            let here = format!("{at}/{key}");
            let sub = |name: &str| value.get(name);
            let next = match key.as_str() {
                "min" => {
                    min = Some(money(Some(value), &here)?);
                    continue;
                }
                "max" => {
                    max = Some(money(Some(value), &here)?);
                    continue;
                }
                "fixed" => Kind::Fixed(money(Some(value), &here)?),
                "per_unit" => Kind::PerUnit {
                    quantity: logic(sub("quantity"), &format!("{here}/quantity"))?,
                    amount: Box::new(Self::load(
                        sub("amount").unwrap_or(&Value::Null),
                        &format!("{here}/amount"),
                    )?),
                },
                "tiered" => {
                    let list = sub("tiers")
                        .and_then(Value::as_array)
                        .filter(|t| !t.is_empty())
                        .ok_or_else(|| {
                            bad(&format!("{here}/tiers"), "expected a non-empty array")
                        })?;
                    let mut tiers = Vec::new();
                    let mut last_bound = 0.0;
                    for (i, t) in list.iter().enumerate() {
                        let tat = format!("{here}/tiers/{i}");
                        let up_to = t.get("up_to").and_then(Value::as_f64);
                        let is_last = i + 1 == list.len();
                        match up_to {
                            Some(b) if b > last_bound => last_bound = b,
                            Some(_) => {
                                return Err(bad(&format!("{tat}/up_to"), "bounds must increase"));
                            }
                            None if is_last => {}
                            None => {
                                return Err(bad(
                                    &format!("{tat}/up_to"),
                                    "only the last tier may be open-ended",
                                ));
                            }
                        }
                        tiers.push((
                            up_to,
                            money(t.get("unit_price"), &format!("{tat}/unit_price"))?,
                        ));
                    }
                    Kind::Tiered {
                        quantity: logic(sub("quantity"), &format!("{here}/quantity"))?,
                        tiers,
                    }
                }
                "sum_over" => Kind::SumOver {
                    items: logic(sub("items"), &format!("{here}/items"))?,
                    amount: Box::new(Self::load(
                        sub("amount").unwrap_or(&Value::Null),
                        &format!("{here}/amount"),
                    )?),
                },
                "formula" => Kind::Formula(logic(Some(value), &here)?),
                other => {
                    return Err(err(
                        here,
                        "UNKNOWN_KEY",
                        format!("`{other}` is not an amount rule"),
                    ));
                }
            };
            if kind.replace(next).is_some() {
                return Err(bad(
                    at,
                    "an amount has exactly one of fixed, per_unit, tiered, sum_over, formula",
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return Err(bad(at, "min is above max"));
        }
        Ok(Self {
            kind: kind.ok_or_else(|| {
                bad(
                    at,
                    "an amount needs one of fixed, per_unit, tiered, sum_over, formula",
                )
            })?,
            min,
            max,
        })
    }

    /// Computes the amount in đồng (possibly fractional before rounding).
    pub(super) fn compute(&self, scope: &Scope<'_>) -> Result<f64, BadNumber> {
        let quantity = |l: &Logic| {
            let v = l.eval(scope);
            match v.as_f64() {
                Some(q) if q >= 0.0 && q.is_finite() => Ok(q),
                // An absent quantity is none of the thing.
                None if v.is_null() => Ok(0.0),
                _ => Err(BadNumber { got: v.to_value() }),
            }
        };
        let raw = match &self.kind {
            Kind::Fixed(a) => *a,
            Kind::PerUnit {
                quantity: q,
                amount,
            } => quantity(q)? * amount.compute(scope)?,
            Kind::Tiered { quantity: q, tiers } => {
                let q = quantity(q)?;
                let mut total = 0.0;
                let mut lower = 0.0;
                for (up_to, price) in tiers {
                    let upper = up_to.unwrap_or(f64::INFINITY).min(q);
                    if upper > lower {
                        total += (upper - lower) * price;
                    }
                    lower = up_to.unwrap_or(f64::INFINITY);
                    if lower >= q {
                        break;
                    }
                }
                total
            }
            Kind::SumOver { items, amount } => match items.eval(scope).as_ref() {
                Json::Array(elements) => {
                    let mut total = 0.0;
                    for e in elements {
                        total += amount.compute(&scope.with_item(e))?;
                    }
                    total
                }
                Json::Null => 0.0,
                other => {
                    return Err(BadNumber {
                        got: other.to_value(),
                    });
                }
            },
            Kind::Formula(l) => quantity(l)?,
        };
        let floored = self.min.map_or(raw, |m| raw.max(m));
        Ok(self.max.map_or(floored, |m| floored.min(m)))
    }
}
