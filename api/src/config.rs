//! Configuration from the environment (and the command line), with safe defaults for a first run:
//! an embedded SQLite file and a loopback address. Secrets are never logged.

use std::net::SocketAddr;

/// Development mode opens introspection and the GraphQL playground; production closes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Local development and tests.
    Development,
    /// A deployed service.
    Production,
}

/// The service's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`MOTCUA_BIND`, default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// `DATABASE_URL`, default `sqlite://motcua.db?mode=rwc` (created on first run).
    pub database_url: String,
    /// `MOTCUA_ENV=production` switches to production mode.
    pub mode: Mode,
    /// Where the procedure catalogue is seeded from (`MOTCUA_CATALOG`, default `catalog/procedures`).
    pub catalog_dir: String,
    /// Where the administrative units are seeded from (`MOTCUA_UNITS`, default `catalog/units`).
    pub units_dir: String,
}

impl Config {
    /// Reads the environment.
    ///
    /// # Errors
    /// A `MOTCUA_BIND` that is not `ADDR:PORT`.
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let bind = var("MOTCUA_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
            .parse()
            .map_err(|_| anyhow::anyhow!("MOTCUA_BIND must be ADDR:PORT, e.g. 127.0.0.1:8080"))?;
        Ok(Self {
            bind,
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://motcua.db?mode=rwc".to_owned()),
            mode: if var("MOTCUA_ENV").as_deref() == Some("production") {
                Mode::Production
            } else {
                Mode::Development
            },
            catalog_dir: var("MOTCUA_CATALOG").unwrap_or_else(|| "catalog/procedures".to_owned()),
            units_dir: var("MOTCUA_UNITS").unwrap_or_else(|| "catalog/units".to_owned()),
        })
    }

    /// The database kind, for logs (never the URL: it may carry a password).
    #[must_use]
    pub fn database_kind(&self) -> &'static str {
        if self.database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}
