//! Due dates (rulebook section 3): working days, working hours, calendar days, the same-day
//! cut-off, and pauses.
//!
//! Everything is computed in local time (Asia/Ho_Chi_Minh is UTC+7 all year, no daylight saving),
//! so a naive local date-time is exact; inputs with another offset are converted first.

mod pauses;
mod state;
mod timeliness;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, DayOff, WorkingCalendar};
use crate::error::Coded;
pub use pauses::Pauses;
pub use state::{DeadlineState, after_working_days};
pub use timeliness::{Timeliness, timeliness};

/// Seconds east of UTC of Asia/Ho_Chi_Minh.
const VN_OFFSET_SECS: i32 = 7 * 3600;

/// The +07:00 offset of Asia/Ho_Chi_Minh.
pub const VN_OFFSET: FixedOffset = match FixedOffset::east_opt(VN_OFFSET_SECS) {
    Some(offset) => offset,
    None => panic!("+07:00 is a valid offset"),
};

/// Converts any instant to local (UTC+7) wall-clock time.
#[must_use]
pub fn to_local(instant: DateTime<FixedOffset>) -> NaiveDateTime {
    instant.with_timezone(&VN_OFFSET).naive_local()
}

/// Attaches the +07:00 offset to a local wall-clock time.
#[must_use]
pub fn from_local(local: NaiveDateTime) -> DateTime<FixedOffset> {
    VN_OFFSET.from_utc_datetime(&(local - TimeDelta::seconds(i64::from(VN_OFFSET_SECS))))
}

/// The unit of a processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum DurationUnit {
    /// Ngày làm việc: one unit is the length of a working day's sessions.
    WorkingDays,
    /// Giờ làm việc.
    WorkingHours,
    /// Ngày (calendar days), due at a closing time.
    CalendarDays,
}

/// A processing time, e.g. 15 working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct ProcessingTime {
    /// How many units (0 working days means "trong ngày", the same day).
    pub value: u32,
    /// The unit.
    pub unit: DurationUnit,
}

/// The inputs of a due-date computation besides the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRequest {
    /// When the dossier was received.
    pub received_at: DateTime<FixedOffset>,
    /// The processing time.
    pub duration: ProcessingTime,
    /// For same-day processing: received strictly after this time → the next working day.
    pub same_day_cutoff: NaiveTime,
    /// Intervals during which the clock stops.
    pub pauses: Pauses,
}

/// The default same-day cut-off, 15:00.
pub const DEFAULT_CUTOFF: NaiveTime = match NaiveTime::from_hms_opt(15, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// A due date with what it took to get there, so clerks and citizens can see why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// The due instant, +07:00.
    pub due_at: DateTime<FixedOffset>,
    /// When counting started (the first office time at or after receipt).
    pub counting_from: DateTime<FixedOffset>,
    /// Days from the receipt date to the due date that were not worked, with their reasons.
    pub skipped: Vec<DayOff>,
    /// Office time the pauses took out of the counting, in seconds.
    pub paused_seconds: i64,
}

/// Why a due date could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The calendar could not answer (years outside 1900–2199, bad office hours).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A pause that ends before it starts.
    #[error("a pause ends before it starts")]
    InvalidPause,
}

impl Coded for DeadlineError {
    fn code(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.code(),
            Self::InvalidPause => "INVALID_PAUSE",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.message_vi(),
            Self::InvalidPause => "Khoảng tạm dừng có thời điểm kết thúc trước thời điểm bắt đầu.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::Calendar(e) => e.message_en(),
            Self::InvalidPause => "A pause ends before it starts.",
        }
    }
}

/// Collects the days off passed over while walking forward through the calendar.
struct Walker<'a> {
    calendar: &'a WorkingCalendar,
    skipped: Vec<DayOff>,
    last_seen: Option<NaiveDate>,
}

impl<'a> Walker<'a> {
    fn new(calendar: &'a WorkingCalendar) -> Self {
        Self {
            calendar,
            skipped: Vec::new(),
            last_seen: None,
        }
    }

    /// Whether `date` is worked; records it once if not.
    fn working(&mut self, date: NaiveDate) -> Result<bool, CalendarError> {
        let reason = self.calendar.day_off_reason(date)?;
        if let Some(reason) = reason
            && self.last_seen.is_none_or(|d| d < date)
        {
            self.skipped.push(DayOff { date, reason });
        }
        self.last_seen = Some(self.last_seen.map_or(date, |d| d.max(date)));
        Ok(reason.is_none())
    }

    /// The first working day strictly after `date`.
    fn next_working(&mut self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        loop {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.working(d)? {
                return Ok(d);
            }
        }
    }

    /// Step 1 of the rulebook: the start of counting.
    fn start_of_counting(
        &mut self,
        received: NaiveDateTime,
    ) -> Result<NaiveDateTime, CalendarError> {
        let day = received.date();
        if self.working(day)? {
            let time = received.time();
            if let Some(&(open, _)) = self
                .calendar
                .office_hours()
                .sessions()
                .iter()
                .find(|(_, close)| time < *close)
            {
                return Ok(day.and_time(open.max(time)));
            }
        }
        let next = self.next_working(day)?;
        Ok(next.and_time(self.calendar.office_hours().first_open()))
    }

    /// The last closing time of `date`, or of the next working day when `date` is not one.
    fn closing_of_working_day_from(
        &mut self,
        date: NaiveDate,
    ) -> Result<NaiveDateTime, CalendarError> {
        let day = if self.working(date)? {
            date
        } else {
            self.next_working(date)?
        };
        Ok(day.and_time(self.calendar.office_hours().last_close()))
    }
}

/// Computes a due date.
///
/// # Errors
/// A pause that ends before it starts, or a computation leaving the years 1900–2199.
pub fn due(request: &DueRequest, calendar: &WorkingCalendar) -> Result<Due, DeadlineError> {
    let received = to_local(request.received_at);
    let mut walker = Walker::new(calendar);
    let start = walker.start_of_counting(received)?;
    let hours = calendar.office_hours();
    let (due, paused) = match request.duration {
        ProcessingTime {
            unit: DurationUnit::WorkingDays,
            value: 0,
        } => {
            let cutoff = received.date().and_time(request.same_day_cutoff);
            let late = start.date() == received.date() && received > cutoff;
            let day = if late {
                walker.next_working(start.date())?
            } else {
                start.date()
            };
            (day.and_time(hours.last_close()), TimeDelta::zero())
        }
        ProcessingTime {
            unit: DurationUnit::CalendarDays,
            value,
        } => {
            let date = start
                .date()
                .checked_add_days(chrono::Days::new(u64::from(value)))
                .ok_or(CalendarError::OutOfRange)?;
            // Walk the days in between too, so the explanation lists them.
            let mut d = start.date();
            while d < date {
                d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
                walker.working(d)?;
            }
            (walker.closing_of_working_day_from(date)?, TimeDelta::zero())
        }
        ProcessingTime { unit, value } => {
            let per_unit = if unit == DurationUnit::WorkingDays {
                hours.day_length()
            } else {
                TimeDelta::hours(1)
            };
            let total = per_unit
                .checked_mul(i32::try_from(value).map_err(|_| CalendarError::OutOfRange)?)
                .ok_or(CalendarError::OutOfRange)?;
            let pauses = request.pauses.merged()?;
            consume(&mut walker, start, total, &pauses)?
        }
    };
    Ok(Due {
        due_at: from_local(due),
        counting_from: from_local(start),
        skipped: walker.skipped,
        paused_seconds: paused.num_seconds(),
    })
}

/// Walks office time from `start`, outside the pauses, until `total` is used up. Returns the due
/// instant and the office time the pauses took.
fn consume(
    walker: &mut Walker<'_>,
    start: NaiveDateTime,
    total: TimeDelta,
    pauses: &[(NaiveDateTime, NaiveDateTime)],
) -> Result<(NaiveDateTime, TimeDelta), DeadlineError> {
    let mut remaining = total;
    let mut paused = TimeDelta::zero();
    if remaining <= TimeDelta::zero() {
        return Ok((start, paused));
    }
    let sessions = walker.calendar.office_hours().sessions().to_vec();
    let mut pause_index = 0;
    let mut day = start.date();
    loop {
        if walker.working(day)? {
            for &(open, close) in &sessions {
                let session_end = day.and_time(close);
                let mut cursor = day.and_time(open).max(start);
                if cursor >= session_end {
                    continue;
                }
                while cursor < session_end {
                    // Skip pauses that ended before the cursor.
                    while pauses.get(pause_index).is_some_and(|p| p.1 <= cursor) {
                        pause_index += 1;
                    }
                    let (free_until, resume_at) = match pauses.get(pause_index) {
                        Some(&(from, to)) if from < session_end => {
                            (from.max(cursor), to.min(session_end))
                        }
                        _ => (session_end, session_end),
                    };
                    let available = free_until - cursor;
                    if remaining <= available {
                        return Ok((cursor + remaining, paused));
                    }
                    remaining -= available;
                    paused += resume_at - free_until;
                    cursor = resume_at;
                }
            }
        }
        day = day.succ_opt().ok_or(CalendarError::OutOfRange)?;
    }
}

#[cfg(test)]
mod tests;
