//! Command-line parsing and dispatch for the `motcua` binary.

mod calendar;
mod catalog;
mod due;
pub mod serve;
mod vectors;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// motcua — một cửa: online public services.
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run conformance-vector files (files or folders of *.json) through the core.
    Vectors(vectors::Args),
    /// Print a year's days off (ngày nghỉ) with their names.
    Calendar(calendar::Args),
    /// Compute a due date (ngày hẹn trả) and show the days it skipped.
    Due(due::Args),
    /// Check the procedure catalogue (forms, fee schedules, samples).
    Catalog(catalog::Args),
    /// Serve the GraphQL API (migrates and seeds the demo catalogue first).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or MOTCUA_BIND).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
    },
    /// Apply the database migrations and seed the demo catalogue.
    Migrate,
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    ExportSchema,
}

/// Turns a core error into a message a clerk can read: Vietnamese, English, and the stable code.
pub(crate) fn explain<E: motcua_core::Coded>(e: &E) -> anyhow::Error {
    anyhow::anyhow!("{} / {} ({})", e.message_vi(), e.message_en(), e.code())
}

/// Structured logs on stderr; `RUST_LOG` filters (default `info`).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Parses the command line and runs the command.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Vectors(args) => vectors::run(&args),
        Command::Calendar(args) => calendar::run(&args),
        Command::Due(args) => due::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Serve { bind } => {
            init_logs();
            serve::serve(bind)
        }
        Command::Migrate => {
            init_logs();
            serve::migrate_and_seed()
        }
        Command::ExportSchema => Ok(serve::export_schema()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi / error: {e:#}");
            ExitCode::from(2)
        }
    }
}
