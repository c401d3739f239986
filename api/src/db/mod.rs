//! Database connection and migrations. SQLite (a file, WAL, `synchronous=FULL`) by default,
//! PostgreSQL when `DATABASE_URL` says so; one migration set for both.

pub mod entities;

use motcua_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Connects, configures SQLite for durability, and applies pending migrations.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url, None).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Connects without migrating, with `size` connections (default: [`SQLITE_POOL`] for a SQLite
/// file, 16 for PostgreSQL, always 1 for in-memory SQLite).
///
/// # Errors
/// When the database cannot be reached.
pub async fn connect(url: &str, size: Option<u32>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    let in_memory = url.contains(":memory:");
    if url.starts_with("sqlite") {
        // An in-memory database exists per connection: keep exactly one. A file has one writer
        // at a time anyway; a few connections let reads proceed beside it (WAL).
        options.max_connections(if in_memory {
            1
        } else {
            size.unwrap_or(SQLITE_POOL)
        });
        // Every connection of the pool, not just the first, runs with these (SECURITY.md D1).
        options.map_sqlx_sqlite_opts(move |o| {
            let o = o
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(std::time::Duration::from_secs(10));
            if in_memory {
                o
            } else {
                o.journal_mode(SqliteJournalMode::Wal)
            }
        });
    } else {
        options.max_connections(size.unwrap_or(16));
    }
    Database::connect(options).await
}

/// Connections to a SQLite file.
pub const SQLITE_POOL: u32 = 4;
