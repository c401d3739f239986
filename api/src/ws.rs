//! GraphQL over WebSocket at `/graphql/ws` (`graphql-transport-ws`, and the older `graphql-ws`),
//! with the session checked for as long as the connection lives (SECURITY.md Z5).
//!
//! async-graphql's `WebSocket` speaks the protocol; this module carries its frames over
//! `actix-ws` and closes the connection itself, which the ready-made actix integration cannot
//! do: when an operation or event finds the session ended (`graphql::socket`), when a periodic
//! check does (a revoked session on an idle connection), when the token expires, when
//! `connection_init` does not come in time, or when the client stops answering pings.

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use async_graphql::Data;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocket, WebSocketProtocols, WsMessage};
use futures_util::StreamExt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use crate::auth::ClientInfo;
use crate::graphql::socket::SocketSession;
use crate::graphql::{AuthState, MotcuaSchema};

/// Close code when the session ends (graphql-transport-ws `Unauthorized`): sign in again (or
/// refresh the token) and reconnect.
pub const SESSION_ENDED: u16 = 4401;
/// Close code when `connection_init` does not arrive in time (graphql-transport-ws).
pub const INIT_TIMEOUT_CODE: u16 = 4408;

/// How long a new connection may wait before `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings.
const HEARTBEAT: Duration = Duration::from_secs(10);
/// A client silent (not even a pong) this long is gone.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// What one connection needs besides the request.
pub struct Connection {
    /// The schema.
    pub schema: MotcuaSchema,
    /// The database, for session checks.
    pub db: sea_orm::DatabaseConnection,
    /// The keys, for session checks.
    pub auth: Arc<AuthState>,
    /// The client, as for an HTTP request (rate limits per address).
    pub client: ClientInfo,
    /// The language of the answers.
    pub lang: motcua_core::Lang,
    /// How often an idle connection re-checks its session.
    pub recheck: Duration,
    /// Longest an operation may run (G7).
    pub timeout: Duration,
    /// Largest message (as an HTTP body, G6).
    pub max_message: usize,
}

/// The access token of a `connection_init` payload (`Authorization: "Bearer …"`).
fn token_of(init: &serde_json::Value) -> Option<String> {
    ["Authorization", "authorization", "authToken"]
        .iter()
        .find_map(|k| init.get(*k).and_then(serde_json::Value::as_str))
        .map(|v| {
            let v = v.trim();
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v)
                .trim()
                .to_owned()
        })
}

/// Upgrades the request and serves the connection on its own task.
///
/// # Errors
/// Not a WebSocket handshake, or no supported sub-protocol (400).
pub fn start(
    http: &HttpRequest,
    payload: web::Payload,
    c: Connection,
) -> actix_web::Result<HttpResponse> {
    let protocol = http
        .headers()
        .get_all("sec-websocket-protocol")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        .ok_or_else(|| {
            actix_web::error::ErrorBadRequest("Sec-WebSocket-Protocol: graphql-transport-ws")
        })?;
    let (response, out, incoming) =
        actix_ws::handle_with_protocols(http, payload, &ALL_WEBSOCKET_PROTOCOLS)?;
    let incoming = incoming
        .max_frame_size(c.max_message)
        .aggregate_continuations()
        .max_continuation_size(c.max_message);
    actix_web::rt::spawn(serve(c, protocol, out, incoming));
    Ok(response)
}

/// Why the loop stopped: a close frame to send, or nothing (the peer is gone).
enum Stop {
    Close(Option<CloseReason>),
    Gone,
}

fn close(code: u16, description: &str) -> Stop {
    Stop::Close(Some(CloseReason {
        code: CloseCode::Other(code),
        description: Some(description.to_owned()),
    }))
}

async fn serve(
    c: Connection,
    protocol: WebSocketProtocols,
    mut out: actix_ws::Session,
    mut incoming: actix_ws::AggregatedMessageStream,
) {
    let session = SocketSession::new(c.timeout);
    let mut data = Data::default();
    data.insert(c.lang);
    data.insert(c.client);
    data.insert(session.clone());
    let init = {
        let (session, db, auth, lang) = (session.clone(), c.db.clone(), c.auth.clone(), c.lang);
        move |payload: serde_json::Value| async move {
            session
                .open(&db, &auth.keys, token_of(&payload))
                .await
                .map_err(|e| e.into_graphql(lang))?;
            Ok(Data::default())
        }
    };
    let (to_graphql, mut from_client) = mpsc::unbounded_channel::<bytes::Bytes>();
    let messages = futures_util::stream::poll_fn(move |cx| from_client.poll_recv(cx));
    let graphql = WebSocket::new(c.schema, messages, protocol)
        .connection_data(data)
        .on_connection_init(init);
    let mut graphql = std::pin::pin!(graphql);
    let opened = Instant::now();
    let mut last_heard = Instant::now();
    let mut heartbeat = tokio::time::interval_at(opened + HEARTBEAT, HEARTBEAT);
    let mut next_check = opened + c.recheck;
    let mut last_check = opened;
    let stop = loop {
        let wake = if session.is_initialised() {
            // At the token's expiry, or the next periodic check; never twice within a second
            // (a token the clock still accepts at its expiry is checked again shortly after).
            session
                .expires()
                .map_or(next_check, |e| next_check.min(Instant::from_std(e)))
                .max(last_check + Duration::from_secs(1))
        } else {
            opened + INIT_TIMEOUT
        };
        tokio::select! {
            biased;
            () = session.ended() => break close(SESSION_ENDED, "session ended"),
            message = graphql.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if out.text(text).await.is_err() {
                        break Stop::Gone;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break close(code, &reason),
                None => break Stop::Close(None),
            },
            message = incoming.next() => {
                last_heard = Instant::now();
                match message {
                    Some(Ok(AggregatedMessage::Text(text))) => {
                        if to_graphql.send(text.into_bytes()).is_err() {
                            break Stop::Close(None);
                        }
                    }
                    Some(Ok(AggregatedMessage::Binary(bytes))) => {
                        if to_graphql.send(bytes).is_err() {
                            break Stop::Close(None);
                        }
                    }
                    Some(Ok(AggregatedMessage::Ping(bytes))) => {
                        if out.pong(&bytes).await.is_err() {
                            break Stop::Gone;
                        }
                    }
                    Some(Ok(AggregatedMessage::Pong(_))) => {}
                    Some(Ok(AggregatedMessage::Close(_))) | None => break Stop::Close(None),
                    Some(Err(_)) => break Stop::Close(Some(CloseReason {
                        code: CloseCode::Size,
                        description: Some("message too large or malformed".to_owned()),
                    })),
                }
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > CLIENT_TIMEOUT || out.ping(b"").await.is_err() {
                    break Stop::Gone;
                }
            },
            () = sleep_until(wake) => {
                if !session.is_initialised() {
                    break close(INIT_TIMEOUT_CODE, "Connection initialisation timeout");
                }
                // A refused session ends itself (and the next turn closes); a database failure
                // is retried at the next check.
                if let Err(e) = session.check(&c.db, &c.auth.keys).await
                    && !session.has_ended()
                {
                    tracing::warn!(error = %e, "WebSocket session check failed");
                }
                last_check = Instant::now();
                next_check = last_check + c.recheck;
            },
        }
    };
    if let Stop::Close(reason) = stop {
        let _ = out.close(reason).await;
    }
}
