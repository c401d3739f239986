//! Forms and fees for mobile apps: a form loaded once and validated as the citizen types, and fee
//! quotes. Definitions and data cross the boundary as JSON text (they are documents, not records).

use std::sync::{Arc, Mutex, PoisonError};

use motcua_core::dossier::Channel;
use motcua_core::form::{Memo, Violation};
use motcua_core::ops::{AnswerParts, LoadedForm};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::MotcuaError;

/// One violation, with its messages.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormViolation {
    /// JSON Pointer of the field.
    pub path: String,
    /// Stable code.
    pub code: String,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

/// The outcome of a validation.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormValidation {
    /// Whether there is no violation.
    pub valid: bool,
    /// Every violation, sorted by path then code.
    pub violations: Vec<FormViolation>,
    /// Computed values as a JSON object text (`{"/pointer": value}`).
    pub computed_json: String,
}

impl From<Violation> for FormViolation {
    fn from(v: Violation) -> Self {
        Self {
            path: v.path,
            code: v.code,
            message_vi: v.message_vi,
            message_en: v.message_en,
        }
    }
}

/// A loaded form definition, validated as the citizen types.
#[derive(Debug, uniffi::Object)]
pub struct Form {
    loaded: LoadedForm,
    /// What the last check found and the answer it gave: a keystroke changes one field, and only
    /// the checks it can change run again (the core's `form::memo`; the answer is the one a full
    /// check gives). Behind a lock: an app may validate from more than one thread.
    last: Mutex<(Memo, Option<FormValidation>)>,
}

#[uniffi::export]
impl Form {
    /// Loads a definition from its JSON text.
    ///
    /// # Errors
    /// `INVALID_DEFINITION` with `detail` (the loader's code) and the pointer in the message.
    #[uniffi::constructor]
    pub fn new(definition_json: String) -> Result<Arc<Self>, MotcuaError> {
        let loaded = LoadedForm::load_json(&definition_json)?;
        Ok(Arc::new(Self {
            last: Mutex::new((loaded.memo(), None)),
            loaded,
        }))
    }

    /// Validates form data (JSON text) in a context (JSON text, e.g. `{"today": "2026-11-23"}`),
    /// checking again only what changed since the last validation.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the data or the context is not JSON.
    pub fn validate(
        &self,
        data_json: String,
        context_json: Option<String>,
    ) -> Result<FormValidation, MotcuaError> {
        // A panic elsewhere while the lock was held leaves at worst a memo that checks in full.
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let (memo, answer) = &mut *last;
        let context = context_json.as_deref();
        let mut parts =
            self.loaded
                .validate_json_parts_since(memo, &data_json, context, &mut [])?;
        if parts.same {
            if let Some(answer) = answer {
                return Ok(answer.clone());
            }
            // The answer "the same as last time" without one kept: start again, in full.
            *memo = self.loaded.memo();
            parts = self
                .loaded
                .validate_json_parts_since(memo, &data_json, context, &mut [])?;
        }
        let validation = FormValidation {
            valid: parts.valid,
            computed_json: AnswerParts::computed_text(&parts.computed)?,
            violations: parts.violations.into_iter().map(Into::into).collect(),
        };
        *answer = Some(validation.clone());
        Ok(validation)
    }

    /// The procedure code the form belongs to.
    pub fn procedure(&self) -> String {
        self.loaded.definition().form.clone()
    }
}

/// What a fee quote depends on besides the form data.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
pub struct QuoteContext {
    /// `YYYY-MM-DD`, or an RFC 3339 instant (taken in Asia/Ho_Chi_Minh).
    pub date: String,
    /// The filing channel.
    pub channel: Channel,
    /// Applicant categories (e.g. `POOR_HOUSEHOLD`).
    #[uniffi(default = [])]
    pub categories: Vec<String>,
}

/// One line of a quote.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct FeeQuoteLine {
    /// Fee item.
    pub item: String,
    /// `PHI` or `LE_PHI`.
    pub kind: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Legal basis.
    pub legal_basis: String,
    /// Before reductions, VND.
    pub base: i64,
    /// Due, VND.
    pub amount: i64,
    /// Reductions and exemptions applied.
    pub applied: Vec<String>,
}

/// A fee quote.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct FeeQuote {
    /// The procedure.
    pub procedure: String,
    /// The schedule version used.
    pub version: String,
    /// Whole VND.
    pub total: i64,
    /// The lines.
    pub details: Vec<FeeQuoteLine>,
    /// The legal basis when free of charge.
    pub free: Option<String>,
}

#[derive(Serialize)]
struct QuoteInput {
    schedule: Value,
    data: Value,
    context: QuoteContext,
}

/// Quotes the fees of a schedule (JSON text) for form data (JSON text).
///
/// # Errors
/// `INVALID_SCHEDULE`, `NO_SCHEDULE_VERSION`, `INVALID_QUANTITY`, `INVALID_INPUT`.
#[uniffi::export]
pub fn quote_fee(
    schedule_json: String,
    data_json: String,
    context: QuoteContext,
) -> Result<FeeQuote, MotcuaError> {
    let parse =
        |s: &str| serde_json::from_str::<Value>(s).map_err(|_| MotcuaError::invalid_input());
    let input = QuoteInput {
        schedule: parse(&schedule_json)?,
        data: parse(&data_json)?,
        context,
    };
    crate::call("fee.quote", &input)
}

/// Validates form data against a definition in one call (both JSON text).
///
/// # Errors
/// As [`Form::new`] and [`Form::validate`].
#[uniffi::export]
pub fn validate_form(
    definition_json: String,
    data_json: String,
    context_json: Option<String>,
) -> Result<FormValidation, MotcuaError> {
    Form::new(definition_json)?.validate(data_json, context_json)
}
