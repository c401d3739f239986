//! Fixed-window counters in the database, so that every API instance counts the same attempts
//! (SECURITY.md A1).

use sea_orm::ConnectionTrait;

use super::sql::statement;
use crate::error::ApiError;

/// Counts one attempt under `key` in a window of `window` seconds. Returns the attempts in the
/// current window (this one included) and the seconds until it ends. One atomic statement: no
/// lost updates between instances.
///
/// # Errors
/// A database failure.
pub async fn hit(
    db: &impl ConnectionTrait,
    key: &str,
    window: i64,
    now: i64,
) -> Result<(i64, i64), ApiError> {
    let stale = now - window;
    let row = db
        .query_one_raw(statement(
            db,
            "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) \
             ON CONFLICT (key) DO UPDATE SET \
             count = CASE WHEN rate_limits.window_start <= ? THEN 1 ELSE rate_limits.count + 1 END, \
             window_start = CASE WHEN rate_limits.window_start <= ? THEN ? ELSE rate_limits.window_start END \
             RETURNING count, window_start",
            vec![
                key.into(),
                now.into(),
                stale.into(),
                stale.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("rate limit upsert returned nothing")))?;
    let count: i64 = row.try_get("", "count")?;
    let start: i64 = row.try_get("", "window_start")?;
    Ok((count, (start + window - now).max(1)))
}

/// Counts one attempt under `key` in a window of a minute and refuses it past `per_minute`
/// (`RATE_LIMITED` with the seconds until the window ends).
///
/// # Errors
/// `RATE_LIMITED`, a database failure.
pub async fn per_minute(
    db: &impl ConnectionTrait,
    key: &str,
    per_minute: i64,
    now: i64,
) -> Result<(), ApiError> {
    let (count, retry) = hit(db, key, 60, now).await?;
    if count > per_minute {
        return Err(ApiError::RateLimited { retry_after: retry });
    }
    Ok(())
}

/// The attempts counted under `key` in its current window, and the seconds until it ends,
/// without counting one (0 when the window is over or never began).
///
/// # Errors
/// A database failure.
pub async fn peek(
    db: &impl ConnectionTrait,
    key: &str,
    window: i64,
    now: i64,
) -> Result<(i64, i64), ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT count, window_start FROM rate_limits WHERE key = ? AND window_start > ?",
            vec![key.into(), (now - window).into()],
        ))
        .await?;
    let Some(row) = row else { return Ok((0, 0)) };
    let count: i64 = row.try_get("", "count")?;
    let start: i64 = row.try_get("", "window_start")?;
    Ok((count, (start + window - now).max(1)))
}
