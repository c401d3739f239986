//! Relay connections ordered by `(instant, id)`: the opaque cursor, the page size (20 by default,
//! at most 50), and the page built from the `limit + 1` rows a service answers (one more than shown
//! tells whether a next page exists).

use async_graphql::Result;
use async_graphql::connection::{Connection, Edge, EmptyFields, query};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use motcua_core::Lang;
use std::future::Future;

use crate::error::ApiError;

/// The most rows of one page.
pub const MAX_PAGE: u64 = 50;

/// The cursor of a row sorted by `at` then `id`.
#[must_use]
pub fn cursor(at: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{at}:{id}"))
}

/// The `(at, id)` of a cursor; `INVALID_INPUT` for one this server did not make.
///
/// # Errors
/// `INVALID_INPUT`.
pub fn after(cursor: Option<&str>, lang: Lang) -> Result<Option<(i64, String)>> {
    let Some(c) = cursor else { return Ok(None) };
    let parsed = (|| {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
        let (at, id) = text.split_once(':')?;
        Some((at.parse().ok()?, id.to_owned()))
    })();
    parsed
        .map(Some)
        .ok_or_else(|| ApiError::InvalidInput("cursor").into_graphql(lang))
}

/// The page size asked for: 20 by default, between 0 and [`MAX_PAGE`].
#[must_use]
pub fn limit(first: Option<usize>) -> u64 {
    first.map_or(20, |f| u64::try_from(f).unwrap_or(MAX_PAGE).min(MAX_PAGE))
}

/// A page from `rows` (`limit + 1` at most), each edge with the cursor `cursor` gives its row.
pub fn page<R, T>(
    rows: Vec<R>,
    limit: u64,
    had_previous: bool,
    cursor: impl Fn(&R) -> String,
    node: impl Fn(R) -> T,
) -> Connection<String, T, EmptyFields, EmptyFields>
where
    T: async_graphql::OutputType,
{
    let has_next = rows.len() as u64 > limit;
    let mut c = Connection::new(had_previous, has_next);
    c.edges.extend(
        rows.into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|r| Edge::new(cursor(&r), node(r))),
    );
    c
}

/// A connection of rows a service pages by `(at, id)`: checks `first` and `after`, asks `fetch`
/// for `limit + 1` rows past the cursor, and makes the edges.
///
/// # Errors
/// `INVALID_INPUT` (a negative `first`, a foreign cursor), the service's error.
pub async fn connection<R, T, F, Fut>(
    (after, first): (Option<String>, Option<i32>),
    lang: Lang,
    fetch: F,
    key: impl Fn(&R) -> (i64, String),
    node: impl Fn(R) -> T,
) -> Result<Connection<String, T, EmptyFields, EmptyFields>>
where
    T: async_graphql::OutputType,
    F: FnOnce(Option<(i64, String)>, u64) -> Fut,
    Fut: Future<Output = std::result::Result<Vec<R>, ApiError>>,
{
    query(
        after,
        None,
        first,
        None,
        |after: Option<String>, _, first, _| async move {
            let limit = limit(first);
            let cursor = self::after(after.as_deref(), lang)?;
            let had_previous = cursor.is_some();
            let rows = fetch(cursor, limit)
                .await
                .map_err(|e| e.into_graphql(lang))?;
            Ok::<_, async_graphql::Error>(page(
                rows,
                limit,
                had_previous,
                |r| {
                    let (at, id) = key(r);
                    self::cursor(at, &id)
                },
                node,
            ))
        },
    )
    .await
}
