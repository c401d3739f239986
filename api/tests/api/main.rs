//! API integration tests: the real server on port 0 with a fresh database, over HTTP.
//! Every test runs on SQLite (in memory) and, when `MOTCUA_TEST_POSTGRES` names a server, on a
//! fresh PostgreSQL database too.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests index JSON answers and fail loudly"
)]

mod accounts;
mod admin;
mod authz;
mod catalog;
mod dossiers;
mod feedback;
mod files;
mod hardening;
mod helpers;
mod kpi;
mod notifications;
mod payments;
#[path = "../support/paysim.rs"]
mod paysim;
mod processing;
mod queues;
mod satisfaction;
mod schema;
mod shape;
#[path = "../support/sink.rs"]
mod sink;
mod sockets;
mod tokens;
mod webapp;
