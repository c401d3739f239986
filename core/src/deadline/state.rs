//! Whether a running dossier will be late (rulebook section 2: warn at least one working day
//! before the due date): on track, due within one working day, or overdue. The server marks
//! dossiers with it and a phone shows it; both decide here.

use chrono::{DateTime, FixedOffset};

use super::{DEFAULT_CUTOFF, DeadlineError, DueRequest, DurationUnit, Pauses, ProcessingTime, due};
use crate::calendar::WorkingCalendar;

/// A running dossier's deadline state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DeadlineState {
    /// Due later than one working day from now (or paused, or closed).
    OnTrack,
    /// Due within one working day.
    DueSoon,
    /// Past its due date.
    Overdue,
}

impl DeadlineState {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTrack => "ON_TRACK",
            Self::DueSoon => "DUE_SOON",
            Self::Overdue => "OVERDUE",
        }
    }

    /// From the stored name; anything else reads as on track.
    #[must_use]
    pub fn parse(name: &str) -> Self {
        match name {
            "DUE_SOON" => Self::DueSoon,
            "OVERDUE" => Self::Overdue,
            _ => Self::OnTrack,
        }
    }

    /// The state of a dossier due at `due` at `now`, with `horizon` the end of the next working
    /// day ([`after_working_days`] of 1).
    #[must_use]
    pub fn of(
        due: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
        horizon: DateTime<FixedOffset>,
    ) -> Self {
        if due < now {
            Self::Overdue
        } else if due <= horizon {
            Self::DueSoon
        } else {
            Self::OnTrack
        }
    }
}

/// The instant `days` working days after `start` (a step's deadline, the due-soon horizon).
///
/// # Errors
/// A calendar outside the supported years.
pub fn after_working_days(
    start: DateTime<FixedOffset>,
    days: u32,
    calendar: &WorkingCalendar,
) -> Result<DateTime<FixedOffset>, DeadlineError> {
    due(
        &DueRequest {
            received_at: start,
            duration: ProcessingTime {
                value: days,
                unit: DurationUnit::WorkingDays,
            },
            same_day_cutoff: DEFAULT_CUTOFF,
            pauses: Pauses::default(),
        },
        calendar,
    )
    .map(|d| d.due_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn overdue_due_soon_and_on_track() {
        let now = at("2026-12-04T09:00:00+07:00");
        let horizon = at("2026-12-07T17:00:00+07:00");
        assert_eq!(
            DeadlineState::of(at("2026-12-04T08:59:59+07:00"), now, horizon),
            DeadlineState::Overdue
        );
        assert_eq!(
            DeadlineState::of(horizon, now, horizon),
            DeadlineState::DueSoon
        );
        assert_eq!(
            DeadlineState::of(at("2026-12-08T08:00:00+07:00"), now, horizon),
            DeadlineState::OnTrack
        );
        for s in [
            DeadlineState::OnTrack,
            DeadlineState::DueSoon,
            DeadlineState::Overdue,
        ] {
            assert_eq!(DeadlineState::parse(s.as_str()), s);
        }
    }

    #[test]
    fn one_working_day_from_a_friday_morning_is_monday() {
        let calendar = WorkingCalendar::new(&crate::calendar::CalendarSpec::default()).unwrap();
        // Friday 4 December 2026, 09:00: one working day ends on Monday 7 December.
        let end = after_working_days(at("2026-12-04T09:00:00+07:00"), 1, &calendar).unwrap();
        assert_eq!(end.date_naive().to_string(), "2026-12-07");
    }
}
