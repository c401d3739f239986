//! The HTTP server: `/graphql` (POST JSON only), `/graphql/ws`, `/healthz`, `/readyz`,
//! `/metrics` (allowed addresses or a token only), and in development a GraphQL playground.

use actix_web::dev::Server;
use actix_web::http::{StatusCode, header};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use async_graphql::http::{GraphQLPlaygroundConfig, playground_source};
use sea_orm::ConnectionTrait;
use sha2::Digest as _;
use std::net::{IpAddr, TcpListener};
use std::sync::Arc;
use std::time::Instant;

mod kpi;
mod payments;

pub use payments::may_settle;

use crate::auth::ClientInfo;
use crate::config::{Config, MetricsConfig, Mode};
use crate::error::ApiError;
use crate::graphql::{Deps, MotcuaSchema, lang_of};
use crate::metrics::{Metrics, Outcome};
use crate::service::accounts;

/// How the server behaves, besides the schema.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Development or production.
    pub mode: Mode,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Who may read `/metrics`.
    pub metrics: MetricsConfig,
    /// How often an idle WebSocket re-checks its session (Z5).
    pub socket_recheck: std::time::Duration,
    /// The built web app served at `/`, when there is one.
    pub web: Option<Arc<crate::webapp::WebApp>>,
}

impl Settings {
    /// The server's part of the configuration.
    #[must_use]
    pub fn from_config(config: &Config) -> Self {
        Self {
            mode: config.mode,
            trusted_proxies: config.trusted_proxies.clone(),
            metrics: config.metrics.clone(),
            socket_recheck: std::time::Duration::from_secs(config.socket_recheck_secs),
            web: load_web_app(&config.web_dir),
        }
    }
}

/// The web app built in `dir`; the API alone (with a log line saying why) when it is absent or
/// unreadable.
fn load_web_app(dir: &str) -> Option<Arc<crate::webapp::WebApp>> {
    match crate::webapp::WebApp::load(std::path::Path::new(dir)) {
        Ok(Some(app)) => Some(Arc::new(app)),
        Ok(None) => {
            tracing::info!(
                dir,
                "no web app built there (MOTCUA_WEB_DIR): serving the API only"
            );
            None
        }
        Err(e) => {
            tracing::warn!(dir, error = %e, "the web app cannot be read: serving the API only");
            None
        }
    }
}

/// `GET` of any other path: the web app's file or page, or 404 when no app is built.
async fn web_app(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match &state.settings.web {
        Some(app)
            if req.method() == actix_web::http::Method::GET
                || req.method() == actix_web::http::Method::HEAD =>
        {
            app.serve(&req).await
        }
        Some(_) => HttpResponse::MethodNotAllowed().finish(),
        None => HttpResponse::NotFound().finish(),
    }
}

/// What every handler shares.
#[derive(Clone)]
struct AppState {
    schema: MotcuaSchema,
    deps: Deps,
    settings: Settings,
    metrics: Arc<Metrics>,
    /// The open-data answers of this server, by period, for a few minutes.
    open_data: kpi::OpenData,
}

/// Longest an operation may run before it is cancelled (SECURITY.md G7).
pub const RESOLVER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Largest JSON request body (SECURITY.md G6): larger ones get 413 before anything is parsed.
pub const MAX_BODY: usize = 1 << 20;
/// Largest multipart request (one file of at most 10 MiB and the operation): 413 above, before
/// anything is stored (A2).
pub const MAX_UPLOAD_BODY: usize = 11 << 20;
/// Files in one multipart request.
pub const MAX_FILES_PER_REQUEST: usize = 1;

/// The client address: the peer, or — only when the peer is a trusted proxy — the right-most
/// address of `X-Forwarded-For` that is not itself a trusted proxy (A1: a spoofed header from
/// anyone else changes nothing). `None` when the peer is unknown.
fn client_addr(http: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = http.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = http
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    Some(
        forwarded
            .iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .copied()
            .unwrap_or(peer),
    )
}

/// [`client_addr`] as text (`unknown` without a peer), as rate limits key it.
fn client_ip(http: &HttpRequest, trusted: &[IpAddr]) -> String {
    client_addr(http, trusted).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// Who calls, as every operation's rate limits and logs see it.
fn client_info(http: &HttpRequest, trusted: &[IpAddr]) -> ClientInfo {
    ClientInfo {
        ip: client_ip(http, trusted),
        user_agent: http
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect(),
    }
}

/// The language a plain HTTP request asks for (`Accept-Language`).
fn request_lang(http: &HttpRequest) -> motcua_core::Lang {
    lang_of(
        http.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A PDF download: an attachment, never sniffed, never cached.
fn pdf_response(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// A GraphQL-shaped error response with a status (for failures before execution).
fn error_response(status: StatusCode, e: ApiError, lang: motcua_core::Lang) -> HttpResponse {
    let err = e
        .into_graphql(lang)
        .into_server_error(async_graphql::Pos::default());
    let body = async_graphql::Response::from_errors(vec![err]);
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }
    response.json(body)
}

/// Runs one GraphQL operation. Only `application/json` is accepted (SECURITY.md G4: no
/// cross-site form or `text/plain` posts); the body is limited (G6); a batch (a JSON array) is not
/// one request and is refused (G3). A bearer token is checked against the database before the
/// operation runs (J5); a bad one answers 401 whatever the operation.
async fn graphql(state: web::Data<AppState>, http: HttpRequest, body: web::Bytes) -> HttpResponse {
    let started = Instant::now();
    let lang = request_lang(&http);
    // The media type is matched without case; the parameters keep theirs: a multipart boundary
    // is case-sensitive, and browsers send mixed-case ones (`----WebKitFormBoundaryAbC…`).
    let raw_content_type = http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start();
    let content_type = raw_content_type.to_ascii_lowercase();
    let request = if content_type.starts_with("application/json") {
        if body.len() > MAX_BODY {
            state.metrics.record(Outcome::Refused, started.elapsed());
            return HttpResponse::PayloadTooLarge().body("a JSON request is at most 1 MiB");
        }
        match serde_json::from_slice::<async_graphql::Request>(&body) {
            Ok(r) => r,
            Err(_) => {
                state.metrics.record(Outcome::Refused, started.elapsed());
                return HttpResponse::BadRequest()
                    .body("the body is not one GraphQL request in JSON");
            }
        }
    } else if content_type.starts_with("multipart/form-data") {
        // Uploads (GraphQL multipart request spec). A cross-site form cannot set a custom
        // header, so one is required (G4).
        let preflighted = http.headers().contains_key("x-motcua-upload")
            || http.headers().contains_key("apollo-require-preflight");
        if !preflighted {
            state.metrics.record(Outcome::Refused, started.elapsed());
            return HttpResponse::BadRequest()
                .body("multipart requests need the header x-motcua-upload: 1");
        }
        let options = async_graphql::http::MultipartOptions::default()
            .max_file_size(crate::service::attachments::MAX_FILE)
            .max_num_files(MAX_FILES_PER_REQUEST);
        match async_graphql::http::receive_body(
            Some(raw_content_type),
            futures_util::io::Cursor::new(body),
            options,
        )
        .await
        {
            Ok(r) => r,
            Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
                state.metrics.record(Outcome::Refused, started.elapsed());
                return HttpResponse::PayloadTooLarge().body("a file is over 10 MiB");
            }
            Err(_) => {
                state.metrics.record(Outcome::Refused, started.elapsed());
                return HttpResponse::BadRequest().body("not a GraphQL multipart request");
            }
        }
    } else {
        state.metrics.record(Outcome::Refused, started.elapsed());
        return HttpResponse::UnsupportedMediaType()
            .body("POST /graphql takes application/json (or multipart/form-data for uploads)");
    };
    let client = client_info(&http, &state.settings.trusted_proxies);
    let mut request = request.data(lang).data(client);
    let bearer = http
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if let Some(value) = bearer {
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .unwrap_or_default();
        match accounts::authenticate(&state.deps.db, &state.deps.auth.keys, token).await {
            Ok(principal) => request = request.data(principal),
            Err(e @ ApiError::Unauthenticated) => {
                state
                    .metrics
                    .record(Outcome::Unauthenticated, started.elapsed());
                return error_response(StatusCode::UNAUTHORIZED, e, lang);
            }
            Err(e) => {
                state.metrics.record(Outcome::Errors, started.elapsed());
                return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang);
            }
        }
    }
    let response = match tokio::time::timeout(RESOLVER_TIMEOUT, state.schema.execute(request)).await
    {
        Ok(response) => response,
        Err(_) => {
            // G7: the operation is dropped (cancelled) and logged; nothing half-done is committed
            // because every mutation writes in one transaction.
            tracing::warn!(
                timeout_ms = RESOLVER_TIMEOUT.as_millis(),
                "GraphQL operation cancelled after its timeout"
            );
            state.metrics.record(Outcome::Errors, started.elapsed());
            return error_response(StatusCode::SERVICE_UNAVAILABLE, ApiError::Timeout, lang);
        }
    };
    let code_of = |e: &async_graphql::ServerError| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .map(ToString::to_string)
    };
    let limited = response.errors.iter().find_map(|e| {
        let code = code_of(e)?;
        if code.contains("RATE_LIMITED") || code.contains("ACCOUNT_LOCKED") {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("retryAfter"))
                .map(ToString::to_string)
                .or(Some("60".to_owned()))
        } else {
            None
        }
    });
    let outcome = if limited.is_some() {
        Outcome::RateLimited
    } else if response.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Errors
    };
    state.metrics.record(outcome, started.elapsed());
    if let Some(retry) = limited {
        return HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, retry))
            .json(response);
    }
    HttpResponse::Ok().json(response)
}

/// Queries and mutations are never taken over GET (G4).
async fn graphql_get() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "POST"))
        .body("use POST with application/json")
}

async fn playground(state: web::Data<AppState>) -> HttpResponse {
    if state.settings.mode == Mode::Production {
        return HttpResponse::NotFound().finish();
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(playground_source(GraphQLPlaygroundConfig::new("/graphql")))
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Ready when the database answers.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.deps.db.execute_unprepared("SELECT 1").await {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

/// Downloads an attachment (SECURITY.md A6): bearer token required, only for people who may see
/// its dossier; always as an attachment, never sniffed or rendered.
/// The caller of a plain HTTP download, from its bearer token: 401 without a valid one.
async fn bearer(
    state: &AppState,
    http: &HttpRequest,
    lang: motcua_core::Lang,
) -> Result<crate::auth::Principal, HttpResponse> {
    let token = http
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Bearer "))
        .unwrap_or_default();
    match accounts::authenticate(&state.deps.db, &state.deps.auth.keys, token).await {
        Ok(p) => Ok(p),
        Err(e @ ApiError::Unauthenticated) => {
            Err(error_response(StatusCode::UNAUTHORIZED, e, lang))
        }
        Err(e) => Err(error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang)),
    }
}

async fn download(
    state: web::Data<AppState>,
    http: HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let principal = match bearer(&state, &http, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let found = crate::service::attachments::downloadable(&state.deps.db, &principal, &id).await;
    let a = match found {
        Ok(a) => a,
        Err(e @ ApiError::NotFound) => return error_response(StatusCode::NOT_FOUND, e, lang),
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    };
    let bytes = match state.deps.storage.get(&a.storage_key).await {
        Ok(b) => b,
        Err(e) => return error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    };
    let ascii: String = a
        .original_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = a
        .original_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HttpResponse::Ok()
        .content_type(a.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
        ))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// Whether `/metrics` may be served: the bearer token of `MOTCUA_METRICS_TOKEN`, or a client
/// address in `MOTCUA_METRICS_ALLOW` (loopback by default). A request that came through a proxy
/// that is not trusted (it carries forwarding headers) is never allowed by address: its real
/// origin is unknown, and a local reverse proxy would otherwise open the metrics to everyone.
fn metrics_access(settings: &Settings, http: &HttpRequest) -> Result<(), StatusCode> {
    let presented = http
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    if let Some(presented) = presented {
        let expected = settings.metrics.token.as_deref();
        // Compared as SHA-256 digests, in constant time over the digest bytes.
        let same = expected.is_some_and(|expected| {
            let (a, b) = (
                sha2::Sha256::digest(presented.as_bytes()),
                sha2::Sha256::digest(expected.as_bytes()),
            );
            a.iter()
                .zip(b.iter())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0
        });
        return if same {
            Ok(())
        } else {
            Err(StatusCode::FORBIDDEN)
        };
    }
    let Some(peer) = http.peer_addr().map(|a| a.ip()) else {
        return Err(StatusCode::NOT_FOUND);
    };
    let trusted = &settings.trusted_proxies;
    let forwarded = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| http.headers().contains_key(*h));
    if forwarded && !trusted.contains(&peer) {
        return Err(StatusCode::NOT_FOUND);
    }
    let client = client_addr(http, trusted).map_or(peer, |ip| ip.to_canonical());
    if settings
        .metrics
        .allow
        .iter()
        .any(|net| net.contains(&client))
    {
        Ok(())
    } else {
        Err(StatusCode::NOT_FOUND)
    }
}

async fn metrics(state: web::Data<AppState>, http: HttpRequest) -> HttpResponse {
    match metrics_access(&state.settings, &http) {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; version=0.0.4")
            .body(state.metrics.render()),
        Err(status) => HttpResponse::build(status).finish(),
    }
}

/// A legal form of a dossier as PDF: `GET /dossiers/{id}/forms/{01|02|03|04|06}.pdf` with the
/// bearer token, for whoever may see the dossier (the read is audited).
async fn print_form(
    state: web::Data<AppState>,
    http: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let lang = request_lang(&http);
    let principal = match bearer(&state, &http, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let (id, form) = path.into_inner();
    let id = if crate::service::dossier::is_uuid(&id) {
        id
    } else {
        match crate::graphql::ids::decode(&id).filter(|(t, _)| t == "Dossier") {
            Some((_, key)) => key,
            None => return error_response(StatusCode::NOT_FOUND, ApiError::NotFound, lang),
        }
    };
    let Some(kind) = crate::service::printing::FormKind::parse(form.trim_end_matches(".pdf"))
    else {
        return error_response(StatusCode::NOT_FOUND, ApiError::NotFound, lang);
    };
    let printed = crate::service::printing::render(
        &state.deps.db,
        &state.deps.filing,
        &state.deps.public_url,
        &principal,
        &id,
        kind,
    )
    .await;
    match printed {
        Ok((pdf, name)) => pdf_response(pdf, &name),
        Err(e @ ApiError::NotFound) => error_response(StatusCode::NOT_FOUND, e, lang),
        Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, e, lang),
    }
}

/// Subscriptions, queries and mutations over WebSocket (`graphql-transport-ws`, and the older
/// `graphql-ws`). The access token comes in the `connection_init` payload as
/// `Authorization: "Bearer …"` (browsers cannot set headers on a WebSocket); it is checked like
/// an HTTP request's, again before every operation and event, and periodically; the connection
/// closes when the session ends (Z5). Operations get the HTTP timeout and rate limits by client
/// address; the schema's depth, complexity and field limits apply as over HTTP.
async fn graphql_ws(
    state: web::Data<AppState>,
    http: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let lang = request_lang(&http);
    crate::ws::start(
        &http,
        payload,
        crate::ws::Connection {
            schema: state.schema.clone(),
            db: state.deps.db.clone(),
            auth: state.deps.auth.clone(),
            client: client_info(&http, &state.settings.trusted_proxies),
            lang,
            recheck: state.settings.socket_recheck,
            timeout: RESOLVER_TIMEOUT,
            max_message: MAX_BODY,
        },
    )
}

/// Starts the server on an already bound listener (tests bind port 0).
///
/// # Errors
/// When the listener cannot be used.
pub fn run(
    listener: TcpListener,
    schema: MotcuaSchema,
    deps: Deps,
    settings: Settings,
) -> std::io::Result<Server> {
    let state = web::Data::new(AppState {
        schema,
        deps,
        settings,
        metrics: Arc::new(Metrics::default()),
        open_data: kpi::OpenData::default(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(MAX_UPLOAD_BODY))
            .route("/graphql", web::post().to(graphql))
            .route("/graphql", web::get().to(graphql_get))
            .route("/graphql/ws", web::get().to(graphql_ws))
            .route("/playground", web::get().to(playground))
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics))
            .route("/attachments/{id}", web::get().to(download))
            .route("/dossiers/{id}/forms/{form}", web::get().to(print_form))
            .route("/payments/vnpay/ipn", web::get().to(payments::vnpay_ipn))
            .route(
                "/payments/vnpay/return",
                web::get().to(payments::vnpay_return),
            )
            .route(
                "/payments/paygov/confirm",
                web::post().to(payments::paygov_confirm),
            )
            .route(
                "/payments/paygov/return",
                web::get().to(payments::paygov_return),
            )
            .route(
                "/payments/settlement.csv",
                web::get().to(payments::settlement_csv),
            )
            .route("/payments/{id}/receipt", web::get().to(payments::receipt))
            .route("/kpi/index.{format}", web::get().to(kpi::spreadsheet))
            .route("/open-data/index.json", web::get().to(kpi::open_data))
            .default_service(web::to(web_app))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
