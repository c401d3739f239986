//! The portal's bell: a page of the caller's in-app notifications, the unread count and the read
//! marker. Notifications are written by [`super::notify`]; this reads and marks them.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::sql::past_cursor;
use crate::db::entities::notification::{Column, Entity, Model};
use crate::error::ApiError;

/// The most ids one call may mark.
pub const MAX_MARK: usize = 200;

/// A page of `user`'s notifications, newest first (`limit + 1` rows).
///
/// # Errors
/// A database failure.
pub async fn page(
    db: &impl ConnectionTrait,
    user: i64,
    unread_only: bool,
    after: Option<(i64, String)>,
    limit: u64,
) -> Result<Vec<Model>, ApiError> {
    let mut q = Entity::find().filter(Column::UserId.eq(user));
    if unread_only {
        q = q.filter(Column::ReadAt.is_null());
    }
    if let Some(cursor) = &after {
        q = q.filter(past_cursor((Column::CreatedAt, Column::Id), cursor, true));
    }
    Ok(q.order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?)
}

/// How many of `user`'s notifications are unread.
///
/// # Errors
/// A database failure.
pub async fn unread(db: &impl ConnectionTrait, user: i64) -> Result<u64, ApiError> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user))
        .filter(Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks `user`'s notifications read at `now`: those listed (other people's ids are ignored), or
/// all. Returns how many were marked and how many stay unread.
///
/// # Errors
/// `INVALID_INPUT` for more than [`MAX_MARK`] ids, a database failure.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user: i64,
    ids: Option<Vec<String>>,
    now: i64,
) -> Result<(u64, u64), ApiError> {
    let mut q = Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(now))
        .filter(Column::UserId.eq(user))
        .filter(Column::ReadAt.is_null());
    if let Some(ids) = ids {
        if ids.len() > MAX_MARK {
            return Err(ApiError::InvalidInput("ids"));
        }
        q = q.filter(Column::Id.is_in(ids));
    }
    let marked = q.exec(db).await?.rows_affected;
    Ok((marked, unread(db, user).await?))
}
