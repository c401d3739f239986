//! The procedure catalogue in GraphQL.

mod query;
mod types;

pub use query::CatalogQuery;
