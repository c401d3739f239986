//! `motcua serve`, `migrate`, `seed` and `export-schema`.

use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::{db, graphql, service, startup};

/// Today's date in Asia/Ho_Chi_Minh, for seeding.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map(|t| {
            motcua_core::deadline::to_local(t.fixed_offset())
                .date()
                .to_string()
        })
        .unwrap_or_default()
}

async fn prepare(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = db::connect_and_migrate(&config.database_url)
        .await
        .with_context(|| format!("cannot open the {} database", config.database_kind()))?;
    let added = service::catalog::seed(&db, Path::new(&config.catalog_dir), &today())
        .await
        .map_err(|e| anyhow::anyhow!("seeding the catalogue failed: {e}"))?;
    if added > 0 {
        tracing::info!(added, "catalogue seeded");
    }
    let units = service::units::seed(&db, Path::new(&config.units_dir))
        .await
        .map_err(|e| anyhow::anyhow!("seeding the administrative units failed: {e}"))?;
    if units > 0 {
        tracing::info!(units, "administrative units seeded");
    }
    Ok(db)
}

/// Migrates, seeds the demo catalogue if needed, and serves until stopped.
pub(super) fn serve(bind: Option<std::net::SocketAddr>) -> anyhow::Result<ExitCode> {
    let mut config = Config::from_env()?;
    if let Some(bind) = bind {
        config.bind = bind;
    }
    actix_web::rt::System::new().block_on(async move {
        let db = prepare(&config).await?;
        let listener = std::net::TcpListener::bind(config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let schema = graphql::build_schema(Some(db.clone()), config.mode);
        println!(
            "motcua: http://{}/graphql ({} database{}); health at /healthz",
            listener.local_addr()?,
            config.database_kind(),
            if config.mode == crate::config::Mode::Development {
                "; playground at /playground"
            } else {
                ""
            }
        );
        startup::run(listener, schema, db, config.mode)?.await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Applies the migrations and seeds the catalogue, then exits.
pub(super) fn migrate_and_seed() -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    actix_web::rt::System::new().block_on(async move {
        prepare(&config).await?;
        println!(
            "migrated and seeded the {} database",
            config.database_kind()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Prints the schema in SDL (what `schema.graphql` holds).
pub(super) fn export_schema() -> ExitCode {
    print!("{}", sdl());
    ExitCode::SUCCESS
}

/// The schema's SDL.
#[must_use]
pub fn sdl() -> String {
    graphql::build_schema(None, crate::config::Mode::Development).sdl()
}
