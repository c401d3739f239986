//! Notifications over real HTTP, SMTP and WebSocket, on SQLite and PostgreSQL: the outbox relay
//! delivering Vietnamese e-mails to a real SMTP server (aiosmtpd) and SMS to an HTTP gateway,
//! each once, with retries and backoff when the gateway is down; a GraphQL subscription
//! (graphql-transport-ws) receiving a change made through a second API instance.

use futures_util::{SinkExt, StreamExt};
use motcua_api::config::{Mode, NotifyConfig};
use motcua_api::service::outbox::Relay;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{CITIZEN, TestApp, databases, file_and_receive};
use crate::sink::Sink;

async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

fn relay(smtp: Option<String>, sms: Option<String>) -> Relay {
    Relay::new(&NotifyConfig {
        smtp_url: smtp,
        sms_url: sms,
        sms_token: Some("gateway-secret".to_owned()),
        ..NotifyConfig::default()
    })
    .unwrap()
}

#[actix_web::test]
async fn the_outbox_delivers_vietnamese_mail_and_sms_once_with_retries() {
    let sink = Sink::start(0);
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let before = (sink.mails().len(), sink.sms().len());
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(file_and_receive(&app, &clerk, &format!("n-{i}")).await);
        }
        let queued = count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
        )
        .await;
        assert_eq!(queued, 6, "{db}: one e-mail and one SMS per reception");

        // The gateway is down: SMS fail and wait (backoff); e-mails go.
        let down = relay(
            Some(sink.smtp_url()),
            Some("http://127.0.0.1:9/sms".to_owned()),
        );
        let now = chrono::Utc::now().timestamp();
        let pass = down.run_once(&app.db, now).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (3, 3), "{db}: {pass:?}");
        let waiting = count(&app, &format!("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND attempts = 1 AND next_attempt_at >= {} AND last_error IS NOT NULL", now + 15)).await;
        assert_eq!(waiting, 3, "{db}");
        // Nothing is due before the backoff ends, even with the gateway back.
        let up = relay(Some(sink.smtp_url()), Some(sink.sms_url()));
        assert_eq!(
            up.run_once(&app.db, now + 1).await.unwrap().claimed,
            0,
            "{db}"
        );
        let pass = up.run_once(&app.db, now + 16).await.unwrap();
        assert_eq!((pass.sent, pass.failed), (3, 0), "{db}: {pass:?}");
        assert_eq!(
            up.run_once(&app.db, now + 3600).await.unwrap().claimed,
            0,
            "{db}: sent once"
        );

        let mails = sink.mails().split_off(before.0);
        let sms = sink.sms().split_off(before.1);
        assert_eq!((mails.len(), sms.len()), (3, 3), "{db}");
        let distinct: BTreeSet<&str> = mails
            .iter()
            .chain(&sms)
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        assert_eq!(distinct.len(), 6, "{db}: every message carries its own id");
        for m in &mails {
            let subject = m["subject"].as_str().unwrap();
            assert!(
                subject.starts_with("Hồ sơ 000.00.51.H42-")
                    && subject.ends_with("đã được tiếp nhận"),
                "{db}: {subject}"
            );
            let body = m["body"].as_str().unwrap();
            assert!(
                body.contains("Ngày hẹn trả kết quả:") && body.contains("was received"),
                "{db}: {body}"
            );
        }
        for s in &sms {
            assert_eq!(s["auth"], "Bearer gateway-secret");
            assert!(
                s["text"].as_str().unwrap().contains("đã được tiếp nhận"),
                "{s}"
            );
            assert!(s["to"].as_str().unwrap().starts_with('0'), "{s}");
        }
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"
            )
            .await,
            0
        );
    }
}

/// Opens a graphql-transport-ws connection to `app` as `token` and subscribes to `query`.
async fn subscribe(
    app: &TestApp,
    token: &str,
    query: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string(),
    ))
    .await
    .unwrap();
    let ack = next_json(&mut ws).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }).to_string(),
    ))
    .await
    .unwrap();
    ws
}

async fn next_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    loop {
        let m = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .unwrap_or_else(|_| panic!("no message within 10 s"))
            .unwrap()
            .unwrap();
        if let Message::Text(t) = m {
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["type"] != "ping" {
                return v;
            }
        }
    }
}

#[actix_web::test]
async fn a_subscription_sees_a_change_made_through_another_instance() {
    let file_db = std::env::temp_dir().join(format!("motcua-sub-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file_db);
    let mut urls = vec![format!("sqlite://{}?mode=rwc", file_db.display())];
    urls.extend(
        databases()
            .into_iter()
            .filter(|u| u.starts_with("postgres")),
    );
    for db in urls {
        let one = TestApp::spawn(&db, Mode::Development).await;
        let two = one.another(&one.url).await;
        let (clerk, _) = one.login("tiepnhan.dongkinh").await;
        let (specialist, _) = one.login("chuyenvien.dongkinh").await;
        let (citizen, _) = two.login(CITIZEN).await;
        let (other, _) = two.login("020195654321").await;
        let id = file_and_receive(&one, &clerk, "sub-1").await;

        // Someone else's dossier reads as missing.
        let mut denied = subscribe(
            &two,
            &other,
            &format!("subscription {{ dossierChanged(id: \"{id}\") {{ kind }} }}"),
        )
        .await;
        let refused = next_json(&mut denied).await;
        assert_eq!(
            refused["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{db}: {refused}"
        );
        assert!(refused["payload"]["data"].is_null(), "{db}: {refused}");

        let mut mine = subscribe(&two, &citizen, &format!("subscription {{ dossierChanged(id: \"{id}\") {{ dossierId kind status version at }} }}")).await;
        let mut all = subscribe(
            &two,
            &citizen,
            "subscription { myDossierChanges { dossierId kind status } }",
        )
        .await;
        // Give the subscriptions a moment to be registered before the change.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let (_, r) = one
            .call(Some(&specialist), "mutation($id: ID!) { startProcessing(id: $id, version: 2) { dossier { status } } }", json!({ "id": id }))
            .await;
        assert_eq!(
            r["data"]["startProcessing"]["dossier"]["status"], "PROCESSING",
            "{db}: {r}"
        );
        let started = std::time::Instant::now();
        // The reception just before may arrive first (it is a real change too).
        let mut got = next_json(&mut mine).await;
        if got["payload"]["data"]["dossierChanged"]["kind"] == "RECEIVED" {
            got = next_json(&mut mine).await;
        }
        println!(
            "subscription on {db}: change through instance one seen on instance two after {} ms",
            started.elapsed().as_millis()
        );
        assert_eq!(got["type"], "next", "{db}: {got}");
        let change = &got["payload"]["data"]["dossierChanged"];
        assert_eq!(
            (
                change["kind"].as_str(),
                change["status"].as_str(),
                change["version"].as_i64()
            ),
            (Some("PROCESSING"), Some("PROCESSING"), Some(3)),
            "{db}: {got}"
        );
        assert_eq!(change["dossierId"], id.as_str());
        let mut got = next_json(&mut all).await;
        if got["payload"]["data"]["myDossierChanges"]["kind"] == "RECEIVED" {
            got = next_json(&mut all).await;
        }
        assert_eq!(
            got["payload"]["data"]["myDossierChanges"]["kind"], "PROCESSING",
            "{db}: {got}"
        );
        // A bad token closes the connection at initialisation.
        let url = format!("{}/graphql/ws", two.address.replace("http://", "ws://"));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        ws.send(Message::text(
            json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nope" } })
                .to_string(),
        ))
        .await
        .unwrap();
        let closed = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .unwrap();
        assert!(
            matches!(closed, Some(Ok(Message::Close(_))) | None | Some(Err(_))),
            "{db}: {closed:?}"
        );
    }
    let _ = std::fs::remove_file(&file_db);
}

#[actix_web::test]
async fn housekeeping_deletes_only_what_is_past_its_keeping_time() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let now = chrono::Utc::now().timestamp();
        for (sql, _) in [
            (
                format!(
                    "INSERT INTO rate_limits (key, window_start, count) VALUES ('old', {}, 1), ('new', {now}, 1)",
                    now - 2 * 86_400
                ),
                (),
            ),
            (
                format!(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash, dossier_id, response, created_at) VALUES (1, 'old', 'h', 'd', '{{}}', {}), (1, 'kept', 'h', 'd', '{{}}', {})",
                    now - 91 * 86_400,
                    now - 31 * 86_400
                ),
                (),
            ),
            (
                format!(
                    "INSERT INTO dossier_events (dossier_id, applicant_user_id, handling_agency_id, receiving_agency_id, kind, status, version, at) VALUES ('d', NULL, 1, 1, 'RECEIVED', 'RECEIVED', 2, {}), ('d', NULL, 1, 1, 'PROCESSING', 'PROCESSING', 3, {now})",
                    now - 2 * 86_400
                ),
                (),
            ),
        ] {
            app.db.execute_unprepared(&sql).await.unwrap();
        }
        let deleted = motcua_api::service::jobs::housekeeping(&app.db, now)
            .await
            .unwrap();
        assert_eq!(deleted, 3, "{db}");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM rate_limits WHERE key = 'new'").await,
            1
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'kept'"
            )
            .await,
            1,
            "{db}: keys are kept at least 30 days"
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dossier_events WHERE dossier_id = 'd'"
            )
            .await,
            1
        );
    }
}

/// An SMTP server that refuses every recipient the way real servers do: quoting the address.
async fn refusing_smtp() -> String {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 refusing ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_uppercase();
                    let reply = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        "250 refusing\r\n".to_owned()
                    } else if upper.starts_with("RCPT TO:") {
                        let to = line.get(8..).unwrap_or_default().trim().to_owned();
                        format!("550 5.1.1 {to}: Recipient address rejected\r\n")
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        "250 ok\r\n".to_owned()
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    format!("smtp://{address}")
}

#[actix_web::test]
async fn a7_smtp_refusals_keep_recipient_addresses_out_of_outbox_rows() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        file_and_receive(&app, &clerk, "a7").await;
        let relay = relay(Some(refusing_smtp().await), None);
        let pass = relay
            .run_once(&app.db, chrono::Utc::now().timestamp())
            .await
            .unwrap();
        assert_eq!(pass.failed, 1, "{db}: {pass:?}");
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT recipient, last_error FROM outbox WHERE channel = 'EMAIL'".to_owned(),
            ))
            .await
            .unwrap()
            .unwrap();
        let recipient: String = row.try_get("", "recipient").unwrap();
        let error: String = row.try_get("", "last_error").unwrap();
        assert!(recipient.contains('@'), "{db}: {recipient}");
        assert!(
            error.contains("550"),
            "{db}: the reply code is kept: {error}"
        );
        let local = recipient.split('@').next().unwrap();
        assert!(
            !error.contains(&recipient) && !error.contains(local) && !error.contains('@'),
            "{db}: {error}"
        );
    }
}
