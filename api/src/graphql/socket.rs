//! The session of a WebSocket connection (SECURITY.md Z5): checked again before every operation
//! on the socket and before every event a subscription delivers, with the same check an HTTP
//! request's bearer token gets (`accounts::authenticate`: signature, expiry, session, account,
//! authorization version — J5); when it fails the session is ended and the connection closed
//! (`crate::ws`). Socket operations also get the HTTP timeout (G7).

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Data, Pos, Request, Response, ServerError, ServerResult, Variables};
use sea_orm::DatabaseConnection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::watch;

use super::AuthState;
use crate::auth::tokens::{Keys, LEEWAY};
use crate::auth::{Principal, now};
use crate::error::ApiError;
use crate::service::accounts;

/// What `connection_init` established.
struct Credentials {
    /// The access token, kept to check it again (never logged: `Debug` shows no token).
    token: String,
    /// When the token stops being accepted (its `exp` plus the leeway).
    expires: Instant,
}

struct Inner {
    /// Set once by `connection_init`: `None` for an anonymous connection.
    credentials: OnceLock<Option<Credentials>>,
    /// Turns `true` once when the session has ended; the connection closes then.
    ended: watch::Sender<bool>,
    /// Longest an operation (or the delivery of one event) may run.
    timeout: Duration,
}

/// One WebSocket connection's session, in the connection's data. Cheap to clone.
#[derive(Clone)]
pub struct SocketSession(Arc<Inner>);

impl std::fmt::Debug for SocketSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketSession")
            .field("initialised", &self.is_initialised())
            .field("ended", &self.has_ended())
            .finish_non_exhaustive()
    }
}

impl SocketSession {
    /// A connection not yet initialised, whose operations may each run `timeout`.
    #[must_use]
    pub fn new(timeout: Duration) -> Self {
        Self(Arc::new(Inner {
            credentials: OnceLock::new(),
            ended: watch::channel(false).0,
            timeout,
        }))
    }

    /// `connection_init`: checks `token` (if any) and keeps it for the later checks.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a refused token (the connection is then closed), a database failure.
    pub async fn open(
        &self,
        db: &DatabaseConnection,
        keys: &Keys,
        token: Option<String>,
    ) -> Result<(), ApiError> {
        let credentials = match token {
            None => None,
            Some(token) => {
                accounts::authenticate(db, keys, &token).await?;
                let exp = keys
                    .verify_access(&token)
                    .map_err(|_| ApiError::Unauthenticated)?
                    .exp;
                let left = exp
                    .saturating_add(i64::try_from(LEEWAY).unwrap_or(i64::MAX))
                    .saturating_sub(now())
                    .max(0);
                Some(Credentials {
                    token,
                    expires: Instant::now()
                        + Duration::from_secs(u64::try_from(left).unwrap_or(0) + 1),
                })
            }
        };
        // A second `connection_init` is refused by the protocol before it gets here.
        let _ = self.0.credentials.set(credentials);
        Ok(())
    }

    /// Whether `connection_init` has succeeded.
    #[must_use]
    pub fn is_initialised(&self) -> bool {
        self.0.credentials.get().is_some()
    }

    /// When the token expires (none for an anonymous or uninitialised connection).
    #[must_use]
    pub fn expires(&self) -> Option<Instant> {
        self.0.credentials.get()?.as_ref().map(|c| c.expires)
    }

    /// Checks the session again, like an HTTP request's bearer token: the caller now, or `None`
    /// for an anonymous connection. A refused token ends the session.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when the session has ended (logout, password change, disabling, role
    /// change, expiry); a database failure (the session stays open).
    pub async fn check(
        &self,
        db: &DatabaseConnection,
        keys: &Keys,
    ) -> Result<Option<Principal>, ApiError> {
        if self.has_ended() {
            return Err(ApiError::Unauthenticated);
        }
        let Some(Some(credentials)) = self.0.credentials.get() else {
            return Ok(None);
        };
        match accounts::authenticate(db, keys, &credentials.token).await {
            Ok(p) => Ok(Some(p)),
            Err(ApiError::Unauthenticated) => {
                self.end();
                Err(ApiError::Unauthenticated)
            }
            Err(e) => Err(e),
        }
    }

    /// Ends the session: the connection closes.
    pub fn end(&self) {
        self.0.ended.send_replace(true);
    }

    /// Whether the session has ended.
    #[must_use]
    pub fn has_ended(&self) -> bool {
        *self.0.ended.borrow()
    }

    /// Waits until the session ends.
    pub async fn ended(&self) {
        let mut rx = self.0.ended.subscribe();
        // The sender lives as long as `self`: `wait_for` cannot fail while we wait.
        let _ = rx.wait_for(|ended| *ended).await;
    }

    /// Longest an operation may run.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.0.timeout
    }
}

/// The extension factory: a no-op for HTTP requests (they carry no [`SocketSession`]; the HTTP
/// handler checks their token itself).
pub struct SocketGuard;

impl ExtensionFactory for SocketGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SocketGuardExtension::default())
    }
}

/// One operation's state (an extension is created per operation).
#[derive(Default)]
struct SocketGuardExtension {
    operation_name: Mutex<Option<String>>,
    subscription: AtomicBool,
}

fn server_error(e: ApiError, lang: motcua_core::Lang) -> ServerError {
    e.into_graphql(lang).into_server_error(Pos::default())
}

/// What the check needs: the socket's session, the database and the keys.
fn parts<'a>(
    ctx: &ExtensionContext<'a>,
) -> Option<(
    &'a SocketSession,
    &'a DatabaseConnection,
    &'a Arc<AuthState>,
)> {
    Some((
        ctx.data_opt::<SocketSession>()?,
        ctx.data_opt::<DatabaseConnection>()?,
        ctx.data_opt::<Arc<AuthState>>()?,
    ))
}

fn lang_of(ctx: &ExtensionContext<'_>) -> motcua_core::Lang {
    ctx.data_opt::<motcua_core::Lang>()
        .copied()
        .unwrap_or_default()
}

fn is_subscription(doc: &ExecutableDocument, name: Option<&str>) -> bool {
    let op = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(_), None) => None,
    };
    op.is_some_and(|op| op.node.ty == OperationType::Subscription)
}

#[async_trait::async_trait]
impl Extension for SocketGuardExtension {
    /// Before anything else (as the HTTP handler does before parsing): the caller as of now.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Some((session, db, auth)) = parts(ctx) {
            let lang = lang_of(ctx);
            match session.check(db, &auth.keys).await {
                Ok(Some(p)) => request.data.insert(p),
                Ok(None) => {}
                Err(e) => return Err(server_error(e, lang)),
            }
            if let Ok(mut name) = self.operation_name.lock() {
                name.clone_from(&request.operation_name);
            }
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        if ctx.data_opt::<SocketSession>().is_some() {
            let name = self.operation_name.lock().ok().and_then(|n| n.clone());
            self.subscription
                .store(is_subscription(&doc, name.as_deref()), Ordering::Relaxed);
        }
        Ok(doc)
    }

    /// A query or mutation (checked just before, in `prepare_request`), or one event of a
    /// subscription (checked here, each time: a subscription may outlive its session).
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let Some((session, db, auth)) = parts(ctx) else {
            return next.run(ctx, operation_name).await;
        };
        let lang = lang_of(ctx);
        let run = async {
            if self.subscription.load(Ordering::Relaxed) {
                match session.check(db, &auth.keys).await {
                    Ok(Some(p)) => {
                        let mut data = Data::default();
                        data.insert(p);
                        next.run_with_data(ctx, operation_name, data).await
                    }
                    Ok(None) => next.run(ctx, operation_name).await,
                    Err(e) => Response::from_errors(vec![server_error(e, lang)]),
                }
            } else {
                next.run(ctx, operation_name).await
            }
        };
        if let Ok(response) = tokio::time::timeout(session.timeout(), run).await {
            response
        } else {
            // G7, as over HTTP: dropped (cancelled) and logged.
            tracing::warn!(
                timeout_ms = session.timeout().as_millis(),
                "GraphQL operation on a WebSocket cancelled after its timeout"
            );
            Response::from_errors(vec![server_error(ApiError::Timeout, lang)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
    use futures_util::StreamExt;

    struct Slow;

    #[Object]
    impl Slow {
        async fn slow(&self) -> i32 {
            tokio::time::sleep(Duration::from_secs(5)).await;
            1
        }
        async fn quick(&self) -> i32 {
            2
        }
    }

    #[tokio::test]
    async fn g7_a_socket_operation_longer_than_its_timeout_is_cancelled() {
        let schema = Schema::build(Slow, EmptyMutation, EmptySubscription)
            .extension(SocketGuard)
            .data(sea_orm::DatabaseConnection::default())
            .data(Arc::new(AuthState {
                keys: Keys::new(&crate::config::Config::for_tests().auth),
                oidc: None,
                logins_per_ip_per_minute: 10,
            }))
            .finish();
        let session = SocketSession::new(Duration::from_millis(100));
        let db = sea_orm::DatabaseConnection::default();
        let keys = Keys::new(&crate::config::Config::for_tests().auth);
        session.open(&db, &keys, None).await.unwrap();
        let mut data = Data::default();
        data.insert(session);
        let data = Arc::new(data);
        let started = Instant::now();
        let r = schema
            .execute_stream_with_session_data(Request::new("{ slow }"), data.clone())
            .next()
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        let code = r.errors[0].extensions.as_ref().unwrap().get("code");
        assert_eq!(
            code.map(ToString::to_string).as_deref(),
            Some("\"TIMEOUT\"")
        );
        let r = schema
            .execute_stream_with_session_data(Request::new("{ quick }"), data)
            .next()
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{r:?}");
    }
}
