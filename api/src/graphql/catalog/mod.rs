//! The procedure catalogue in GraphQL.

mod mutation;
mod query;
mod types;

pub use mutation::{CatalogMutation, ProcedureVersion};
pub use query::CatalogQuery;
pub use types::{ProcedureDetail, ProcedureSummary};
