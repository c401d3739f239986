//! A compact JSON Logic engine (jsonlogic.com) for form rules, conditions, computed values and fee
//! quantities.
//!
//! Expressions are compiled when a definition is loaded: an unknown operator or a malformed argument
//! list is refused then, with the JSON Pointer of the offending expression, never at evaluation
//! time. Evaluation is total: it never panics and never fails; what JavaScript would turn into
//! `NaN`/`Infinity` (a division by zero) becomes `null`. Written by hand rather than taken from a
//! crate because the crates either do not check expressions at load time or do not fit the wasm
//! budget (ADR 0002).
//!
//! Beyond the standard operators: `$context.…` and `$root.…` variables reach the evaluation context
//! and the whole form from inside `map`/`filter`/`reduce`; `$item.…` is the current element of a
//! repeating group; `length`, `date_diff_days` and `age_years` cover what forms need of dates.

mod compile;
mod eval;
mod value;

pub use compile::{Base, Logic, LogicError, VarPath};
pub use eval::Scope;
pub use value::truthy;
