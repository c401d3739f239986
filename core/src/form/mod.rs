//! E-forms (biểu mẫu điện tử) as data: a JSON Schema for shape and constraints, JSON Logic for
//! cross-field rules, conditional fields and computed values, and UI hints — one engine for the
//! phone and the server.

mod definition;
mod memo;
pub(crate) mod paths;
pub mod schema;
mod validate;

pub use definition::{DefinitionError, FieldHints, FormDefinition, Rule, Text};
pub use memo::Memo;
pub(crate) use memo::Since;
pub(crate) use validate::{Checked, or_empty};
pub use validate::{Validation, Violation};

/// A number as people read it: integers without a decimal point.
pub(crate) fn show_number(x: f64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "checked integral and in range"
    )]
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return (x as i64).to_string();
    }
    x.to_string()
}
