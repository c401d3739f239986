//! SECURITY.md D6 — the outbox with its relay killed mid-batch: the real `motcua` binary delivers
//! 400 queued messages (200 e-mails to a real SMTP server, 200 SMS to an HTTP gateway) and is
//! killed with SIGKILL three times while it sends (one batch in ten or so), restarted each time.
//! Every message arrives; none arrives as two different messages: each carries its outbox id
//! (`Message-ID`, `Idempotency-Key`), so the one message that may be in flight at a kill is sent
//! again under the same id, which the receivers recognise. On a SQLite file and, when
//! `MOTCUA_TEST_POSTGRES` is set, on PostgreSQL.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests index JSON answers"
)]

#[path = "support/pg.rs"]
mod pg;
#[path = "support/sink.rs"]
mod sink;
use pg::fresh_postgres;

use sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sink::Sink;

const KEYS: &str = "k1:bW90Y3VhLWNyYXNoLXRlc3Qtc2lnbmluZy1rZXktMDEyMzQ1Njc4OQ";
const MESSAGES: usize = 400;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn start(url: &str, dir: &std::path::Path, sink: &Sink) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir)
        .env_remove("MOTCUA_ENV")
        .env_remove("MOTCUA_CONFIG")
        .env("DATABASE_URL", url)
        .env("MOTCUA_JWT_KEYS", KEYS)
        .env("MOTCUA_CATALOG", repo("catalog/procedures"))
        .env("MOTCUA_UNITS", repo("catalog/units"))
        .env("MOTCUA_DEMO", repo("catalog/demo"))
        .env("MOTCUA_SMTP_URL", sink.smtp_url())
        .env("MOTCUA_SMS_URL", sink.sms_url())
        .env("MOTCUA_OUTBOX_LEASE_SECS", "2")
        .env("MOTCUA_JOBS", "off")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.contains("http://"),
        "the server did not start: {line:?}"
    );
    child
}

async fn scalar(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap()
}

async fn kill_during_delivery(url: &str) {
    let dir = tempdir();
    let sink = Sink::start(8);
    let mut server = start(url, &dir, &sink);
    let db = sea_orm::Database::connect(url).await.unwrap();
    // Queue the messages as the application does: one row per event and channel.
    let now = chrono::Utc::now().timestamp();
    for i in 0..MESSAGES {
        let (channel, to) = if i % 2 == 0 {
            ("EMAIL", format!("nguoi.dan{i}@example.vn"))
        } else {
            ("SMS", format!("09{:08}", i))
        };
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            if url.starts_with("postgres") {
                "INSERT INTO outbox (id, event_key, dossier_id, channel, recipient, subject, body, created_at, attempts, next_attempt_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, 0, $7)"
            } else {
                "INSERT INTO outbox (id, event_key, dossier_id, channel, recipient, subject, body, created_at, attempts, next_attempt_at) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, 0, ?7)"
            },
            vec![
                format!("00000000-0000-4000-8000-{i:012}").into(),
                format!("d6:{i}:{channel}").into(),
                channel.into(),
                to.into(),
                format!("Hồ sơ số {i} đã được tiếp nhận").into(),
                format!("Thông báo số {i}: hồ sơ của ông/bà đã được tiếp nhận.").into(),
                now.into(),
            ],
        ))
        .await
        .unwrap();
    }
    let received = || sink.mails().len() + sink.sms().len();
    let mut kills = 0;
    for at in [60, 170, 290] {
        let waited = Instant::now();
        while received() < at {
            assert!(
                waited.elapsed() < Duration::from_secs(60),
                "{url}: delivery stalled at {}",
                received()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().unwrap();
        server.wait().unwrap();
        kills += 1;
        server = start(url, &dir, &sink);
    }
    let waited = Instant::now();
    while scalar(
        &db,
        "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
    )
    .await
        > 0
    {
        assert!(
            waited.elapsed() < Duration::from_secs(120),
            "{url}: not everything was delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let a message sent just before the last commit land in the sink's log.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill().unwrap();
    server.wait().unwrap();

    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for m in sink.mails().iter().chain(sink.sms().iter()) {
        *by_id
            .entry(m["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let raw = sink.mails().len() + sink.sms().len();
    let resent = raw - by_id.len();
    println!(
        "D6 on {}: {MESSAGES} messages, {kills} kills → {} distinct delivered, {resent} re-sent under the same id, 0 lost",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        by_id.len()
    );
    assert_eq!(by_id.len(), MESSAGES, "{url}: every message delivered");
    let mails: Vec<&String> = by_id.keys().filter(|k| k.starts_with('<')).collect();
    assert_eq!(
        mails.len(),
        MESSAGES / 2,
        "{url}: e-mails carry their outbox id as Message-ID"
    );
    assert!(
        resent <= kills,
        "{url}: at most the message in flight at each kill is sent again ({resent} > {kills})"
    );
    let delivered = scalar(
        &db,
        "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL",
    )
    .await;
    assert_eq!(delivered, i64::try_from(MESSAGES).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "motcua-outbox-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_killed_mid_batch_delivers_everything_once_d6() {
    let file = tempdir().join("outbox.db");
    kill_during_delivery(&format!("sqlite://{}?mode=rwc", file.display())).await;
    if let Some(pg) = fresh_postgres("d6").await {
        kill_during_delivery(&pg).await;
    }
}
