//! Database connection and migrations. SQLite (a file, WAL, `synchronous=FULL`) by default,
//! PostgreSQL when `DATABASE_URL` says so; one migration set for both.

pub mod entities;

use motcua_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Connects, configures SQLite for durability, and applies pending migrations.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    let in_memory = url.contains(":memory:");
    if url.starts_with("sqlite") {
        // An in-memory database exists per connection: keep exactly one.
        options.max_connections(if in_memory { 1 } else { 8 });
    } else {
        options.max_connections(16);
    }
    let db = Database::connect(options).await?;
    if url.starts_with("sqlite") {
        if !in_memory {
            db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        }
        db.execute_unprepared("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON")
            .await?;
    }
    Migrator::up(&db, None).await?;
    Ok(db)
}
