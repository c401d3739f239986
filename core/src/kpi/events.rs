//! How one dossier's events count towards the index: whether it was received in time, finished
//! on time, late. The server classifies every dossier of a scope and period with these, and lists
//! the same dossiers when a leader drills down, so a headline and its list cannot disagree.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::deadline::VN_OFFSET;
use crate::dossier::Status;

/// Whether a status ends a dossier's processing (rulebook §7: resolved, returned, stopped,
/// refused or withdrawn); its first such event is when it finished.
#[must_use]
pub fn finishes(status: Status) -> bool {
    matches!(
        status,
        Status::Resolved | Status::Returned | Status::Stopped | Status::Refused | Status::Withdrawn
    )
}

/// The instant by which a dossier filed at `filed` is received in time: the end of the first
/// working day after the filing day (Vietnam time).
///
/// # Errors
/// A date outside the calendar's range.
pub fn intake_deadline(
    calendar: &WorkingCalendar,
    filed: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, CalendarError> {
    let day = filed.with_timezone(&VN_OFFSET).date_naive();
    let next = calendar.next_working_day(day)?;
    end_of(next)
}

/// Midnight after `day` in Vietnam.
fn end_of(day: NaiveDate) -> Result<DateTime<FixedOffset>, CalendarError> {
    day.succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(VN_OFFSET).single())
        .ok_or(CalendarError::OutOfRange)
}

/// Whether a dossier filed at `filed` and received at `received` was received in time.
///
/// # Errors
/// A date outside the calendar's range.
pub fn received_in_time(
    calendar: &WorkingCalendar,
    filed: DateTime<FixedOffset>,
    received: DateTime<FixedOffset>,
) -> Result<bool, CalendarError> {
    Ok(received_by(received, intake_deadline(calendar, filed)?))
}

/// Whether a dossier received at `received` was received by its intake deadline (as
/// [`intake_deadline`] gave it when the dossier was filed: the server keeps that instant, so a
/// dossier's standing does not move when the calendar is corrected later).
#[must_use]
pub fn received_by(received: DateTime<FixedOffset>, deadline: DateTime<FixedOffset>) -> bool {
    received < deadline
}

/// Whether a dossier finished at `finished` was on time against `due` — its due date after the
/// supplement pauses were added back, and before any apology moved it (an apology does not make a
/// late dossier on time).
#[must_use]
pub fn on_time(finished: DateTime<FixedOffset>, due: DateTime<FixedOffset>) -> bool {
    finished <= due
}

/// Whether a dossier still open at `end` counts as overdue then.
#[must_use]
pub fn open_overdue(due: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> bool {
    due < end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSpec;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn intake_by_the_end_of_the_next_working_day() {
        let cal = WorkingCalendar::new(&CalendarSpec::default()).unwrap_or_else(|e| panic!("{e}"));
        // Filed on Friday 4 December 2026: the next working day is Monday the 7th.
        let friday = at("2026-12-04T16:00:00+07:00");
        assert_eq!(
            intake_deadline(&cal, friday).map(|t| t.to_rfc3339()),
            Ok("2026-12-08T00:00:00+07:00".to_owned())
        );
        assert_eq!(
            received_in_time(&cal, friday, at("2026-12-07T23:59:59+07:00")),
            Ok(true)
        );
        assert_eq!(
            received_in_time(&cal, friday, at("2026-12-08T00:00:00+07:00")),
            Ok(false)
        );
        // Filed at 23:30 UTC on the 3rd is the 4th in Vietnam.
        assert_eq!(
            intake_deadline(&cal, at("2026-12-03T23:30:00+00:00")).map(|t| t.to_rfc3339()),
            Ok("2026-12-08T00:00:00+07:00".to_owned())
        );
        // Filed on the eve of Tết 2027 (New Year's Day is Saturday 6 February): the holiday and
        // its compensation days are skipped, so not before Wednesday the 10th ends.
        let before_tet = at("2027-02-04T10:00:00+07:00");
        let deadline = intake_deadline(&cal, before_tet).unwrap_or_else(|e| panic!("{e}"));
        assert!(deadline > at("2027-02-10T00:00:00+07:00"), "{deadline}");
    }

    #[test]
    fn on_time_and_overdue() {
        let due = at("2026-12-10T17:00:00+07:00");
        assert!(on_time(at("2026-12-10T17:00:00+07:00"), due));
        assert!(!on_time(at("2026-12-10T17:00:01+07:00"), due));
        assert!(open_overdue(due, at("2027-01-01T00:00:00+07:00")));
        assert!(!open_overdue(due, at("2026-12-01T00:00:00+07:00")));
        assert!(finishes(Status::Resolved) && finishes(Status::Withdrawn));
        assert!(!finishes(Status::AwaitingPayment));
    }
}
