//! The API's clock (the core never reads one): today and now in Asia/Ho_Chi_Minh.

/// Today's date in Asia/Ho_Chi_Minh, `YYYY-MM-DD`.
#[must_use]
pub fn today() -> String {
    now_local().date().to_string()
}

/// Now, as a local (+07:00) date-time.
#[must_use]
pub fn now_local() -> chrono::NaiveDateTime {
    let secs = crate::auth::now();
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| motcua_core::deadline::to_local(t.fixed_offset()))
        .unwrap_or_default()
}

/// Unix seconds as RFC 3339 with the +07:00 offset.
#[must_use]
pub fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .and_then(|t| {
            chrono::FixedOffset::east_opt(7 * 3600).map(|tz| t.with_timezone(&tz).to_rfc3339())
        })
        .unwrap_or_default()
}

/// Unix seconds as an instant in Vietnam (+07:00); the epoch for an impossible value.
#[must_use]
pub fn vn(secs: i64) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .with_timezone(&motcua_core::deadline::VN_OFFSET)
}
