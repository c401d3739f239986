//! Workflows and transactions, between the GraphQL resolvers and the database.

pub mod accounts;
pub mod agencies;
pub mod attachments;
pub mod audit;
pub mod cache;
pub mod calendar;
pub mod catalog;
pub mod demo;
pub mod dossier;
pub mod events;
pub mod forms;
pub mod identity;
pub mod inbox;
pub mod jobs;
pub mod notify;
pub mod officials;
pub mod outbox;
pub mod printing;
pub mod problem;
pub mod rate_limit;
pub mod sql;
pub mod units;

/// The `*.json` files directly in `dir`, sorted by path: how the catalogue and the administrative
/// units are stored.
///
/// # Errors
/// An unreadable folder.
pub fn json_files(dir: &std::path::Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    use anyhow::Context;
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Ok(files)
}
