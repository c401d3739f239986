//! A fresh PostgreSQL database for a test that starts the real binary, when
//! `MOTCUA_TEST_POSTGRES` names a server.

use sea_orm::ConnectionTrait;

/// A new, empty database `motcua_test_{tag}_{pid}` on the server of `MOTCUA_TEST_POSTGRES`, or
/// `None` when it is not set.
pub async fn fresh_postgres(tag: &str) -> Option<String> {
    let pg = std::env::var("MOTCUA_TEST_POSTGRES").ok()?;
    if pg.trim().is_empty() {
        return None;
    }
    let admin = sea_orm::Database::connect(&pg).await.unwrap();
    let name = format!("motcua_test_{tag}_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = pg.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}
