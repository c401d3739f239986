//! The working calendar: which dates are working days, and why the others are not.
//!
//! A [`CalendarSpec`] is what callers pass (and what an agency admin edits); a [`WorkingCalendar`]
//! is the resolved form that answers questions. It computes a year's holidays on first use and
//! keeps them, so a server can hold one calendar and answer many due-date questions cheaply.

pub mod holidays;
pub mod lunar;
pub mod office_hours;
pub mod official;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::error::Coded;
pub use holidays::Holiday;
pub use office_hours::{InvalidOfficeHours, OfficeHours};
use official::OfficialReason;

/// The first and last years the working calendar covers (those of the lunar calendar).
pub const FIRST_YEAR: i32 = 1900;
/// See [`FIRST_YEAR`].
pub const LAST_YEAR: i32 = 2199;

/// What callers pass to describe a calendar (rulebook section 3, "calendar spec").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarSpec {
    /// Ignore the shipped official yearly schedules and use the rules for every year.
    pub rules_only: bool,
    /// Extra days off (a storm closure, a provincial decision).
    pub extra_days_off: Vec<NaiveDate>,
    /// Extra working days (a make-up Saturday). They win over everything else.
    pub extra_working_days: Vec<NaiveDate>,
    /// Office hours as `HH:MM` pairs; `None` means 08:00–12:00 and 13:00–17:00.
    pub office_hours: Option<Vec<(String, String)>>,
}

/// Why a calendar question could not be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A date outside the years 1900–2199.
    #[error("year outside 1900–2199")]
    OutOfRange,
    /// Unusable office hours.
    #[error(transparent)]
    OfficeHours(#[from] InvalidOfficeHours),
}

impl Coded for CalendarError {
    fn code(&self) -> &'static str {
        match self {
            Self::OutOfRange => "OUT_OF_RANGE",
            Self::OfficeHours(_) => "INVALID_OFFICE_HOURS",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::OutOfRange => "Chỉ hỗ trợ các năm từ 1900 đến 2199.",
            Self::OfficeHours(_) => {
                "Giờ làm việc không hợp lệ: cần các buổi HH:MM theo thứ tự, không chồng lấn."
            }
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::OutOfRange => "Only the years 1900 to 2199 are supported.",
            Self::OfficeHours(_) => {
                "Invalid office hours: sessions must be HH:MM, in order and not overlapping."
            }
        }
    }
}

/// Why a date is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "holiday", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DayOffReason {
    /// A statutory holiday.
    Holiday(Holiday),
    /// A compensatory day for a holiday that fell on a weekend.
    Compensatory(Holiday),
    /// A weekday swapped for a Saturday worked instead, by an official notice.
    Swapped {
        /// The Saturday worked instead.
        make_up: NaiveDate,
    },
    /// An extra day off of this calendar.
    Extra,
    /// An ordinary Saturday or Sunday.
    Weekend,
}

impl DayOffReason {
    /// A Vietnamese description.
    #[must_use]
    pub fn name_vi(&self) -> String {
        match self {
            Self::Holiday(h) => h.name_vi().to_owned(),
            Self::Compensatory(h) => format!("Nghỉ bù {}", h.name_vi()),
            Self::Swapped { make_up } => {
                format!(
                    "Nghỉ hoán đổi (làm bù {} {})",
                    weekday_vi(*make_up),
                    make_up.format("%d/%m/%Y")
                )
            }
            Self::Extra => "Ngày nghỉ bổ sung".to_owned(),
            Self::Weekend => "Nghỉ cuối tuần".to_owned(),
        }
    }

    /// An English description.
    #[must_use]
    pub fn name_en(&self) -> String {
        match self {
            Self::Holiday(h) => h.name_en().to_owned(),
            Self::Compensatory(h) => format!("Compensatory day for {}", h.name_en()),
            Self::Swapped { make_up } => {
                format!(
                    "Swapped day off (worked on {} instead)",
                    make_up.format("%a %Y-%m-%d")
                )
            }
            Self::Extra => "Extra day off".to_owned(),
            Self::Weekend => "Weekend".to_owned(),
        }
    }
}

/// A day that is not worked, with its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    /// The date.
    pub date: NaiveDate,
    /// Why it is off.
    pub reason: DayOffReason,
}

/// Parses a strict `YYYY-MM-DD` date without a format-string interpreter (it is on the hot path of
/// form validation).
#[must_use]
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// The Vietnamese name of a date's weekday (`Thứ Hai` … `Chủ nhật`), as printed on legal forms.
#[must_use]
pub fn weekday_vi(date: NaiveDate) -> &'static str {
    match date.weekday() {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ nhật",
    }
}

/// The legal sources of the official schedule used for a year, empty when the rules apply.
#[must_use]
pub fn schedule_sources(year: i32, rules_only: bool) -> &'static [&'static str] {
    match official::schedule(year) {
        Some(s) if !rules_only => s.sources,
        _ => &[],
    }
}

/// A year's holidays and compensatory days, by rule or from an official schedule.
#[derive(Debug, Default)]
struct YearTable {
    days_off: Vec<DayOff>,
    make_up_days: Vec<NaiveDate>,
}

impl YearTable {
    fn build(year: i32, rules_only: bool) -> Option<Self> {
        if !rules_only && let Some(s) = official::schedule(year) {
            let date = |m, d| NaiveDate::from_ymd_opt(year, m, d);
            let days_off = s
                .days_off
                .iter()
                .filter_map(|&(m, d, reason)| {
                    let reason = match reason {
                        OfficialReason::Holiday(h) => DayOffReason::Holiday(h),
                        OfficialReason::Compensatory(h) => DayOffReason::Compensatory(h),
                        OfficialReason::Swapped(mm, dd) => DayOffReason::Swapped {
                            make_up: date(mm, dd)?,
                        },
                    };
                    Some(DayOff {
                        date: date(m, d)?,
                        reason,
                    })
                })
                .collect();
            let make_up_days = s
                .working_days
                .iter()
                .filter_map(|&(m, d)| date(m, d))
                .collect();
            return Some(Self {
                days_off,
                make_up_days,
            });
        }
        let statutory = holidays::statutory(year)?;
        let compensatory = holidays::compensatory(&statutory);
        let mut days_off: Vec<DayOff> = statutory
            .iter()
            .map(|&(date, h)| DayOff {
                date,
                reason: DayOffReason::Holiday(h),
            })
            .chain(compensatory.iter().map(|&(date, h)| DayOff {
                date,
                reason: DayOffReason::Compensatory(h),
            }))
            .collect();
        crate::sort::by_key(&mut days_off, |d| d.date);
        Some(Self {
            days_off,
            make_up_days: Vec::new(),
        })
    }

    fn day_off(&self, date: NaiveDate) -> Option<DayOffReason> {
        self.days_off
            .iter()
            .find(|d| d.date == date)
            .map(|d| d.reason)
    }
}

/// A resolved calendar that answers working-day questions.
///
/// Cheap to share across threads: each year's table is computed once, on first use.
#[derive(Debug)]
pub struct WorkingCalendar {
    rules_only: bool,
    extra_days_off: BTreeSet<NaiveDate>,
    extra_working_days: BTreeSet<NaiveDate>,
    office_hours: OfficeHours,
    years: Vec<OnceLock<Option<YearTable>>>,
}

impl Clone for WorkingCalendar {
    fn clone(&self) -> Self {
        Self {
            rules_only: self.rules_only,
            extra_days_off: self.extra_days_off.clone(),
            extra_working_days: self.extra_working_days.clone(),
            office_hours: self.office_hours.clone(),
            years: empty_years(),
        }
    }
}

fn empty_years() -> Vec<OnceLock<Option<YearTable>>> {
    std::iter::repeat_with(OnceLock::new)
        .take(usize::try_from(LAST_YEAR - FIRST_YEAR + 1).unwrap_or_default())
        .collect()
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::with_office_hours(&CalendarSpec::default(), OfficeHours::default())
    }
}

impl WorkingCalendar {
    /// Resolves a spec.
    ///
    /// # Errors
    /// Unusable office hours.
    pub fn new(spec: &CalendarSpec) -> Result<Self, CalendarError> {
        let office_hours = match &spec.office_hours {
            Some(sessions) => OfficeHours::parse(sessions)?,
            None => OfficeHours::default(),
        };
        Ok(Self::with_office_hours(spec, office_hours))
    }

    fn with_office_hours(spec: &CalendarSpec, office_hours: OfficeHours) -> Self {
        Self {
            rules_only: spec.rules_only,
            extra_days_off: spec.extra_days_off.iter().copied().collect(),
            extra_working_days: spec.extra_working_days.iter().copied().collect(),
            office_hours,
            years: empty_years(),
        }
    }

    /// The office hours of this calendar.
    #[must_use]
    pub fn office_hours(&self) -> &OfficeHours {
        &self.office_hours
    }

    fn year(&self, year: i32) -> Result<&YearTable, CalendarError> {
        let slot = usize::try_from(year - FIRST_YEAR)
            .ok()
            .and_then(|i| self.years.get(i))
            .ok_or(CalendarError::OutOfRange)?;
        slot.get_or_init(|| YearTable::build(year, self.rules_only))
            .as_ref()
            .ok_or(CalendarError::OutOfRange)
    }

    /// Why `date` is not a working day, or `None` when it is one.
    ///
    /// # Errors
    /// A date outside 1900–2199.
    pub fn day_off_reason(&self, date: NaiveDate) -> Result<Option<DayOffReason>, CalendarError> {
        let table = self.year(date.year())?;
        if self.extra_working_days.contains(&date) {
            return Ok(None);
        }
        if self.extra_days_off.contains(&date) {
            return Ok(Some(DayOffReason::Extra));
        }
        if let Some(reason) = table.day_off(date) {
            return Ok(Some(reason));
        }
        if holidays::is_weekend(date) && !table.make_up_days.contains(&date) {
            return Ok(Some(DayOffReason::Weekend));
        }
        Ok(None)
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// A date outside 1900–2199.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_off_reason(date)?.is_none())
    }

    /// The first working day strictly after `date`.
    ///
    /// # Errors
    /// When the search leaves 1900–2199.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        loop {
            d = d.succ_opt().ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(d)? {
                return Ok(d);
            }
        }
    }

    /// The days off of a year (rulebook section 3): holidays and compensatory days (also those on a
    /// weekend) and the extra days off, minus the extra working days; ordinary weekends are not
    /// listed. Sorted by date.
    ///
    /// # Errors
    /// A year outside 1900–2199.
    pub fn days_off(&self, year: i32) -> Result<Vec<DayOff>, CalendarError> {
        let table = self.year(year)?;
        let mut days: Vec<DayOff> = table.days_off.clone();
        for &date in self.extra_days_off.iter().filter(|d| d.year() == year) {
            if !days.iter().any(|d| d.date == date) {
                days.push(DayOff {
                    date,
                    reason: DayOffReason::Extra,
                });
            }
        }
        days.retain(|d| !self.extra_working_days.contains(&d.date));
        crate::sort::by_key(&mut days, |d| d.date);
        Ok(days)
    }

    /// The make-up working days (Saturdays worked) of a year: the official schedule's and the
    /// calendar's own that fall on a weekend.
    ///
    /// # Errors
    /// A year outside 1900–2199.
    pub fn make_up_days(&self, year: i32) -> Result<Vec<NaiveDate>, CalendarError> {
        let table = self.year(year)?;
        let mut days: BTreeSet<NaiveDate> = table
            .make_up_days
            .iter()
            .copied()
            .filter(|d| !self.extra_days_off.contains(d))
            .collect();
        days.extend(
            self.extra_working_days
                .iter()
                .filter(|d| d.year() == year && holidays::is_weekend(**d)),
        );
        Ok(days.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dates(days: &[DayOff]) -> Vec<String> {
        days.iter().map(|d| d.date.to_string()).collect()
    }

    #[test]
    fn the_2026_official_schedule_swaps_two_days() {
        let cal = WorkingCalendar::default();
        assert!(!cal.is_working_day(d("2026-01-02")).unwrap());
        assert!(cal.is_working_day(d("2026-01-10")).unwrap());
        assert!(!cal.is_working_day(d("2026-08-31")).unwrap());
        assert!(cal.is_working_day(d("2026-08-22")).unwrap());
        let rules = WorkingCalendar::new(&CalendarSpec {
            rules_only: true,
            ..CalendarSpec::default()
        })
        .unwrap();
        assert!(rules.is_working_day(d("2026-01-02")).unwrap());
        assert!(!rules.is_working_day(d("2026-01-10")).unwrap());
    }

    #[test]
    fn extra_working_days_win_over_everything() {
        let cal = WorkingCalendar::new(&CalendarSpec {
            rules_only: true,
            extra_days_off: vec![d("2027-03-03"), d("2027-01-01")],
            extra_working_days: vec![d("2027-01-01"), d("2027-03-06")],
            office_hours: None,
        })
        .unwrap();
        assert!(cal.is_working_day(d("2027-01-01")).unwrap());
        assert!(cal.is_working_day(d("2027-03-06")).unwrap());
        assert!(!cal.is_working_day(d("2027-03-03")).unwrap());
        let off = dates(&cal.days_off(2027).unwrap());
        assert!(!off.contains(&"2027-01-01".to_owned()));
        assert!(off.contains(&"2027-03-03".to_owned()));
        assert_eq!(cal.make_up_days(2027).unwrap(), vec![d("2027-03-06")]);
    }

    #[test]
    fn years_outside_the_lunar_range_are_refused() {
        let cal = WorkingCalendar::default();
        assert_eq!(
            cal.is_working_day(d("2200-01-05")),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(cal.days_off(1899), Err(CalendarError::OutOfRange));
    }
}
