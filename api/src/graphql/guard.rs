//! Who may call what. Resolvers ask for the [`Principal`] through these functions; object-level
//! checks (owner, agency) are made against each object in the service layer.

use async_graphql::Context;
use std::sync::Arc;

use crate::auth::oidc::Verifier;
use crate::auth::tokens::Keys;
use crate::auth::{ClientInfo, Principal};
use crate::error::ApiError;
use crate::graphql::lang;

/// What authentication needs, shared by every request.
#[derive(Debug)]
pub struct AuthState {
    /// Signing keys.
    pub keys: Keys,
    /// The external issuer, if configured.
    pub oidc: Option<Verifier>,
    /// Logins per client address per minute.
    pub logins_per_ip_per_minute: i64,
}

/// The authentication state of the schema.
pub(crate) fn auth<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<AuthState>> {
    ctx.data::<Arc<AuthState>>().map_err(|_| {
        ApiError::Internal(anyhow::anyhow!("no auth state in the schema")).into_graphql(lang(ctx))
    })
}

/// The caller's network identity (set by the HTTP handler).
pub(crate) fn client(ctx: &Context<'_>) -> ClientInfo {
    ctx.data_opt::<ClientInfo>().cloned().unwrap_or(ClientInfo {
        ip: "unknown".to_owned(),
        user_agent: String::new(),
    })
}

/// The signed-in caller, whose issued password (if any) has been changed (V2).
pub(crate) fn principal<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Principal> {
    let p = principal_any(ctx)?;
    if p.must_change_password {
        return Err(ApiError::PasswordChangeRequired.into_graphql(lang(ctx)));
    }
    Ok(p)
}

/// The signed-in caller, even one who must still change an issued password (for `me`,
/// `changePassword`, `logout`).
pub(crate) fn principal_any<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Principal> {
    ctx.data_opt::<Principal>()
        .ok_or_else(|| ApiError::Unauthenticated.into_graphql(lang(ctx)))
}
