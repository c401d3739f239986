//! Command-line parsing and dispatch for the `motcua` binary.

mod calendar;
mod catalog;
mod due;
mod kpi;
mod paysim;
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
    /// Serve the GraphQL API (migrates and seeds the demo province first).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or MOTCUA_BIND).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
        /// A TOML configuration file (or MOTCUA_CONFIG); the environment wins over it.
        #[arg(long)]
        config: Option<String>,
    },
    /// Apply the database migrations.
    Migrate {
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<String>,
    },
    /// Apply the migrations and seed the catalogue, units, agencies (and in development the demo
    /// accounts).
    Seed {
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<String>,
    },
    /// Create a province administrator; prints a one-time password to change at first sign-in.
    CreateAdmin {
        /// User name (lower-case ASCII, digits, dots).
        #[arg(long)]
        username: String,
        /// Full name.
        #[arg(long)]
        full_name: String,
        /// The electronic ID of the province's agency the role is held in.
        #[arg(long, default_value = "000.00.00.H42")]
        agency: String,
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<String>,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    ExportSchema,
    /// Run the local payment gateway simulator (demo and tests; refused in production).
    PaymentSim(paysim::Args),
    /// The Decision 766 index's facts: rebuild from the event log, generate a benchmark
    /// province-year, time the province's report.
    Kpi(kpi::Args),
}

/// Turns a core error into a message a clerk can read: Vietnamese, English, and the stable code.
pub(crate) fn explain<E: motcua_core::Coded>(e: &E) -> anyhow::Error {
    anyhow::anyhow!("{} / {} ({})", e.message_vi(), e.message_en(), e.code())
}

/// Structured logs on stderr (JSON lines with `MOTCUA_LOG_FORMAT=json`, the production default);
/// `RUST_LOG` filters (default `info`). Log fields never hold tokens, passwords or ID numbers.
fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
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
        Command::Serve { bind, config } => serve::serve(bind, config.as_deref()),
        Command::Migrate { config } => serve::migrate(config.as_deref()),
        Command::Seed { config } => serve::migrate_and_seed(config.as_deref()),
        Command::CreateAdmin {
            username,
            full_name,
            agency,
            config,
        } => serve::create_admin(&username, &full_name, &agency, config.as_deref()),
        Command::ExportSchema => Ok(serve::export_schema()),
        Command::PaymentSim(args) => paysim::run(args),
        Command::Kpi(args) => kpi::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi / error: {e:#}");
            ExitCode::from(2)
        }
    }
}
