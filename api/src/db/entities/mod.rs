//! Entities, written by hand (sea-orm's generator gives SQLite and PostgreSQL different types).
//! They hold no business logic.

pub mod administrative_unit;
pub mod procedure;
pub mod procedure_version;
