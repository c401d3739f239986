//! The dossier code (mã hồ sơ, rulebook section 2, CONTRACT): `{unit electronic ID}-{yyMMdd}-{NNNN}`,
//! e.g. `000.00.38.H56-251201-0042`. The date is the day the dossier entered the system in
//! Asia/Ho_Chi_Minh; the sequence restarts daily per receiving unit, has 4 digits and widens only
//! past 9,999 in one day. The server keeps the sequence; the format lives here.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::deadline::to_local;

/// The day a dossier entered the system at `instant`, in Asia/Ho_Chi_Minh (what the code and the
/// daily sequence are keyed by).
#[must_use]
pub fn entry_day(instant: DateTime<FixedOffset>) -> NaiveDate {
    to_local(instant).date()
}

/// `yyMMdd` of a day.
#[must_use]
pub fn day_stamp(day: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        day.year().rem_euclid(100),
        day.month(),
        day.day()
    )
}

/// The code of the `sequence`-th dossier (from 1) filed to `unit` on `day`.
#[must_use]
pub fn dossier_code(unit: &str, day: NaiveDate, sequence: u64) -> String {
    format!("{unit}-{}-{sequence:04}", day_stamp(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_rulebook_example() {
        assert_eq!(
            dossier_code("000.00.38.H56", day(2025, 12, 1), 42),
            "000.00.38.H56-251201-0042"
        );
    }

    #[test]
    fn the_sequence_widens_only_past_four_digits() {
        assert_eq!(dossier_code("X", day(2026, 1, 2), 9999), "X-260102-9999");
        assert_eq!(dossier_code("X", day(2026, 1, 2), 10000), "X-260102-10000");
    }

    #[test]
    fn the_day_is_taken_in_vietnam() {
        // 17:30 UTC on 30 November is 00:30 on 1 December in Asia/Ho_Chi_Minh.
        let instant = DateTime::parse_from_rfc3339("2025-11-30T17:30:00Z").unwrap();
        assert_eq!(entry_day(instant), day(2025, 12, 1));
        assert_eq!(day_stamp(day(2000, 3, 4)), "000304");
    }
}
