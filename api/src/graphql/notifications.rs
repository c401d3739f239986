//! In-app notifications (the portal's bell): a page of the caller's notifications, the unread
//! count, and the read marker.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use motcua_core::Lang;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use super::guard::principal;
use super::{db, ids, lang};
use crate::auth::now;
use crate::db::entities::notification;
use crate::error::ApiError;

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
    /// The caller's notifications, newest first (at most 50; `unreadOnly` to hide read ones).
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        unread_only: Option<bool>,
    ) -> Result<Vec<Notification>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(p.user_id));
        if unread_only.unwrap_or(false) {
            q = q.filter(notification::Column::ReadAt.is_null());
        }
        let rows = q
            .order_by_desc(notification::Column::CreatedAt)
            .order_by_desc(notification::Column::Id)
            .limit(u64::try_from(first.unwrap_or(20).clamp(0, 50)).unwrap_or(20))
            .all(db(ctx)?)
            .await
            .map_err(|e| ApiError::from(e).into_graphql(l))?;
        Ok(rows
            .into_iter()
            .map(|n| Notification::from_row(n, l))
            .collect())
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        notification::Entity::find()
            .filter(notification::Column::UserId.eq(p.user_id))
            .filter(notification::Column::ReadAt.is_null())
            .count(db(ctx)?)
            .await
            .map_err(|e| ApiError::from(e).into_graphql(l))
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
    /// Marks the caller's notifications read: those listed, or all of them when `ids` is absent.
    /// Other people's ids are ignored.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Option<Vec<ID>>,
    ) -> Result<MarkReadPayload> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let db = db(ctx)?;
        let mut q = notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now()))
            .filter(notification::Column::UserId.eq(p.user_id))
            .filter(notification::Column::ReadAt.is_null());
        if let Some(ids) = ids {
            if ids.len() > 200 {
                return Err(ApiError::InvalidInput("ids").into_graphql(l));
            }
            q = q.filter(notification::Column::Id.is_in(ids.into_iter().map(|i| i.0)));
        }
        let marked = q
            .exec(db)
            .await
            .map_err(|e| ApiError::from(e).into_graphql(l))?
            .rows_affected;
        let unread = notification::Entity::find()
            .filter(notification::Column::UserId.eq(p.user_id))
            .filter(notification::Column::ReadAt.is_null())
            .count(db)
            .await
            .map_err(|e| ApiError::from(e).into_graphql(l))?;
        Ok(MarkReadPayload { marked, unread })
    }
}
