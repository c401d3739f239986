//! In-app notifications (the portal's bell): a page of the caller's notifications, the unread
//! count, and the read marker.

use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use motcua_core::Lang;

use super::guard::principal;
use super::{db, ids, lang, paging};
use crate::auth::now;
use crate::db::entities::notification;
use crate::service::inbox;

/// One notification, in the request's language.
#[derive(SimpleObject, Debug, Clone)]
pub struct Notification {
    /// Its id (for the read marker).
    pub id: ID,
    /// The dossier it is about (global ID).
    pub dossier_id: Option<ID>,
    /// The event (`RECEIVED`, `SUPPLEMENT_REQUESTED`, `DUE_SOON`, …).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it was marked read.
    pub read_at: Option<String>,
}

impl Notification {
    fn from_row(n: notification::Model, l: Lang) -> Self {
        let (title, body) = match l {
            Lang::Vi => (n.title_vi, n.body_vi),
            Lang::En => (n.title_en, n.body_en),
        };
        Self {
            id: ID(n.id),
            dossier_id: n.dossier_id.map(|d| ids::encode("Dossier", &d)),
            kind: n.kind,
            title,
            body,
            created_at: crate::clock::rfc3339(n.created_at),
            read_at: n.read_at.map(crate::clock::rfc3339),
        }
    }
}

/// Notification queries.
#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// The caller's notifications, newest first (`unreadOnly` to hide read ones).
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
        unread_only: Option<bool>,
    ) -> Result<Connection<String, Notification, EmptyFields, EmptyFields>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let unread_only = unread_only.unwrap_or(false);
        paging::connection(
            (after, first),
            l,
            |cursor, limit| inbox::page(db, p.user_id, unread_only, cursor, limit),
            |n| (n.created_at, n.id.clone()),
            |n| Notification::from_row(n, l),
        )
        .await
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let l = lang(ctx);
        inbox::unread(db(ctx)?, principal(ctx)?.user_id)
            .await
            .map_err(|e| e.into_graphql(l))
    }
}

/// The answer of `markNotificationsRead`.
#[derive(SimpleObject, Debug)]
pub struct MarkReadPayload {
    /// How many were marked now.
    pub marked: u64,
    /// How many stay unread.
    pub unread: u64,
}

/// Notification mutations.
#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Marks the caller's notifications read: those listed (at most 200), or all of them when
    /// `ids` is absent. Other people's ids are ignored.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Option<Vec<ID>>,
    ) -> Result<MarkReadPayload> {
        let l = lang(ctx);
        let ids = ids.map(|ids| ids.into_iter().map(|i| i.0).collect());
        let (marked, unread) = inbox::mark_read(db(ctx)?, principal(ctx)?.user_id, ids, now())
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(MarkReadPayload { marked, unread })
    }
}
