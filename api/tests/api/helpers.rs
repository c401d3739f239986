//! `TestApp`: a running server on a fresh database, seeded with the demo province.

use motcua_api::auth::oidc::Verifier;
use motcua_api::auth::tokens::Keys;
use motcua_api::config::{Config, Mode};
use motcua_api::graphql::{AuthState, Deps};
use motcua_api::{db, graphql, service, startup};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// The demo accounts' password (catalog/demo/accounts.json).
pub const DEMO_PASSWORD: &str = "MotCua@2026!";
/// A demo citizen.
pub const CITIZEN: &str = "020090123456";
/// Another demo citizen.
pub const CITIZEN_B: &str = "020195654321";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// The database URL (for a second instance).
    pub url: String,
    /// What the server was built with (caches, storage, the event bus).
    pub deps: Deps,
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

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

impl TestApp {
    pub async fn spawn(url: &str, mode: Mode) -> Self {
        let mut config = Config::for_tests();
        config.mode = mode;
        Self::spawn_with(url, config).await
    }

    pub async fn spawn_with(url: &str, mut config: Config) -> Self {
        let url = fresh(url).await;
        config.set_database_url(url.clone());
        let db = db::connect_and_migrate(&url).await.unwrap();
        service::catalog::seed(&db, &repo("catalog/procedures"), "2026-01-01")
            .await
            .unwrap();
        service::units::seed(&db, &repo("catalog/units"))
            .await
            .unwrap();
        service::agencies::seed(&db, &repo("catalog/demo"))
            .await
            .unwrap();
        service::demo::seed(&db, &repo("catalog/demo"))
            .await
            .unwrap();
        Self::serve(db, &url, &config).await
    }

    /// A second instance on the database of `self` (PostgreSQL or a SQLite file).
    pub async fn another(&self, url: &str) -> Self {
        let mut config = Config::for_tests();
        config.set_database_url(url.to_owned());
        let db = db::connect_and_migrate(url).await.unwrap();
        Self::serve(db, url, &config).await
    }

    async fn serve(db: DatabaseConnection, url: &str, config: &Config) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let deps = Deps {
            writer: motcua_api::service::dossier::Writer::start(db.clone(), url)
                .await
                .unwrap(),
            filing: Arc::default(),
            storage: service::attachments::Storage::memory(),
            catalog: Arc::default(),
            events: service::events::EventBus::start(db.clone()).await.unwrap(),
            public_url: "https://dichvucong.langson.example".to_owned(),
            payments: Arc::new(
                service::payments::Gateways::new(config.payments.clone(), &address).unwrap(),
            ),
            db: db.clone(),
            auth: Arc::new(AuthState {
                keys: Keys::new(&config.auth),
                logins_per_ip_per_minute: config.auth.logins_per_ip_per_minute,
                oidc: config.auth.oidc.as_ref().map(|o| Verifier::new(o).unwrap()),
            }),
        };
        let schema = graphql::build_schema(Some(deps.clone()), config.mode);
        let settings = startup::Settings::from_config(config);
        let server = startup::run(listener, schema, deps.clone(), settings).unwrap();
        actix_web::rt::spawn(server);
        Self {
            address,
            // A new connection per request: an upload refused before its body was read leaves its
            // connection closing, and a pooled client could send the next request on it
            // (`IncompleteMessage`, seen once in CI on a loaded machine).
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            db,
            url: url.to_owned(),
            deps,
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

    /// Posts a GraphQL query with a bearer token; returns the status and the body.
    pub async fn call(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs in; returns the whole `login` payload.
    pub async fn login_payload(&self, login: &str, password: &str) -> Value {
        let (_, r) = self
            .call(
                None,
                "mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) {
                   accessToken refreshToken expiresIn tokenType
                   account { id kind login fullName mustChangePassword identityLevel roles { role agency { id code } } }
                   userErrors { path code message } } }",
                json!({ "i": login, "p": password }),
            )
            .await;
        r["data"]["login"].clone()
    }

    /// Signs in with the demo password; returns (access, refresh).
    pub async fn login(&self, login: &str) -> (String, String) {
        let p = self.login_payload(login, DEMO_PASSWORD).await;
        (
            p["accessToken"]
                .as_str()
                .unwrap_or_else(|| panic!("{login}: {p}"))
                .to_owned(),
            p["refreshToken"].as_str().unwrap().to_owned(),
        )
    }

    /// The global ID of an agency by electronic ID.
    pub async fn agency_id(&self, code: &str) -> String {
        let r = self
            .graphql("{ agencies { id code } }", json!({}), false)
            .await;
        r["data"]["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap_or_else(|| panic!("no agency {code}: {r}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The codes of the user errors of `mutation`'s payload, in order.
pub fn user_error_codes(r: &Value, mutation: &str) -> Vec<String> {
    r["data"][mutation]["userErrors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The `code` extension of the first error.
pub fn code(r: &Value) -> &str {
    r["errors"][0]["extensions"]["code"].as_str().unwrap_or("")
}

/// The valid sample form data of a catalogue procedure.
pub fn sample(procedure: &str) -> Value {
    let path = repo(&format!("catalog/procedures/{procedure}.json"));
    let d: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    d["samples"]["valid"]["data"].clone()
}

/// The same, filed for the demo citizen where the form has a plain applicant; forms that tie the
/// ID number to other fields (a household business's owner) keep their sample's person.
pub fn citizen_sample(procedure: &str) -> Value {
    let mut data = sample(procedure);
    if data["applicant"].is_object() {
        data["applicant"]["id_number"] = json!(CITIZEN);
    }
    data
}

/// Files `procedure`'s sample at the Đông Kinh ward desk for the demo citizen; returns its id.
pub async fn file(app: &TestApp, clerk: &str, procedure: &str, key: &str) -> String {
    file_data(app, clerk, procedure, key, citizen_sample(procedure)).await
}

/// Files `data` for `procedure` with `token` (a clerk at the desk, or an applicant online);
/// returns its id.
pub async fn file_data(
    app: &TestApp,
    token: &str,
    procedure: &str,
    key: &str,
    data: Value,
) -> String {
    let (_, r) = app
        .call(
            Some(token),
            "mutation($input: SubmitDossierInput!, $key: String!) { submitDossier(input: $input, idempotencyKey: $key) {
               receipt { dossierId } userErrors { path code message } } }",
            json!({ "input": { "procedureCode": procedure, "formData": data }, "key": key }),
        )
        .await;
    r["data"]["submitDossier"]["receipt"]["dossierId"]
        .as_str()
        .unwrap_or_else(|| panic!("{procedure}: {r}"))
        .to_owned()
}

/// Runs `mutation(id: $id, version: …, <args>)` and returns its payload (or the whole answer
/// when it failed with an error).
pub async fn act(
    app: &TestApp,
    token: &str,
    mutation: &str,
    id: &str,
    version: i64,
    args: &str,
) -> Value {
    let extra = if args.is_empty() {
        String::new()
    } else {
        format!(", {args}")
    };
    let (_, r) = app
        .call(
            Some(token),
            &format!(
                "mutation($id: ID!) {{ {mutation}(id: $id, version: {version}{extra}) {{
                   dossier {{ status version }} userErrors {{ path code message }} }} }}"
            ),
            json!({ "id": id }),
        )
        .await;
    if r["data"][mutation].is_null() {
        r
    } else {
        r["data"][mutation].clone()
    }
}

pub async fn me(app: &TestApp, token: &str) -> String {
    let (_, r) = app.call(Some(token), "{ me { id } }", json!({})).await;
    r["data"]["me"]["id"].as_str().unwrap().to_owned()
}

/// Files 2.000815 at the Đông Kinh desk as `clerk` and receives it; its id.
pub async fn file_and_receive(app: &TestApp, clerk: &str, key: &str) -> String {
    let id = file(app, clerk, "2.000815", key).await;
    let r = act(app, clerk, "receiveDossier", &id, 1, "").await;
    assert_eq!(r["dossier"]["status"], "RECEIVED", "{r}");
    id
}

/// Registers a citizen with `identifier`, `full_name` and `password`; the `register` payload.
pub async fn register(app: &TestApp, identifier: &str, full_name: &str, password: &str) -> Value {
    let (_, r) = app
        .call(
            None,
            "mutation($i: RegisterInput!) { register(input: $i) { accepted userErrors { code } } }",
            json!({ "i": { "kind": "CITIZEN", "identifier": identifier, "fullName": full_name, "password": password } }),
        )
        .await;
    r["data"]["register"].clone()
}
