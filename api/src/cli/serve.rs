//! `motcua serve`, `migrate`, `seed`, `create-admin` and `export-schema`.

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use crate::auth::oidc::Verifier;
use crate::auth::tokens::Keys;
use crate::auth::{Grant, OfficialRole};
use crate::config::{Config, Mode};
use crate::graphql::{AuthState, Deps};
use crate::{clock, db, graphql, service, startup};

/// Opens (and migrates) the database; in production refuses a PostgreSQL server that does not
/// write durably (SECURITY.md D1).
pub(super) async fn open(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect_and_migrate(config.database_url())
        .await
        .with_context(|| format!("cannot open the {} database", config.database_kind()))?;
    if config.mode == Mode::Production && config.database_kind() == "PostgreSQL" {
        for setting in ["fsync", "synchronous_commit", "full_page_writes"] {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("SHOW {setting}"),
                ))
                .await?
                .context("SHOW returned nothing")?;
            let value: String = row.try_get_by_index(0)?;
            if value != "on" {
                anyhow::bail!(
                    "PostgreSQL has {setting} = {value}: production needs it on (acknowledged means durable)"
                );
            }
        }
    }
    Ok(db)
}

/// Seeds the catalogue, the administrative units, the agencies and, in development, the demo
/// accounts. Idempotent: what exists is kept.
pub(super) async fn seed(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    // The cause is shown whole here (an operator reads it at start-up), not as the API's
    // "internal error".
    let err = |what: &'static str| {
        move |e: crate::error::ApiError| match e {
            crate::error::ApiError::Internal(cause) => {
                anyhow::anyhow!("seeding {what} failed: {cause:#}")
            }
            other => anyhow::anyhow!("seeding {what} failed: {other:#}"),
        }
    };
    let added = service::catalog::seed(db, Path::new(&config.catalog_dir), &clock::today())
        .await
        .map_err(err("the catalogue"))?;
    let units = service::units::seed(db, Path::new(&config.units_dir))
        .await
        .map_err(err("the administrative units"))?;
    let agencies = service::agencies::seed(db, Path::new(&config.demo_dir))
        .await
        .map_err(err("the agencies"))?;
    let accounts = if config.mode == Mode::Development {
        service::demo::seed(db, Path::new(&config.demo_dir))
            .await
            .map_err(err("the demo accounts"))?
    } else {
        0
    };
    if added + units + agencies + accounts > 0 {
        tracing::info!(procedures = added, units, agencies, accounts, "seeded");
    }
    Ok(())
}

/// The run-time dependencies of the schema.
async fn deps(db: DatabaseConnection, config: &Config) -> anyhow::Result<Deps> {
    let oidc = config
        .auth
        .oidc
        .as_ref()
        .map(Verifier::new)
        .transpose()
        .context("MOTCUA_OIDC_JWKS_FILE")?;
    let storage = match &config.s3_bucket {
        Some(bucket) => service::attachments::Storage::s3(bucket)?,
        None => service::attachments::Storage::local(Path::new(&config.storage_dir))
            .with_context(|| format!("cannot use {} for attachments", config.storage_dir))?,
    };
    let writer = service::dossier::Writer::start(db.clone(), config.database_url()).await?;
    Ok(Deps {
        events: service::events::EventBus::start(db.clone()).await?,
        public_url: config.notify.public_url.clone(),
        payments: Arc::new(service::payments::Gateways::new(
            config.payments.clone(),
            &config.notify.public_url,
        )?),
        writer,
        filing: Arc::default(),
        storage,
        catalog: Arc::default(),
        db,
        auth: Arc::new(AuthState {
            keys: Keys::new(&config.auth),
            oidc,
            logins_per_ip_per_minute: config.auth.logins_per_ip_per_minute,
        }),
    })
}

/// Migrates, seeds if needed, and serves until stopped.
pub(super) fn serve(
    bind: Option<std::net::SocketAddr>,
    file: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(file)?;
    super::init_logs(config.json_logs);
    if let Some(bind) = bind {
        config.bind = bind;
    }
    actix_web::rt::System::new().block_on(async move {
        let db = open(&config).await?;
        seed(&db, &config).await?;
        let listener = std::net::TcpListener::bind(config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let deps = deps(db, &config).await?;
        let calendar = deps.filing.calendar(&deps.db).await?;
        let caught = service::kpi::facts::catch_up(&deps.db, &calendar).await?;
        if caught > 0 {
            tracing::info!(dossiers = caught, "wrote the index facts of older dossiers");
        }
        let schema = graphql::build_schema(Some(deps.clone()), config.mode);
        service::jobs::start(&deps.db, &deps.filing, &deps.payments, &config.notify)?;
        println!(
            "motcua: http://{}/graphql ({} database{}); health at /healthz, metrics at /metrics",
            listener.local_addr()?,
            config.database_kind(),
            if config.mode == Mode::Development {
                "; playground at /playground — demo accounts in the README"
            } else {
                ""
            }
        );
        let settings = startup::Settings::from_config(&config);
        startup::run(listener, schema, deps, settings)?.await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Applies the migrations, then exits.
pub(super) fn migrate(file: Option<&str>) -> anyhow::Result<ExitCode> {
    let config = Config::load(file)?;
    super::init_logs(config.json_logs);
    actix_web::rt::System::new().block_on(async move {
        open(&config).await?;
        println!("migrated the {} database", config.database_kind());
        Ok(ExitCode::SUCCESS)
    })
}

/// Applies the migrations and seeds, then exits.
pub(super) fn migrate_and_seed(file: Option<&str>) -> anyhow::Result<ExitCode> {
    let config = Config::load(file)?;
    super::init_logs(config.json_logs);
    actix_web::rt::System::new().block_on(async move {
        let db = open(&config).await?;
        seed(&db, &config).await?;
        println!(
            "migrated and seeded the {} database",
            config.database_kind()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Creates a province administrator with an issued password (printed once, to be changed at the
/// first sign-in — V2).
pub(super) fn create_admin(
    username: &str,
    full_name: &str,
    agency_code: &str,
    file: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let config = Config::load(file)?;
    super::init_logs(config.json_logs);
    actix_web::rt::System::new().block_on(async move {
        let db = open(&config).await?;
        seed(&db, &config).await?;
        let agency = service::agencies::list(&db, None, None, None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .into_iter()
            .find(|a| a.code == agency_code)
            .with_context(|| format!("no agency with the electronic ID {agency_code}"))?;
        let grants = [Grant {
            role: OfficialRole::ProvinceAdmin,
            agency_id: agency.id,
        }];
        match service::officials::create(&db, None, username, full_name, None, &grants)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            Ok((user, password)) => {
                println!(
                    "created province administrator {} (id {}); issued password, shown once — change it at the first sign-in:\n{password}",
                    user.login, user.id
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for p in problems {
                    eprintln!("{} / {} ({})", p.vi, p.en, p.code);
                }
                Ok(ExitCode::from(1))
            }
        }
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
    graphql::build_schema(None, Mode::Development).sdl()
}
