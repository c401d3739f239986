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
    /// No valid access token (missing where needed, expired, revoked, malformed).
    #[error("unauthenticated")]
    Unauthenticated,
    /// Authenticated, but the role or agency does not allow it (for objects the caller may not
    /// see at all, [`ApiError::NotFound`] is used instead).
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts; retry after this many seconds (HTTP 429).
    #[error("rate limited")]
    RateLimited {
        /// Seconds until the window ends.
        retry_after: i64,
    },
    /// Too many failed logins for this account; retry after this many seconds (HTTP 429).
    #[error("account locked")]
    AccountLocked {
        /// Seconds until the lock ends.
        retry_after: i64,
    },
    /// An issued password must be changed first (V2).
    #[error("password change required")]
    PasswordChangeRequired,
    /// The refresh token is unknown, expired or its session ended.
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    /// A rotated refresh token was used again: its whole session is revoked (J4).
    #[error("refresh token reused")]
    RefreshTokenReused,
    /// The same idempotency key was used with a different request.
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// The object changed since the caller read it (optimistic lock): re-read and retry.
    #[error("conflict")]
    Conflict {
        /// The object's current version, when it still exists.
        current_version: Option<i64>,
    },
    /// The national login names a person whose number a self-declared account holds: it is
    /// never taken over silently (Z4); sign in to that account first, or ask the desk.
    #[error("identity link required")]
    IdentityLinkRequired,
    /// The operation ran longer than its timeout and was cancelled (G7).
    #[error("timeout")]
    Timeout,
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
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::AccountLocked { .. } => "ACCOUNT_LOCKED",
            Self::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
            Self::InvalidRefreshToken => "INVALID_REFRESH_TOKEN",
            Self::RefreshTokenReused => "REFRESH_TOKEN_REUSED",
            Self::Timeout => "TIMEOUT",
            Self::IdentityLinkRequired => "IDENTITY_LINK_REQUIRED",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::Conflict { .. } => "CONFLICT",
            Self::Internal(_) => "INTERNAL",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::NotFound, Lang::Vi) => "Không tìm thấy.".to_owned(),
            (Self::NotFound, Lang::En) => "Not found.".to_owned(),
            (Self::InvalidInput(what), Lang::Vi) => format!("Dữ liệu không hợp lệ: {what}."),
            (Self::InvalidInput(what), Lang::En) => format!("Invalid input: {what}."),
            (Self::Unauthenticated, Lang::Vi) => {
                "Phiên đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.".to_owned()
            }
            (Self::Unauthenticated, Lang::En) => {
                "Your session is missing, invalid or expired; please sign in again.".to_owned()
            }
            (Self::Forbidden, Lang::Vi) => "Bạn không có quyền thực hiện thao tác này.".to_owned(),
            (Self::Forbidden, Lang::En) => "You are not allowed to do this.".to_owned(),
            (Self::RateLimited { retry_after }, Lang::Vi) => {
                format!("Quá nhiều yêu cầu; vui lòng thử lại sau {retry_after} giây.")
            }
            (Self::RateLimited { retry_after }, Lang::En) => {
                format!("Too many attempts; please try again in {retry_after} seconds.")
            }
            (Self::AccountLocked { retry_after }, Lang::Vi) => format!(
                "Tài khoản tạm khóa do đăng nhập sai nhiều lần; vui lòng thử lại sau {} phút.",
                (retry_after + 59) / 60
            ),
            (Self::AccountLocked { retry_after }, Lang::En) => format!(
                "The account is locked after repeated failed logins; try again in {} minutes.",
                (retry_after + 59) / 60
            ),
            (Self::PasswordChangeRequired, Lang::Vi) => {
                "Bạn cần đổi mật khẩu được cấp trước khi tiếp tục.".to_owned()
            }
            (Self::PasswordChangeRequired, Lang::En) => {
                "Please change the password you were issued before continuing.".to_owned()
            }
            (Self::InvalidRefreshToken, Lang::Vi) => {
                "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.".to_owned()
            }
            (Self::InvalidRefreshToken, Lang::En) => {
                "The session has ended; please sign in again.".to_owned()
            }
            (Self::RefreshTokenReused, Lang::Vi) => {
                "Mã làm mới đã được dùng trước đó; phiên đăng nhập bị thu hồi để bảo vệ tài khoản. Vui lòng đăng nhập lại.".to_owned()
            }
            (Self::RefreshTokenReused, Lang::En) => {
                "This refresh token was already used; the session was revoked to protect the account. Please sign in again.".to_owned()
            }
            (Self::IdempotencyKeyReused, Lang::Vi) => {
                "Khóa chống gửi trùng này đã được dùng cho một yêu cầu khác.".to_owned()
            }
            (Self::IdempotencyKeyReused, Lang::En) => {
                "This idempotency key was already used for a different request.".to_owned()
            }
            (Self::Conflict { .. }, Lang::Vi) => {
                "Hồ sơ vừa được người khác thay đổi; vui lòng tải lại và thử lại.".to_owned()
            }
            (Self::Conflict { .. }, Lang::En) => {
                "The dossier was changed by someone else; reload and try again.".to_owned()
            }
            (Self::IdentityLinkRequired, Lang::Vi) => {
                "Số định danh này đã có tài khoản tự đăng ký. Hãy đăng nhập tài khoản đó bằng mật khẩu rồi liên kết định danh điện tử, hoặc đến Bộ phận Một cửa để được xác minh.".to_owned()
            }
            (Self::IdentityLinkRequired, Lang::En) => {
                "A self-registered account holds this ID number. Sign in to it with its password and then link the national login, or have it checked at the one-stop desk.".to_owned()
            }
            (Self::Timeout, Lang::Vi) => {
                "Yêu cầu xử lý quá lâu và đã bị hủy; vui lòng thử lại.".to_owned()
            }
            (Self::Timeout, Lang::En) => {
                "The request took too long and was cancelled; please try again.".to_owned()
            }
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
        let current_version = match &self {
            Self::Conflict { current_version } => *current_version,
            _ => None,
        };
        let retry_after = match &self {
            Self::RateLimited { retry_after } | Self::AccountLocked { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code);
            if let Some(seconds) = retry_after {
                e.set("retryAfter", seconds);
            }
            if let Some(v) = current_version {
                e.set("currentVersion", v);
            }
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
