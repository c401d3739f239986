//! A compact JSON Schema 2020-12 engine for the keywords motcua's forms use (ADR 0002).
//!
//! The `jsonschema` crate does not fit the wasm budget, so this engine implements the subset below
//! and is proven against that crate in differential tests. A schema using any other keyword is
//! refused when it is loaded — never silently ignored — so a definition cannot say more than this
//! engine checks.
//!
//! Supported: `type`, `enum`, `const`; `minLength`, `maxLength`, `pattern` (regex-lite syntax),
//! `format`; `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`;
//! `properties`, `required`, `additionalProperties`, `minProperties`, `maxProperties`,
//! `dependentRequired`; `items`, `minItems`, `maxItems`, `uniqueItems`; `allOf`, `anyOf`, `oneOf`,
//! `not`, `if`/`then`/`else`; `$ref` to `#/$defs/…` (no cycles) with `$defs` at the root; boolean
//! schemas. Annotations (`$schema`, `$id`, `$comment`, `title`, `description`, `default`,
//! `examples`, `readOnly`, `writeOnly`, `deprecated`, and `x-…`) are accepted and ignored.

mod compile;
mod format;
mod pattern;
mod validate;

pub use compile::{CompiledSchema, SchemaError};
pub use format::Format;
pub use validate::{SchemaViolation, json_equal};
