//! The GraphQL schema: one `build_schema()` for the server, the tests and `motcua export-schema`.

pub mod accounts;
pub mod agencies;
pub mod calendar;
pub mod catalog;
pub mod dossiers;
pub mod feedback;
pub mod guard;
pub mod ids;
mod introspection;
mod invalid;
pub mod kpi;
pub mod limits;
pub mod loaders;
pub mod node;
pub mod notifications;
pub mod paging;
pub mod payments;
pub mod satisfaction;
pub mod socket;
pub mod subscriptions;
pub mod units;
pub mod user_error;

use async_graphql::{MergedObject, Schema};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use guard::AuthState;

use crate::config::Mode;

/// The query root: one object per domain.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    accounts::AccountsQuery,
    catalog::CatalogQuery,
    dossiers::DossiersQuery,
    agencies::AgenciesQuery,
    calendar::CalendarQuery,
    calendar::CalendarAdjustmentsQuery,
    units::UnitsQuery,
    notifications::NotificationsQuery,
    payments::PaymentsQuery,
    satisfaction::SatisfactionQuery,
    kpi::KpiQuery,
    feedback::FeedbackQuery,
);

/// The mutation root: one object per domain.
#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountsMutation,
    catalog::CatalogMutation,
    dossiers::DossiersMutation,
    dossiers::ProcessingMutation,
    calendar::CalendarMutation,
    notifications::NotificationsMutation,
    payments::PaymentsMutation,
    satisfaction::SatisfactionMutation,
    feedback::FeedbackMutation,
);

/// The schema type.
pub type MotcuaSchema = Schema<Query, Mutation, subscriptions::SubscriptionRoot>;

/// What resolvers need at run time (absent only for `export-schema`).
#[derive(Clone)]
pub struct Deps {
    /// The database.
    pub db: DatabaseConnection,
    /// Keys and the external issuer.
    pub auth: Arc<AuthState>,
    /// The catalogue's list rows for a few seconds.
    pub catalog: Arc<crate::service::catalog::CatalogCache>,
    /// Current procedure versions, loaded entries and the calendar.
    pub filing: Arc<crate::service::cache::FilingCache>,
    /// Where attachments are stored.
    pub storage: crate::service::attachments::Storage,
    /// The filing writer (group commit).
    pub writer: crate::service::dossier::Writer,
    /// The change feed for subscriptions.
    pub events: crate::service::events::EventBus,
    /// Where links and QR codes point (the portal's public address).
    pub public_url: String,
    /// The payment gateways.
    pub payments: Arc<crate::service::payments::Gateways>,
}

/// Depth limit (SECURITY.md G2): deeper documents are refused before any resolver runs.
pub const MAX_DEPTH: usize = 10;
/// Complexity budget (G2); every field costs 1, lists cost their page size.
pub const MAX_COMPLEXITY: usize = 1_000;

/// Builds the schema. Introspection only in development (G1); never "did you mean" suggestions.
#[must_use]
pub fn build_schema(deps: Option<Deps>, mode: Mode) -> MotcuaSchema {
    let mut builder = Schema::build(
        Query::default(),
        Mutation::default(),
        subscriptions::SubscriptionRoot,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    // G8: every field counts, `__typename` included (checked right after parsing).
    .extension(limits::FieldBudget)
    .extension(invalid::InvalidInput)
    // Z5: a WebSocket's session checked before each operation and event; G7 on the socket.
    .extension(socket::SocketGuard)
    .disable_suggestions();
    if mode == Mode::Production {
        builder = builder
            .disable_introspection()
            .extension(introspection::NoIntrospection);
    }
    if let Some(deps) = deps {
        builder = builder
            .data(async_graphql::dataloader::DataLoader::new(
                loaders::Agencies(deps.db.clone()),
                tokio::spawn,
            ))
            .data(async_graphql::dataloader::DataLoader::new(
                loaders::Roles(deps.db.clone()),
                tokio::spawn,
            ))
            .data(deps.db)
            .data(deps.auth)
            .data(deps.catalog)
            .data(deps.filing)
            .data(deps.storage)
            .data(deps.writer)
            .data(deps.events)
            .data(deps.payments);
    }
    builder.finish()
}

/// The language of the request (`Accept-Language: en…` → English, otherwise Vietnamese).
#[must_use]
pub fn lang_of(accept_language: Option<&str>) -> motcua_core::Lang {
    match accept_language {
        Some(h) if h.trim_start().to_ascii_lowercase().starts_with("en") => motcua_core::Lang::En,
        _ => motcua_core::Lang::Vi,
    }
}

/// The request's language (set by the HTTP handler; Vietnamese when absent).
pub(crate) fn lang(ctx: &async_graphql::Context<'_>) -> motcua_core::Lang {
    ctx.data_opt::<motcua_core::Lang>()
        .copied()
        .unwrap_or_default()
}

/// The database of the schema; an internal error when the schema was built without one (only
/// `export-schema` does that, and it runs no query).
pub(crate) fn db<'a>(
    ctx: &async_graphql::Context<'a>,
) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>().map_err(|_| {
        crate::error::ApiError::Internal(anyhow::anyhow!("no database in the schema"))
            .into_graphql(lang(ctx))
    })
}
