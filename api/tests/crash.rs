//! SECURITY.md D2 — acknowledged means durable: the real `motcua` binary is killed with SIGKILL
//! while filings are being acknowledged (≥ 2,000 of them), restarted on the same database, and
//! then every acknowledged filing is there exactly once and retrying every key creates nothing
//! new. On a SQLite file and, when `MOTCUA_TEST_POSTGRES` is set, on PostgreSQL.
//!
//! Payments (issue 16): the process is killed while it applies a verified IPN (after the inbox row
//! was stored and answered, before the payment's transaction commits); restarted, it applies the
//! waiting row and the dossier is paid exactly once.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests index JSON answers"
)]

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

#[path = "support/paysim.rs"]
mod paysim;
#[path = "support/pg.rs"]
mod pg;
use paysim::Sim;
use pg::fresh_postgres;

const KEYS: &str = "k1:bW90Y3VhLWNyYXNoLXRlc3Qtc2lnbmluZy1rZXktMDEyMzQ1Njc4OQ";
const SUBMIT: &str = "mutation($input: SubmitDossierInput!, $key: String!) { submitDossier(input: $input, idempotencyKey: $key) { receipt { code } userErrors { code } } }";

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn start(url: &str, dir: &std::path::Path) -> (Child, String) {
    start_with(url, dir, &[])
}

/// `motcua serve` on database `url` with extra environment `env`; the child and its address.
fn start_with(url: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .current_dir(dir)
        .env_remove("MOTCUA_ENV")
        .env_remove("MOTCUA_CONFIG")
        .env("DATABASE_URL", url)
        .env("MOTCUA_JWT_KEYS", KEYS)
        .env("MOTCUA_LOGINS_PER_IP_PER_MINUTE", "1000")
        .env("MOTCUA_CATALOG", repo("catalog/procedures"))
        .env("MOTCUA_UNITS", repo("catalog/units"))
        .env("MOTCUA_DEMO", repo("catalog/demo"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, url)
}

fn form(i: u64) -> Value {
    let path = repo("catalog/procedures/2.000815.json");
    let d: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut data = d["samples"]["valid"]["data"].clone();
    data["applicant"]["id_number"] = json!(format!("001190{:06}", i % 1_000_000));
    data
}

async fn submit(client: &reqwest::Client, url: &str, token: &str, i: u64) -> Option<String> {
    let body = json!({ "query": SUBMIT, "variables": { "input": { "procedureCode": "2.000815", "formData": form(i) }, "key": format!("crash-{i}") } });
    let r = client
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    let v: Value = r.json().await.ok()?;
    v["data"]["submitDossier"]["receipt"]["code"]
        .as_str()
        .map(str::to_owned)
}

async fn login(client: &reqwest::Client, url: &str) -> String {
    login_as(client, url, "tiepnhan.dongkinh").await
}

async fn crash_and_recover(db_url: &str) {
    let dir = std::env::temp_dir().join(format!(
        "motcua-crash-{}-{}",
        std::process::id(),
        db_url.len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (mut child, url) = start(db_url, &dir);
    let client = reqwest::Client::new();
    let token = login(&client, &url).await;
    let acked: Arc<Mutex<BTreeMap<u64, String>>> = Arc::default();
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..32 {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        let (acked, next, stop) = (acked.clone(), next.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                match submit(&client, &url, &token, i).await {
                    Some(code) => {
                        acked.lock().unwrap().insert(i, code);
                    }
                    None => break,
                }
            }
        }));
    }
    // Kill while filings are being acknowledged, after at least 2,000 acknowledgements.
    while acked.lock().unwrap().len() < 2_100 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let attempted = next.load(Ordering::Relaxed);
    assert!(acked.len() >= 2_000, "{}", acked.len());
    // Restart on the same database.
    let (mut child, url) = start(db_url, &dir);
    let db = sea_orm::Database::connect(db_url).await.unwrap();
    let count = |db: sea_orm::DatabaseConnection| async move {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM dossiers",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    let before = count(db.clone()).await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT code FROM dossiers",
        ))
        .await
        .unwrap();
    let stored: std::collections::BTreeSet<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "code").unwrap())
        .collect();
    assert_eq!(stored.len() as i64, before, "codes are unique");
    let missing: Vec<_> = acked.values().filter(|c| !stored.contains(*c)).collect();
    assert!(
        missing.is_empty(),
        "{db_url}: {} acknowledged filings lost: {missing:?}",
        missing.len()
    );
    assert!(before as u64 <= attempted && before as usize >= acked.len());
    // Every key again: acknowledged ones answer their original code; nothing is added for a
    // key that was committed; unacknowledged keys are filed at most once.
    let token = login(&client, &url).await;
    use futures_util::StreamExt;
    let retries: Vec<(u64, Option<String>)> = futures_util::stream::iter(0..attempted)
        .map(|i| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            async move { (i, submit(&client, &url, &token, i).await) }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    for (i, code) in retries {
        let code = code.unwrap_or_else(|| panic!("retry {i} failed"));
        if let Some(original) = acked.get(&i) {
            assert_eq!(
                &code, original,
                "{db_url}: key {i} answered another dossier"
            );
        }
    }
    let after = count(db.clone()).await;
    assert_eq!(after as u64, attempted, "{db_url}: one dossier per key");
    println!(
        "{db_url}: {} acknowledged before SIGKILL, {} in flight, {before} stored after restart, 0 lost; {attempted} keys retried → {after} dossiers",
        acked.len(),
        attempted - acked.len() as u64
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

async fn call(client: &reqwest::Client, url: &str, token: &str, query: &str, vars: Value) -> Value {
    client
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": vars }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn login_as(client: &reqwest::Client, url: &str, who: &str) -> String {
    let r: Value = client
        .post(url)
        .json(&json!({ "query": "mutation($i: String!) { login(identifier: $i, password: \"MotCua@2026!\") { accessToken } }", "variables": { "i": who } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned()
}

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn killed_while_paying(db_url: &str) {
    let dir = std::env::temp_dir().join(format!(
        "motcua-paycrash-{}-{}",
        std::process::id(),
        db_url.len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sim = Sim::start();
    let sim_url = sim.address.clone();
    let env = [
        ("MOTCUA_PAYMENT_SIM_URL", sim_url.as_str()),
        ("MOTCUA_JOBS_INTERVAL_SECS", "1"),
    ];
    let mut armed = env.to_vec();
    armed.push(("MOTCUA_FAILPOINTS", "payment.before_commit"));
    let (mut child, url) = start_with(db_url, &dir, &armed);
    let origin = url.trim_end_matches("/graphql").to_owned();
    let client = reqwest::Client::new();
    sim.behave(json!({ "vnpay_ipn_url": format!("{origin}/payments/vnpay/ipn") }))
        .await;

    // A dossier filed at the desk for the demo citizen, who pays it online.
    let clerk = login(&client, &url).await;
    let mut data = form(1);
    data["applicant"]["id_number"] = json!("020090123456");
    let r = call(
        &client,
        &url,
        &clerk,
        "mutation($input: SubmitDossierInput!) { submitDossier(input: $input, idempotencyKey: \"pay-crash\") { receipt { dossierId } userErrors { code message } } }",
        json!({ "input": { "procedureCode": "2.000815", "formData": data } }),
    )
    .await;
    let id = r["data"]["submitDossier"]["receipt"]["dossierId"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let citizen = login_as(&client, &url, "020090123456").await;
    let r = call(
        &client,
        &url,
        &citizen,
        "mutation($i: PayOnlineInput!) { payOnline(input: $i) { payment { reference } redirectUrl userErrors { code } } }",
        json!({ "i": { "dossierId": id, "provider": "VNPAY", "idempotencyKey": "crash-1" } }),
    )
    .await;
    let reference = r["data"]["payOnline"]["payment"]["reference"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let page = r["data"]["payOnline"]["redirectUrl"].as_str().unwrap();
    sim.open(page).await;

    // The customer pays; the IPN is stored and answered, then applying it kills the process.
    sim.pay(&reference, "success").await;
    let mut exited = None;
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let status = exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("{db_url}: the failpoint never fired")
    });
    assert!(!status.success(), "{db_url}: {status}");
    let db = sea_orm::Database::connect(db_url).await.unwrap();
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM payments WHERE status = 'PAID'"
        )
        .await,
        0,
        "{db_url}: nothing committed by the killed process"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM payment_callbacks WHERE processed_at IS NULL"
        )
        .await,
        1,
        "{db_url}: the stored IPN waits"
    );

    // Restarted (no failpoint): the waiting IPN is applied once.
    let (mut child, url) = start_with(db_url, &dir, &env);
    let origin = url.trim_end_matches("/graphql").to_owned();
    sim.behave(json!({ "vnpay_ipn_url": format!("{origin}/payments/vnpay/ipn") }))
        .await;
    let citizen = login_as(&client, &url, "020090123456").await;
    let query = "query($id: ID!) { dossier(id: $id) { paidAt payments { status receiptNumber } } }";
    let mut paid = Value::Null;
    for _ in 0..200 {
        let r = call(&client, &url, &citizen, query, json!({ "id": id })).await;
        if r["data"]["dossier"]["payments"][0]["status"] == "PAID" {
            paid = r;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        paid["data"]["dossier"]["paidAt"].is_string(),
        "{db_url}: never paid: {paid}"
    );
    // The gateway's retry of the same IPN: already confirmed.
    let signed = sim.last(&reference).await;
    let r: Value = client
        .get(format!("{origin}/payments/vnpay/ipn"))
        .query(&signed)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["RspCode"], "02", "{db_url}: {r}");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM payments WHERE status = 'PAID'"
        )
        .await,
        1,
        "{db_url}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM payment_callbacks WHERE processed_at IS NULL"
        )
        .await,
        0,
        "{db_url}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM dossier_history WHERE action IN ('PAY_ONLINE', 'RECORD_PAYMENT')"
        )
        .await,
        1,
        "{db_url}: the dossier records the payment once"
    );
    println!("{db_url}: killed while applying the IPN of {reference}; after restart paid once");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_applying_an_ipn_then_restart_pays_exactly_once() {
    let dir = std::env::temp_dir().join(format!("motcua-paycrash-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    killed_while_paying(&format!("sqlite://{}/pay.db?mode=rwc", dir.display())).await;
    if let Some(pg) = fresh_postgres("paycrash").await {
        killed_while_paying(&pg).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_acknowledged_filings_loses_and_duplicates_nothing_d2() {
    let dir = std::env::temp_dir().join(format!("motcua-crash-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    crash_and_recover(&format!("sqlite://{}/crash.db?mode=rwc", dir.display())).await;
    if let Some(pg) = fresh_postgres("crash").await {
        crash_and_recover(&pg).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
