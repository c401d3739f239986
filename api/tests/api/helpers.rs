//! `TestApp`: a running server on a fresh database.

use motcua_api::config::Mode;
use motcua_api::{db, graphql, service, startup};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

/// The databases every test runs on.
pub fn databases() -> Vec<String> {
    let mut urls = vec!["sqlite::memory:".to_owned()];
    if let Ok(pg) = std::env::var("MOTCUA_TEST_POSTGRES")
        && !pg.trim().is_empty()
    {
        urls.push(pg);
    }
    urls
}

/// A fresh PostgreSQL database on the server named by `url`, or `url` itself for SQLite.
pub async fn fresh(url: &str) -> String {
    if !url.starts_with("postgres") {
        return url.to_owned();
    }
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "motcua_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let admin = sea_orm::Database::connect(url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

impl TestApp {
    pub async fn spawn(url: &str, mode: Mode) -> Self {
        let url = fresh(url).await;
        let db = db::connect_and_migrate(&url).await.unwrap();
        let catalog = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
        service::catalog::seed(&db, &catalog, "2026-11-23")
            .await
            .unwrap();
        let units = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/units");
        service::units::seed(&db, &units).await.unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let schema = graphql::build_schema(Some(db.clone()), mode);
        let server = startup::run(listener, schema, db, mode).unwrap();
        actix_web::rt::spawn(server);
        Self {
            address,
            client: reqwest::Client::new(),
        }
    }

    /// Posts a GraphQL query as JSON, optionally in English.
    pub async fn graphql(&self, query: &str, variables: Value, english: bool) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if english {
            request = request.header("Accept-Language", "en-US,en;q=0.9");
        }
        request.send().await.unwrap().json().await.unwrap()
    }
}
