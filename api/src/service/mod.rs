//! Workflows and transactions, between the GraphQL resolvers and the database.

pub mod catalog;
pub mod units;
