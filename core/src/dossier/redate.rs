//! Re-dating (form 04): a leader who apologises sets a new due date, once. The new date is an
//! RFC 3339 instant or a bare `YYYY-MM-DD` meaning that day's closing time (17:00), and it must be
//! later than both the current due date and the moment it is set: a new date in the past would make
//! the apology a lie and the dossier overdue at once.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::deadline::{VN_OFFSET, from_local};
use crate::error::Coded;

/// Why a new due date is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RedateError {
    /// Unreadable, not after the current due date, or not after now.
    #[error("REDATE_NOT_LATER")]
    NotLater,
}

impl Coded for RedateError {
    fn code(&self) -> &'static str {
        "REDATE_NOT_LATER"
    }

    fn message_vi(&self) -> &'static str {
        "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm này."
    }

    fn message_en(&self) -> &'static str {
        "The new due date must be after the current one and after now."
    }
}

/// An RFC 3339 instant, or a date meaning that day's closing time (17:00 in Asia/Ho_Chi_Minh).
#[must_use]
pub fn parse_due(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(17, 0, 0))
            .map(from_local)
    })
}

/// The new due date asked for, in +07:00, if it is later than `current` (when there is one) and
/// than `now`.
///
/// # Errors
/// `REDATE_NOT_LATER`.
pub fn new_due_date(
    asked: &str,
    current: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, RedateError> {
    parse_due(asked)
        .filter(|n| current.is_none_or(|c| *n > c) && *n > now)
        .map(|n| n.with_timezone(&VN_OFFSET))
        .ok_or(RedateError::NotLater)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_bare_date_is_that_days_closing_time() {
        assert_eq!(
            parse_due(" 2026-12-10 ").unwrap().to_rfc3339(),
            "2026-12-10T17:00:00+07:00"
        );
        assert_eq!(parse_due("10/12/2026"), None);
    }

    #[test]
    fn the_new_date_is_later_than_the_old_one_and_now() {
        let now = at("2026-12-04T09:00:00+07:00");
        let old = Some(at("2026-12-08T17:00:00+07:00"));
        assert_eq!(
            new_due_date("2026-12-09T02:00:00Z", old, now)
                .unwrap()
                .to_rfc3339(),
            "2026-12-09T09:00:00+07:00"
        );
        assert_eq!(
            new_due_date("2026-12-08", old, now),
            Err(RedateError::NotLater)
        );
        assert_eq!(
            new_due_date("2026-12-03", None, now),
            Err(RedateError::NotLater)
        );
        assert_eq!(new_due_date("soon", None, now), Err(RedateError::NotLater));
    }
}
