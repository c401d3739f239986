//! SECURITY.md Z5, G8 and the /metrics guard (O1, a code this project adds): sockets checked on
//! every operation and closed when the session ends, the HTTP limits on the socket, every field
//! counted, metrics only for allowed addresses or with the token. Real WebSocket clients and HTTP,
//! on SQLite and PostgreSQL.

use futures_util::{SinkExt, StreamExt};
use motcua_api::config::{Config, MetricsConfig, Mode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{CITIZEN, CITIZEN_B, DEMO_PASSWORD, TestApp, databases, file_and_receive};

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What the server sent: a protocol message, or the close (with its code).
#[derive(Debug)]
enum Got {
    Message(Value),
    Closed(Option<u16>),
}

const CREATE_DRAFT: &str = "mutation { createDraft(procedureCode: \"2.000815\") { dossier { uuid } userErrors { code } } }";

/// Opens a graphql-transport-ws connection (with `headers` on the upgrade request), initialised
/// with `token` if any.
async fn open(app: &TestApp, token: Option<&str>, headers: &[(&str, &str)]) -> Ws {
    let url = format!("{}/graphql/ws", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    for (name, value) in headers {
        request.headers_mut().insert(
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let payload = token.map_or_else(
        || json!({}),
        |t| json!({ "Authorization": format!("Bearer {t}") }),
    );
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": payload }).to_string(),
    ))
    .await
    .unwrap();
    match next(&mut ws).await {
        Got::Message(ack) => assert_eq!(ack["type"], "connection_ack", "{ack}"),
        closed @ Got::Closed(_) => panic!("not acknowledged: {closed:?}"),
    }
    ws
}

async fn send(ws: &mut Ws, id: &str, query: &str) {
    ws.send(Message::text(
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }).to_string(),
    ))
    .await
    .unwrap();
}

/// The next message within `wait`, or `None`.
async fn next_within(ws: &mut Ws, wait: Duration) -> Option<Got> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let m = tokio::time::timeout_at(deadline, ws.next()).await.ok()?;
        match m {
            Some(Ok(Message::Text(t))) => {
                return Some(Got::Message(serde_json::from_str(t.as_str()).unwrap()));
            }
            Some(Ok(Message::Close(frame))) => {
                return Some(Got::Closed(frame.map(|f| u16::from(f.code))));
            }
            Some(Ok(_)) => {}
            None | Some(Err(_)) => return Some(Got::Closed(None)),
        }
    }
}

async fn next(ws: &mut Ws) -> Got {
    next_within(ws, Duration::from_secs(10))
        .await
        .unwrap_or_else(|| panic!("nothing within 10 s"))
}

/// Runs one query or mutation on the socket: its `next` payload (the `complete` is read too).
async fn run(ws: &mut Ws, id: &str, query: &str) -> Value {
    send(ws, id, query).await;
    let Got::Message(m) = next(ws).await else {
        panic!("closed instead of answering {query}");
    };
    assert_eq!(
        (m["type"].as_str(), m["id"].as_str()),
        (Some("next"), Some(id)),
        "{m}"
    );
    let Got::Message(done) = next(ws).await else {
        panic!("closed before completing");
    };
    assert_eq!(done["type"], "complete", "{done}");
    m["payload"].clone()
}

/// Everything the server sends until it closes (within `wait`); the messages and the close code.
async fn until_closed(ws: &mut Ws, wait: Duration) -> (Vec<Value>, Option<u16>) {
    let deadline = tokio::time::Instant::now() + wait;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match next_within(ws, left).await {
            Some(Got::Message(m)) => seen.push(m),
            Some(Got::Closed(code)) => return (seen, code),
            None => panic!("still open after {wait:?}; got {seen:?}"),
        }
    }
}

/// Whether any message carries data for `field`.
fn delivered(seen: &[Value], field: &str) -> bool {
    seen.iter().any(|m| !m["payload"]["data"][field].is_null())
}

fn config(mode: Mode) -> Config {
    let mut c = Config::for_tests();
    c.mode = mode;
    c
}

#[actix_web::test]
async fn z5_socket_is_checked_on_every_operation_and_closed_when_the_session_ends() {
    for db in databases() {
        let mut c = config(Mode::Development);
        c.socket_recheck_secs = 1;
        let app = TestApp::spawn_with(&db, c).await;

        // Logout over HTTP: the next operation on the socket is refused, the socket closed.
        let (citizen, _) = app.login(CITIZEN).await;
        let mut ws = open(&app, Some(&citizen), &[]).await;
        let r = run(&mut ws, "1", CREATE_DRAFT).await;
        assert!(
            r["data"]["createDraft"]["dossier"]["uuid"].is_string(),
            "{db}: {r}"
        );
        let (_, r) = app
            .call(Some(&citizen), "mutation { logout { ok } }", json!({}))
            .await;
        assert_eq!(r["data"]["logout"]["ok"], true, "{db}: {r}");
        send(&mut ws, "2", CREATE_DRAFT).await;
        let (seen, code) = until_closed(&mut ws, Duration::from_secs(10)).await;
        assert!(
            !delivered(&seen, "createDraft"),
            "{db}: ran after logout: {seen:?}"
        );
        assert!(
            seen.iter()
                .any(|m| m["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"),
            "{db}: {seen:?}"
        );
        assert_eq!(code, Some(4401), "{db}: {seen:?}");

        // A clerk whose roles an administrator removes receives nothing more.
        let clerk_login = app.login_payload("tiepnhan.dongkinh", DEMO_PASSWORD).await;
        let clerk = clerk_login["accessToken"].as_str().unwrap().to_owned();
        let clerk_id = clerk_login["account"]["id"].as_str().unwrap().to_owned();
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (admin, _) = app.login("quantri.dongkinh").await;
        let mut ws = open(&app, Some(&clerk), &[]).await;
        send(
            &mut ws,
            "1",
            "subscription { myDossierChanges { dossierId kind } }",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let id = file_and_receive(&app, &clerk, "z5-1").await;
        // While the clerk holds the role, the changes arrive.
        let Got::Message(first) = next(&mut ws).await else {
            panic!("{db}: closed while the clerk held the role");
        };
        assert_eq!(
            first["payload"]["data"]["myDossierChanges"]["dossierId"],
            id.as_str(),
            "{db}: {first}"
        );
        tokio::time::sleep(Duration::from_millis(600)).await;
        while next_within(&mut ws, Duration::from_millis(200))
            .await
            .is_some()
        {}
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation($u: ID!) { setUserRoles(userId: $u, roles: []) { id } }",
                json!({ "u": clerk_id }),
            )
            .await;
        assert!(r["errors"].is_null(), "{db}: {r}");
        let (_, r) = app
            .call(
                Some(&specialist),
                "mutation($id: ID!) { startProcessing(id: $id, version: 2) { dossier { status } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            r["data"]["startProcessing"]["dossier"]["status"], "PROCESSING",
            "{db}: {r}"
        );
        let (seen, code) = until_closed(&mut ws, Duration::from_secs(10)).await;
        assert!(
            !delivered(&seen, "myDossierChanges"),
            "{db}: a clerk without roles received a change: {seen:?}"
        );
        assert_eq!(code, Some(4401), "{db}: {seen:?}");

        // A password change (over HTTP) ends the socket's session too.
        let (b, _) = app.login(CITIZEN_B).await;
        let mut ws = open(&app, Some(&b), &[]).await;
        let r = run(&mut ws, "1", "{ me { login } }").await;
        assert_eq!(r["data"]["me"]["login"], CITIZEN_B, "{db}: {r}");
        let (_, r) = app
            .call(
                Some(&b),
                "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken } }",
                json!({ "c": DEMO_PASSWORD, "n": "một mật khẩu mới thật dài" }),
            )
            .await;
        assert!(
            r["data"]["changePassword"]["accessToken"].is_string(),
            "{db}: {r}"
        );
        send(&mut ws, "2", "{ me { login } }").await;
        let (seen, code) = until_closed(&mut ws, Duration::from_secs(10)).await;
        assert!(!delivered(&seen, "me"), "{db}: {seen:?}");
        assert_eq!(code, Some(4401), "{db}: {seen:?}");

        // An idle socket (a subscription, no events) closes soon after its session ends.
        let (citizen, _) = app.login(CITIZEN).await;
        let mut ws = open(&app, Some(&citizen), &[]).await;
        send(&mut ws, "1", "subscription { myDossierChanges { kind } }").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.call(Some(&citizen), "mutation { logout { ok } }", json!({}))
            .await;
        let (seen, code) = until_closed(&mut ws, Duration::from_secs(10)).await;
        assert_eq!(code, Some(4401), "{db}: {seen:?}");

        // A token that expires while the socket is idle closes it.
        let (citizen, _) = app.login(CITIZEN).await;
        let keys = &app.deps.auth.keys;
        let mut claims = keys.verify_access(&citizen).unwrap();
        // Still accepted for about three seconds (30 s of leeway).
        claims.exp = motcua_api::auth::now() - 27;
        let short = keys
            .sign_access(keys.current_kid().unwrap(), &claims)
            .unwrap();
        let mut ws = open(&app, Some(&short), &[]).await;
        let r = run(&mut ws, "1", "{ me { login } }").await;
        assert_eq!(r["data"]["me"]["login"], CITIZEN, "{db}: {r}");
        let (seen, code) = until_closed(&mut ws, Duration::from_secs(15)).await;
        assert_eq!(code, Some(4401), "{db}: {seen:?}");
    }
}

#[actix_web::test]
async fn z5_http_limits_apply_on_the_socket() {
    for db in databases() {
        let mut c = config(Mode::Development);
        c.auth.logins_per_ip_per_minute = 3;
        let app = TestApp::spawn_with(&db, c).await;
        let mut ws = open(&app, None, &[]).await;
        // G2 depth.
        let mut deep = "name".to_owned();
        for _ in 0..11 {
            deep = format!("ofType {{ {deep} }}");
        }
        let r = run(
            &mut ws,
            "1",
            &format!("{{ __type(name: \"Query\") {{ {deep} }} }}"),
        )
        .await;
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("nested"),
            "{db}: {r}"
        );
        // G2 complexity: 100 aliased searches of 50.
        let aliases: String = (0..100)
            .map(|i| format!("a{i}: procedures(first: 50) {{ edges {{ cursor }} }} "))
            .collect();
        let r = run(&mut ws, "2", &format!("{{ {aliases} }}")).await;
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("complex"),
            "{db}: {r}"
        );
        // G8: 5,000 aliases of __typename.
        let aliases: String = (0..5000).map(|i| format!("a{i}: __typename ")).collect();
        let r = run(&mut ws, "3", &format!("{{ {aliases} }}")).await;
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
            "{db}: {}",
            r["errors"]
        );
        assert!(r["data"].is_null(), "{db}");
        // A1: sign-in attempts from one address count together over HTTP and the socket, and a
        // spoofed X-Forwarded-For on the upgrade changes nothing.
        for _ in 0..3 {
            let p = app.login_payload(CITIZEN, "sai mật khẩu").await;
            assert_eq!(
                p["userErrors"][0]["code"], "INVALID_CREDENTIALS",
                "{db}: {p}"
            );
        }
        let mut ws = open(&app, None, &[("X-Forwarded-For", "203.0.113.77")]).await;
        let r = run(
            &mut ws,
            "1",
            &format!(
                "mutation {{ login(identifier: \"{CITIZEN}\", password: \"{DEMO_PASSWORD}\") {{ accessToken }} }}"
            ),
        )
        .await;
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "RATE_LIMITED",
            "{db}: {r}"
        );
        assert!(r["data"]["login"].is_null(), "{db}: {r}");
    }
}

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

#[actix_web::test]
async fn g8_every_field_counts_aliased_typename_included() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Production).await;
        let typenames =
            |n: usize| -> String { (0..n).map(|i| format!("a{i}: __typename ")).collect() };
        let (status, r) = app
            .call(None, &format!("{{ {} }}", typenames(5000)), json!({}))
            .await;
        // (Only the errors in messages: the data would be 5,000 lines.)
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
            "{db}: {status} {}",
            r["errors"]
        );
        assert!(r["data"].is_null(), "{db}");
        assert!(
            r["errors"][0]["message"].as_str().unwrap().contains("5000"),
            "{db}: the message says how many: {}",
            r["errors"]
        );
        // Refused before any resolver: the sign-in beside the aliases never ran (it would have
        // counted an attempt).
        let (_, r) = app
            .call(
                None,
                &format!(
                    "mutation {{ login(identifier: \"{CITIZEN}\", password: \"x\") {{ accessToken }} {} }}",
                    typenames(5000)
                ),
                json!({}),
            )
            .await;
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
            "{db}: {}",
            r["errors"]
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM rate_limits WHERE key LIKE 'login:%'"
            )
            .await,
            0,
            "{db}"
        );
        // Fragments count wherever they are spread.
        let (_, r) = app
            .call(
                None,
                &format!(
                    "{{ ...F ...F }} fragment F on Query {{ {} }}",
                    typenames(600)
                ),
                json!({}),
            )
            .await;
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
            "{db}: {}",
            r["errors"]
        );
        // The budget itself is fine; one more is not.
        let (status, r) = app
            .call(None, &format!("{{ {} }}", typenames(1000)), json!({}))
            .await;
        assert_eq!(status, 200);
        assert!(r["errors"].is_null(), "{db}: {}", r["errors"]);
        assert_eq!(r["data"]["a999"], "Query");
        let (_, r) = app
            .call(None, &format!("{{ {} }}", typenames(1001)), json!({}))
            .await;
        assert_eq!(
            r["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
            "{db}: {}",
            r["errors"]
        );
        // An ordinary page.
        let (status, r) = app
            .call(
                None,
                "{ __typename procedures(first: 20) { edges { cursor node { __typename code name } } pageInfo { hasNextPage endCursor } } }",
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{db}: {r}");
        assert!(r["errors"].is_null(), "{db}: {r}");
        assert_eq!(
            r["data"]["procedures"]["edges"].as_array().unwrap().len(),
            20,
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn o1_metrics_are_served_only_to_allowed_addresses_or_with_the_token() {
    for db in databases() {
        let get = |app: &TestApp, headers: &[(&str, &str)]| {
            let mut request = app.client.get(format!("{}/metrics", app.address));
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            async move {
                let r = request.send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        // By default: loopback only.
        let app = TestApp::spawn(&db, Mode::Production).await;
        let (status, body) = get(&app, &[]).await;
        assert_eq!(status, 200, "{db}");
        assert!(
            body.contains("motcua_graphql_requests_total"),
            "{db}: {body}"
        );
        // Through a proxy that is not trusted, the origin is unknown: not served.
        let (status, body) = get(&app, &[("X-Forwarded-For", "127.0.0.1")]).await;
        assert_eq!(status, 404, "{db}");
        assert!(!body.contains("motcua_"), "{db}: {body}");

        // Only a private network and the token; the test client is a trusted proxy.
        let token = "metrics-token-0123456789abcdef";
        let mut c = config(Mode::Production);
        c.metrics = MetricsConfig::parse(Some(token.to_owned()), Some("10.0.0.0/8")).unwrap();
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        let app = TestApp::spawn_with(&db, c).await;
        let (status, body) = get(&app, &[]).await;
        assert_eq!(status, 404, "{db}");
        assert!(!body.contains("motcua_"), "{db}: {body}");
        let (status, body) = get(&app, &[("X-Forwarded-For", "203.0.113.9")]).await;
        assert_eq!(status, 404, "{db}");
        assert!(!body.contains("motcua_"), "{db}: {body}");
        let (status, body) = get(&app, &[("Authorization", "Bearer not-the-token-at-all")]).await;
        assert_eq!(status, 403, "{db}");
        assert!(!body.contains("motcua_"), "{db}: {body}");
        let bearer = format!("Bearer {token}");
        let (status, body) = get(&app, &[("Authorization", bearer.as_str())]).await;
        assert_eq!(status, 200, "{db}");
        assert!(
            body.contains("motcua_graphql_requests_total"),
            "{db}: {body}"
        );
        let (status, body) = get(&app, &[("X-Forwarded-For", "198.51.100.1, 10.1.2.3")]).await;
        assert_eq!(status, 200, "{db}: {body}");
    }
}
