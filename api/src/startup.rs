//! The HTTP server: `/graphql` (POST JSON only), `/healthz`, `/readyz`, and in development a
//! GraphQL playground.

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use async_graphql::http::{GraphQLPlaygroundConfig, playground_source};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::net::TcpListener;

use crate::config::Mode;
use crate::graphql::{MotcuaSchema, lang_of};

/// What every handler shares.
#[derive(Clone)]
struct AppState {
    schema: MotcuaSchema,
    db: DatabaseConnection,
    mode: Mode,
}

/// Largest request body (SECURITY.md G6): larger ones get 413 before anything is parsed.
pub const MAX_BODY: usize = 1 << 20;

/// Runs one GraphQL operation. Only `application/json` is accepted (SECURITY.md G4: no
/// cross-site form or `text/plain` posts); the body is limited (G6); a batch (a JSON array) is not
/// one request and is refused (G3).
async fn graphql(state: web::Data<AppState>, http: HttpRequest, body: web::Bytes) -> HttpResponse {
    let json = http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json {
        return HttpResponse::UnsupportedMediaType().body("POST /graphql takes application/json");
    }
    let lang = lang_of(
        http.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let Ok(request) = serde_json::from_slice::<async_graphql::Request>(&body) else {
        return HttpResponse::BadRequest().body("the body is not one GraphQL request in JSON");
    };
    let response = state.schema.execute(request.data(lang)).await;
    HttpResponse::Ok().json(response)
}

/// Queries and mutations are never taken over GET (G4).
async fn graphql_get() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "POST"))
        .body("use POST with application/json")
}

async fn playground(state: web::Data<AppState>) -> HttpResponse {
    if state.mode == Mode::Production {
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
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

/// Starts the server on an already bound listener (tests bind port 0).
///
/// # Errors
/// When the listener cannot be used.
pub fn run(
    listener: TcpListener,
    schema: MotcuaSchema,
    db: DatabaseConnection,
    mode: Mode,
) -> std::io::Result<Server> {
    let state = web::Data::new(AppState { schema, db, mode });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .route("/graphql", web::post().to(graphql))
            .route("/graphql", web::get().to(graphql_get))
            .route("/playground", web::get().to(playground))
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
