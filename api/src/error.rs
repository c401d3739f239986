//! Errors of the API, and how they reach clients.
//!
//! Which error where:
//! - validation of user input that the user can fix → `userErrors` in the mutation payload (later);
//! - not found, forbidden (which reads exactly like not found), bad input → [`ApiError`], a GraphQL
//!   error with a stable `code` extension and a Vietnamese (or English) message;
//! - anything unexpected (database down, a bug) → [`ApiError::Internal`]: logged with a
//!   correlation id; the client gets a generic message and that id, never SQL or a stack.

use async_graphql::ErrorExtensions;
use motcua_core::Lang;

/// The one error type of the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The object does not exist, or the caller may not see it.
    #[error("not found")]
    NotFound,
    /// An argument is unusable (a cursor, a filter value).
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// Something that is not the caller's fault.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl ApiError {
    /// The stable code clients branch on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "NOT_FOUND",
            Self::InvalidInput(_) => "INVALID_INPUT",
            Self::Internal(_) => "INTERNAL",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::NotFound, Lang::Vi) => "Không tìm thấy.".to_owned(),
            (Self::NotFound, Lang::En) => "Not found.".to_owned(),
            (Self::InvalidInput(what), Lang::Vi) => format!("Dữ liệu không hợp lệ: {what}."),
            (Self::InvalidInput(what), Lang::En) => format!("Invalid input: {what}."),
            (Self::Internal(_), Lang::Vi) => {
                "Đã có lỗi trong hệ thống; vui lòng thử lại sau.".to_owned()
            }
            (Self::Internal(_), Lang::En) => {
                "Something went wrong; please try again later.".to_owned()
            }
        }
    }

    /// The GraphQL error: message in the caller's language, `code` (and for internal errors a
    /// `correlationId` that is also logged with the cause).
    #[must_use]
    pub fn into_graphql(self, lang: Lang) -> async_graphql::Error {
        let message = self.message(lang);
        let code = self.code();
        let correlation = if let Self::Internal(cause) = &self {
            let id = correlation_id();
            tracing::error!(correlation_id = %id, error = %cause, "internal error");
            Some(id)
        } else {
            None
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code);
            if let Some(id) = &correlation {
                e.set("correlationId", id.as_str());
            }
        })
    }
}

/// A short id to find an internal error in the logs.
fn correlation_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{:x}-{:x}",
        nanos & 0xffff_ffff,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
