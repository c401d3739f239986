//! `motcua kpi`: the Decision 766 index's facts kept by the service — rebuilt from the event log
//! (`rebuild`), a province-year generated for the benchmark (`generate`), and the province's
//! full report timed (`report`).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use motcua_core::calendar::WorkingCalendar;
use motcua_core::kpi::{self, Bands};
use sea_orm::DatabaseConnection;

use crate::config::{Config, Mode};
use crate::service::kpi::{Period, Scope, Window, counts, facts, generate};

/// Arguments of `motcua kpi`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// A TOML configuration file.
    #[arg(long, global = true)]
    config: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Recompute every filed dossier's facts from the event log and rewrite those that differ
    /// (0 on a healthy database).
    Rebuild,
    /// Generate a province-year of dossiers with their event log (development databases only).
    Generate {
        /// How many dossiers.
        #[arg(long, default_value_t = 2_000_000)]
        dossiers: u64,
        /// The year they are filed in.
        #[arg(long, default_value_t = 2026)]
        year: i32,
        /// The random seed.
        #[arg(long, default_value_t = 766)]
        seed: u64,
        /// Do not add a People's Committee and a police desk to communes that have none.
        #[arg(long)]
        existing_agencies_only: bool,
    },
    /// Compute the province's index with every agency and commune, `repeat` times, and print
    /// how long each took.
    Report {
        /// `YYYY`, `YYYY-Qn` or `YYYY-MM`.
        #[arg(long, default_value = "2026")]
        period: String,
        /// How many times.
        #[arg(long, default_value_t = 5)]
        repeat: u32,
    },
}

async fn calendar(db: &DatabaseConnection) -> anyhow::Result<WorkingCalendar> {
    let spec = crate::service::calendar::spec::spec(db, false).await?;
    WorkingCalendar::new(&spec).map_err(|e| anyhow::anyhow!("calendar: {e}"))
}

pub(super) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    super::init_logs(config.json_logs);
    actix_web::rt::System::new().block_on(async move {
        let db = super::serve::open(&config).await?;
        match args.command {
            Command::Rebuild => {
                let cal = calendar(&db).await?;
                let started = Instant::now();
                let r = facts::rebuild(&db, &cal).await?;
                println!(
                    "kpi rebuild: {} dossiers checked, {} rows rewritten, {:.1} s",
                    r.checked,
                    r.written,
                    started.elapsed().as_secs_f64()
                );
            }
            Command::Generate {
                dossiers,
                year,
                seed,
                existing_agencies_only,
            } => {
                if config.mode == Mode::Production {
                    anyhow::bail!("the generator never writes to a production database");
                }
                super::serve::seed(&db, &config).await?;
                let cal = calendar(&db).await?;
                let options = generate::Options {
                    dossiers,
                    year,
                    seed,
                    every_commune: !existing_agencies_only,
                    now: crate::auth::now(),
                };
                let started = Instant::now();
                let report_every = (dossiers / 20).max(1);
                let g = generate::generate(&db, &cal, &options, |n| {
                    if n % report_every < 2000 || n == dossiers {
                        let s = started.elapsed().as_secs_f64();
                        eprintln!("  {n} dossiers, {s:.0} s");
                    }
                })
                .await?;
                let s = started.elapsed().as_secs_f64();
                #[allow(clippy::cast_precision_loss)]
                let (rate, rows) = (g.dossiers as f64 / s, g.rows as f64 / s);
                println!(
                    "kpi generate: {} dossiers ({} rows, {} agencies added) in {s:.1} s: \
                     {rate:.0} dossiers/s, {rows:.0} rows/s ({} database)",
                    g.dossiers,
                    g.rows,
                    g.agencies_added,
                    config.database_kind()
                );
            }
            Command::Report { period, repeat } => {
                let period = Period::parse(&period).context("period: YYYY, YYYY-Qn or YYYY-MM")?;
                let mut times = Vec::new();
                let mut last = None;
                for _ in 0..repeat.max(1) {
                    let started = Instant::now();
                    let all = counts::breakdown(
                        &db,
                        &Scope::Province,
                        Window::new(&period, crate::auth::now()),
                    )
                    .await?;
                    // The index of every part, as the report shows it.
                    let mut graded = 0;
                    for f in std::iter::once(&all.total)
                        .chain(all.agencies.values())
                        .chain(all.communes.values())
                    {
                        kpi::index(f, Bands::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
                        graded += 1;
                    }
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                    last = Some((all, graded));
                }
                let Some((all, graded)) = last else {
                    anyhow::bail!("nothing computed");
                };
                let index =
                    kpi::index(&all.total, Bands::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
                times.sort_by(f64::total_cmp);
                let at = |i: usize| times.get(i).copied().unwrap_or_default();
                let median = at(times.len() / 2);
                println!(
                    "kpi report {}: province + {} agencies + {} communes ({graded} indexes) from \
                     {} dossiers filed; total {} ({}); {} database",
                    period.label,
                    all.agencies.len(),
                    all.communes.len(),
                    all.total.filed,
                    index.total_centi.map_or_else(
                        || "N/A".to_owned(),
                        |c| format!("{:.2}", f64::from(c) / 100.0)
                    ),
                    index.grade.map_or("N/A", kpi::Grade::as_str),
                    config.database_kind()
                );
                println!(
                    "kpi report time (ms): median {median:.0}, min {:.0}, max {:.0} over {} runs",
                    at(0),
                    at(times.len().saturating_sub(1)),
                    times.len()
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
