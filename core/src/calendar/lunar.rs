//! The Vietnamese lunisolar calendar, computed astronomically at UTC+7.
//!
//! This is Hồ Ngọc Đức's algorithm (the reference in Vietnamese software), with two corrections
//! the rulebook asks for: the month containing a date is found by stepping back as many lunations
//! as needed (the published code steps back once and answers "day 0" on e.g. 2054-05-07), and a
//! lunar date that does not exist is refused instead of silently shifted.
//!
//! Trigonometry goes through the `libm` crate rather than the platform's maths library so that the
//! server, the browser (wasm) and phones (UniFFI) round every new moon to the same day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

use crate::error::Coded;

/// Vietnam's time zone in hours: the lunar calendar is computed for UTC+7, not China's UTC+8.
const TIME_ZONE: f64 = 7.0;
/// Julian day number of the new moon of 1900-01-01, the epoch of lunation numbers.
const EPOCH_NEW_MOON: f64 = 2_415_021.076_998_695;
/// The mean synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// `num_days_from_ce` + this = Julian day number.
const JDN_OFFSET: i64 = 1_721_425;

/// The first and last supported solar dates (rulebook: years 1900–2199).
const FIRST_SOLAR_YEAR: i32 = 1900;
const LAST_SOLAR_YEAR: i32 = 2199;

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year (the one whose Tết starts it).
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–30.
    pub day: u8,
    /// Whether this is the leap (nhuận) month that follows `month`.
    pub leap: bool,
}

/// Why a conversion could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LunarError {
    /// The lunar date does not exist: month outside 1–12, day outside the month's 29 or 30 days,
    /// or a leap flag on a month that is not that year's leap month.
    #[error("INVALID_DATE")]
    InvalidDate,
    /// Outside the supported years (solar 1900–2199, lunar 1899–2199).
    #[error("OUT_OF_RANGE")]
    OutOfRange,
}

impl Coded for LunarError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidDate => "INVALID_DATE",
            Self::OutOfRange => "OUT_OF_RANGE",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::InvalidDate => "Ngày âm lịch không tồn tại.",
            Self::OutOfRange => "Chỉ hỗ trợ các năm từ 1900 đến 2199.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::InvalidDate => "This lunar date does not exist.",
            Self::OutOfRange => "Only the years 1900 to 2199 are supported.",
        }
    }
}

/// The Julian day number of a solar date.
#[must_use]
pub fn jdn(date: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&date)) + JDN_OFFSET
}

/// The solar date of a Julian day number.
fn date_of(jdn: i64) -> Option<NaiveDate> {
    i32::try_from(jdn - JDN_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Julian day (with fraction, UTC) of the `k`-th new moon after the one of 1900-01-01.
fn new_moon(k: i64) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "|k| < 10^4 lunations")]
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let sin = libm::sin;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * sin((166.56 + 132.87 * t - 0.009_173 * t2) * dr);
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * sin(m * dr) + 0.0021 * sin(2.0 * dr * m);
    c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2.0 * mpr);
    c1 -= 0.0004 * sin(dr * 3.0 * mpr);
    c1 = c1 + 0.0104 * sin(dr * 2.0 * f) - 0.0051 * sin(dr * (m + mpr));
    c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2.0 * f + m));
    c1 = c1 - 0.0004 * sin(dr * (2.0 * f - m)) - 0.0006 * sin(dr * (2.0 * f + mpr));
    c1 = c1 + 0.0010 * sin(dr * (2.0 * f - mpr)) + 0.0005 * sin(dr * (2.0 * mpr + m));
    let deltat = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - deltat
}

/// The sun's ecliptic longitude in radians, in `[0, 2π)`, at Julian day `jd` (UTC).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let sin = libm::sin;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * sin(dr * m);
    dl = dl + (0.019_993 - 0.000_101 * t) * sin(dr * 2.0 * m) + 0.000_290 * sin(dr * 3.0 * m);
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * libm::floor(l / (PI * 2.0))
}

/// The local (UTC+7) day number of the `k`-th new moon.
#[expect(clippy::cast_possible_truncation, reason = "a Julian day fits in i64")]
fn new_moon_day(k: i64) -> i64 {
    libm::floor(new_moon(k) + 0.5 + TIME_ZONE / 24.0) as i64
}

/// Which of the twelve 30° sectors the sun is in at the start of local day `day`.
#[expect(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn sun_sector(day: i64) -> i64 {
    libm::floor(sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0) as i64
}

/// The lunation number whose new moon is nearest to (and not after) local day `day`, estimated.
#[expect(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn lunation_estimate(day: i64) -> i64 {
    libm::floor((day as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH) as i64
}

/// Start (day number) of the 11th lunar month, the one containing the winter solstice, of `year`.
fn month_11_start(year: i32) -> i64 {
    let Some(dec31) = NaiveDate::from_ymd_opt(year, 12, 31) else {
        return 0;
    };
    let k = lunation_estimate(jdn(dec31) + 2_415_021 - 2_415_021);
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a year with 13 months counted from month 11 at `a11`, the index (1-based from `a11`) of the
/// first month without a major solar term: the leap month.
#[expect(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn leap_month_offset(a11: i64) -> i64 {
    let k = libm::floor((a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5) as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Converts a solar date to the lunar calendar.
///
/// # Errors
/// `OUT_OF_RANGE` outside 1900–2199.
pub fn from_solar(date: NaiveDate) -> Result<LunarDate, LunarError> {
    let year = chrono::Datelike::year(&date);
    if !(FIRST_SOLAR_YEAR..=LAST_SOLAR_YEAR).contains(&year) {
        return Err(LunarError::OutOfRange);
    }
    let day_number = jdn(date);
    // The estimate can be a lunation off either way: step until the month's new moon is the last
    // one not after the date.
    let mut k = lunation_estimate(day_number - 2_415_021 + 2_415_021) + 1;
    let mut month_start = new_moon_day(k);
    while month_start > day_number {
        k -= 1;
        month_start = new_moon_day(k);
    }
    while new_moon_day(k + 1) <= day_number {
        k += 1;
        month_start = new_moon_day(k);
    }
    let mut a11 = month_11_start(year);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = year;
        a11 = month_11_start(year - 1);
    } else {
        lunar_year = year + 1;
        b11 = month_11_start(year + 1);
    }
    let day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    Ok(LunarDate {
        year: lunar_year,
        month: u8::try_from(month).map_err(|_| LunarError::OutOfRange)?,
        day: u8::try_from(day).map_err(|_| LunarError::OutOfRange)?,
        leap,
    })
}

/// The first day (day number) of a lunar month and its length in days.
fn month_bounds(year: i32, month: u8, leap: bool) -> Result<(i64, i64), LunarError> {
    if !(FIRST_SOLAR_YEAR - 1..=LAST_SOLAR_YEAR).contains(&year) {
        return Err(LunarError::OutOfRange);
    }
    if !(1..=12).contains(&month) {
        return Err(LunarError::InvalidDate);
    }
    let (a11, b11) = if month < 11 {
        (month_11_start(year - 1), month_11_start(year))
    } else {
        (month_11_start(year), month_11_start(year + 1))
    };
    let k = libm::floor(0.5 + (a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a lunation number fits in i64"
    )]
    let k = k as i64;
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let leap_month = (leap_off - 2).rem_euclid(12);
        if leap && i64::from(month) != leap_month {
            return Err(LunarError::InvalidDate);
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return Err(LunarError::InvalidDate);
    }
    let start = new_moon_day(k + off);
    Ok((start, new_moon_day(k + off + 1) - start))
}

/// Converts a lunar date to the solar calendar.
///
/// # Errors
/// `INVALID_DATE` for a date that does not exist; `OUT_OF_RANGE` outside lunar years 1899–2199.
pub fn to_solar(lunar: LunarDate) -> Result<NaiveDate, LunarError> {
    let (start, length) = month_bounds(lunar.year, lunar.month, lunar.leap)?;
    let day = i64::from(lunar.day);
    if day < 1 || day > length {
        return Err(LunarError::InvalidDate);
    }
    date_of(start + day - 1).ok_or(LunarError::OutOfRange)
}

/// The leap month of a lunar year (the regular month it follows), if the year has one.
#[must_use]
pub fn leap_month(year: i32) -> Option<u8> {
    (1..=12).find(|&m| month_bounds(year, m, true).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn l(year: i32, month: u8, day: u8, leap: bool) -> LunarDate {
        LunarDate {
            year,
            month,
            day,
            leap,
        }
    }

    #[test]
    fn tet_differs_from_china_in_1985_2007_and_2030() {
        assert_eq!(to_solar(l(1985, 1, 1, false)).unwrap(), d("1985-01-21"));
        assert_eq!(to_solar(l(2007, 1, 1, false)).unwrap(), d("2007-02-17"));
        assert_eq!(to_solar(l(2030, 1, 1, false)).unwrap(), d("2030-02-02"));
    }

    #[test]
    fn the_published_day_zero_bug_is_fixed() {
        assert_eq!(from_solar(d("2054-05-07")).unwrap(), l(2054, 3, 30, false));
    }

    #[test]
    fn leap_months_round_trip() {
        assert_eq!(leap_month(2025), Some(6));
        assert_eq!(leap_month(2026), None);
        assert_eq!(leap_month(2033), Some(11));
        let leap = from_solar(d("2025-07-25")).unwrap();
        assert_eq!(leap, l(2025, 6, 1, true));
        assert_eq!(to_solar(leap).unwrap(), d("2025-07-25"));
    }

    #[test]
    fn dates_that_do_not_exist_are_invalid() {
        assert_eq!(
            to_solar(l(2026, 13, 1, false)),
            Err(LunarError::InvalidDate)
        );
        assert_eq!(to_solar(l(2026, 1, 0, false)), Err(LunarError::InvalidDate));
        assert_eq!(to_solar(l(2025, 5, 1, true)), Err(LunarError::InvalidDate));
        assert_eq!(to_solar(l(2026, 1, 1, true)), Err(LunarError::InvalidDate));
    }

    #[test]
    fn years_outside_the_supported_range_are_refused() {
        assert_eq!(from_solar(d("1899-12-31")), Err(LunarError::OutOfRange));
        assert_eq!(from_solar(d("2200-01-01")), Err(LunarError::OutOfRange));
        assert_eq!(to_solar(l(2200, 1, 1, false)), Err(LunarError::OutOfRange));
        assert_eq!(from_solar(d("1900-01-01")).unwrap().year, 1899);
    }
}
