//! Quoting: choose the version, compute each line, apply reductions and exemptions, round.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::schedule::{FeeKind, FeeSchedule, FeeVersion};
use crate::dossier::Channel;
use crate::error::Coded;
use crate::json::Json;
use crate::logic::Scope;

/// What a quote depends on besides the form data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteContext {
    /// The date the dossier entered the system (Asia/Ho_Chi_Minh).
    pub date: NaiveDate,
    /// The filing channel.
    pub channel: Channel,
    /// The applicant's categories (e.g. `POOR_HOUSEHOLD`).
    pub categories: Vec<String>,
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteLine {
    /// The fee item.
    pub item: String,
    /// Phí or lệ phí.
    pub kind: FeeKind,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Legal basis of the item.
    pub legal_basis: String,
    /// The amount before reductions, rounded.
    pub base: i64,
    /// The amount due, rounded to a whole đồng, halves up.
    pub amount: i64,
    /// Reductions and exemptions applied (`reduction:<id>`, `exempt:<category>`), with their basis.
    pub applied: Vec<String>,
}

/// A quote: each line, the total, and the schedule version used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The procedure.
    pub procedure: String,
    /// The schedule version used.
    pub version: String,
    /// The lines.
    pub lines: Vec<QuoteLine>,
    /// The sum of the lines, in VND.
    pub total: i64,
    /// The legal basis when the procedure is free of charge.
    pub free: Option<String>,
}

/// Why no quote can be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuoteError {
    /// No version of the schedule is in force on the date.
    #[error("no fee schedule version in force on {0}")]
    NoVersion(NaiveDate),
    /// The form data gave a quantity that is not a non-negative number.
    #[error("item `{item}`: the quantity {got} is not a non-negative number")]
    InvalidQuantity {
        /// The item.
        item: String,
        /// What the form gave.
        got: Value,
    },
}

impl Coded for QuoteError {
    fn code(&self) -> &'static str {
        match self {
            Self::NoVersion(_) => "NO_SCHEDULE_VERSION",
            Self::InvalidQuantity { .. } => "INVALID_QUANTITY",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::NoVersion(_) => "Không có biểu phí, lệ phí áp dụng vào ngày này.",
            Self::InvalidQuantity { .. } => "Số lượng dùng để tính phí, lệ phí không hợp lệ.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::NoVersion(_) => "No fee schedule is in force on this date.",
            Self::InvalidQuantity { .. } => "A quantity used to compute the fee is not valid.",
        }
    }
}

fn in_force(from: Option<NaiveDate>, to: Option<NaiveDate>, date: NaiveDate) -> bool {
    from.is_none_or(|f| f <= date) && to.is_none_or(|t| date <= t)
}

/// Rounds a non-negative amount to a whole đồng, halves up.
#[expect(
    clippy::cast_possible_truncation,
    reason = "fees are far below 2^53 đồng"
)]
fn round_half_up(x: f64) -> i64 {
    (x.max(0.0) + 0.5).floor() as i64
}

impl FeeSchedule {
    /// Quotes the fees for form data in a context.
    ///
    /// # Errors
    /// `NO_SCHEDULE_VERSION` when no version is in force on the date; `INVALID_QUANTITY` when the
    /// form gives a quantity that is not a non-negative number.
    pub fn quote(&self, data: &Value, context: &QuoteContext) -> Result<Quote, QuoteError> {
        let version = self
            .version_on(context.date)
            .ok_or(QuoteError::NoVersion(context.date))?;
        // The context is built as the engine's JSON, borrowing the caller's strings: no `Value`
        // to build and then borrow on every quote.
        let date: Cow<'_, str> = Cow::Owned(context.date.to_string());
        let ctx = Json::object(vec![
            (
                Cow::Borrowed("categories"),
                Json::Array(
                    context
                        .categories
                        .iter()
                        .map(|c| Json::String(Cow::Borrowed(c.as_str())))
                        .collect(),
                ),
            ),
            (
                Cow::Borrowed("channel"),
                Json::from(context.channel.as_str()),
            ),
            (Cow::Borrowed("date"), Json::String(date.clone())),
            (Cow::Borrowed("today"), Json::String(date)),
        ]);
        let data = Json::borrow(data);
        let scope = Scope::new(&data, &ctx);
        let lines = quote_lines(version, &scope, context)?;
        Ok(Quote {
            procedure: self.procedure.clone(),
            version: version.version.clone(),
            total: lines.iter().map(|l| l.amount).sum(),
            lines,
            free: version.free.clone(),
        })
    }
}

fn quote_lines(
    version: &FeeVersion,
    scope: &Scope<'_>,
    context: &QuoteContext,
) -> Result<Vec<QuoteLine>, QuoteError> {
    let mut lines = Vec::new();
    for item in &version.items {
        if item.applies_if.as_ref().is_some_and(|l| !l.test(scope)) {
            continue;
        }
        let base = item
            .amount
            .compute(scope)
            .map_err(|e| QuoteError::InvalidQuantity {
                item: item.id.clone(),
                got: e.got,
            })?;
        let mut amount = base;
        let mut applied = Vec::new();
        let exemption = item.exemptions.iter().find(|e| {
            in_force(e.valid_from, e.valid_to, context.date)
                && e.categories.iter().any(|c| context.categories.contains(c))
        });
        if let Some(e) = exemption {
            amount = 0.0;
            let category = e
                .categories
                .iter()
                .find(|c| context.categories.contains(c))
                .cloned()
                .unwrap_or_default();
            applied.push(format!("exempt:{category} ({})", e.legal_basis));
        } else {
            for r in &item.reductions {
                let applies = in_force(r.valid_from, r.valid_to, context.date)
                    && r.channels
                        .as_ref()
                        .is_none_or(|c| c.contains(&context.channel))
                    && r.categories
                        .as_ref()
                        .is_none_or(|cs| cs.iter().any(|c| context.categories.contains(c)));
                if !applies {
                    continue;
                }
                let before = amount;
                if let Some(p) = r.percent {
                    amount = amount * (100.0 - p) / 100.0;
                }
                if let Some(fixed) = r.fixed_amount {
                    amount = amount.min(fixed);
                }
                // A reduction that changed nothing (a cap above the amount) is not listed.
                if amount < before {
                    applied.push(format!("reduction:{} ({})", r.id, r.legal_basis));
                }
            }
        }
        lines.push(QuoteLine {
            item: item.id.clone(),
            kind: item.kind,
            name_vi: item.name.vi.clone(),
            name_en: item.name.en.clone(),
            legal_basis: item.legal_basis.clone(),
            base: round_half_up(base),
            amount: round_half_up(amount),
            applied,
        });
    }
    Ok(lines)
}
