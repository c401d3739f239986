//! Statutory holidays by rule (Labor Code 2019, Art. 112) and compensatory days (Art. 111(3)).

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::lunar::{self, LunarDate};

/// A statutory holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Holiday {
    /// Tết Dương lịch, 1 January.
    NewYear,
    /// A day before the last day of the lunar year, when an official schedule picks one.
    LunarNewYearEarly,
    /// The last day of the lunar year (29 or 30 tháng Chạp).
    LunarNewYearEve,
    /// Mùng 1 Tết.
    LunarNewYear1,
    /// Mùng 2 Tết.
    LunarNewYear2,
    /// Mùng 3 Tết.
    LunarNewYear3,
    /// Mùng 4 Tết.
    LunarNewYear4,
    /// Giỗ Tổ Hùng Vương, 10/3 lunar.
    HungKings,
    /// Ngày Chiến thắng, 30 April.
    Reunification,
    /// Quốc tế Lao động, 1 May.
    Labour,
    /// The day adjacent to Quốc khánh (the rule takes 1 September).
    NationalDayAdjacent,
    /// Quốc khánh, 2 September.
    NationalDay,
    /// Ngày Văn hóa Việt Nam, 24 November (from 2026).
    Culture,
}

impl Holiday {
    /// The Vietnamese name.
    #[must_use]
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::NewYear => "Tết Dương lịch",
            Self::LunarNewYearEarly => "Tết Âm lịch (trước ngày cuối năm âm lịch)",
            Self::LunarNewYearEve => "Tết Âm lịch (ngày cuối năm âm lịch)",
            Self::LunarNewYear1 => "Tết Âm lịch (mùng 1)",
            Self::LunarNewYear2 => "Tết Âm lịch (mùng 2)",
            Self::LunarNewYear3 => "Tết Âm lịch (mùng 3)",
            Self::LunarNewYear4 => "Tết Âm lịch (mùng 4)",
            Self::HungKings => "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
            Self::Reunification => "Ngày Chiến thắng (30/4)",
            Self::Labour => "Ngày Quốc tế Lao động (1/5)",
            Self::NationalDayAdjacent => "Quốc khánh (ngày liền kề)",
            Self::NationalDay => "Quốc khánh (2/9)",
            Self::Culture => "Ngày Văn hóa Việt Nam (24/11)",
        }
    }

    /// The English name.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::LunarNewYearEarly => "Lunar New Year (before the last day of the lunar year)",
            Self::LunarNewYearEve => "Lunar New Year (last day of the lunar year)",
            Self::LunarNewYear1 => "Lunar New Year (day 1)",
            Self::LunarNewYear2 => "Lunar New Year (day 2)",
            Self::LunarNewYear3 => "Lunar New Year (day 3)",
            Self::LunarNewYear4 => "Lunar New Year (day 4)",
            Self::HungKings => "Hung Kings' Commemoration Day (10th of the 3rd lunar month)",
            Self::Reunification => "Reunification Day (30 April)",
            Self::Labour => "International Labour Day (1 May)",
            Self::NationalDayAdjacent => "National Day (adjacent day)",
            Self::NationalDay => "National Day (2 September)",
            Self::Culture => "Vietnamese Culture Day (24 November)",
        }
    }
}

/// The statutory holidays of a Gregorian year by rule, in date order, each date once.
///
/// Returns `None` when the lunar calendar does not cover the year.
#[must_use]
pub fn statutory(year: i32) -> Option<Vec<(NaiveDate, Holiday)>> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let lunar = |month, day| {
        lunar::to_solar(LunarDate {
            year,
            month,
            day,
            leap: false,
        })
        .ok()
    };
    let tet = lunar(1, 1)?;
    let mut days = vec![
        (ymd(1, 1)?, Holiday::NewYear),
        (tet.pred_opt()?, Holiday::LunarNewYearEve),
        (tet, Holiday::LunarNewYear1),
        (tet.succ_opt()?, Holiday::LunarNewYear2),
        (
            tet.checked_add_days(chrono::Days::new(2))?,
            Holiday::LunarNewYear3,
        ),
        (
            tet.checked_add_days(chrono::Days::new(3))?,
            Holiday::LunarNewYear4,
        ),
        (lunar(3, 10)?, Holiday::HungKings),
        (ymd(4, 30)?, Holiday::Reunification),
        (ymd(5, 1)?, Holiday::Labour),
        (ymd(9, 1)?, Holiday::NationalDayAdjacent),
        (ymd(9, 2)?, Holiday::NationalDay),
    ];
    // Resolution 28/2026/QH16, in force from 1 July 2026.
    if year >= 2026 {
        days.push((ymd(11, 24)?, Holiday::Culture));
    }
    // Stable: when Giỗ Tổ falls on 30 April the date counts once, under Giỗ Tổ.
    crate::sort::by_key(&mut days, |(d, _)| *d);
    days.dedup_by_key(|(d, _)| *d);
    Some(days)
}

/// Whether a date falls on Saturday or Sunday.
#[must_use]
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Compensatory days (nghỉ bù): for each holiday on a weekend, in date order, the first Monday to
/// Friday after it that is neither a holiday nor an already assigned compensatory day.
#[must_use]
pub fn compensatory(holidays: &[(NaiveDate, Holiday)]) -> Vec<(NaiveDate, Holiday)> {
    let mut assigned: Vec<(NaiveDate, Holiday)> = Vec::new();
    for &(date, holiday) in holidays.iter().filter(|(d, _)| is_weekend(*d)) {
        let mut candidate = date;
        while let Some(next) = candidate.succ_opt() {
            candidate = next;
            let taken = holidays.iter().any(|(d, _)| *d == candidate)
                || assigned.iter().any(|(d, _)| *d == candidate);
            if !is_weekend(candidate) && !taken {
                assigned.push((candidate, holiday));
                break;
            }
        }
    }
    assigned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn tet_2027_on_a_weekend_gives_wednesday_and_thursday() {
        let h = statutory(2027).unwrap();
        let comp: Vec<NaiveDate> = compensatory(&h).into_iter().map(|(d, _)| d).collect();
        assert!(comp.contains(&d("2027-02-10")));
        assert!(comp.contains(&d("2027-02-11")));
    }

    #[test]
    fn culture_day_starts_in_2026() {
        assert!(
            !statutory(2025)
                .unwrap()
                .iter()
                .any(|(_, h)| *h == Holiday::Culture)
        );
        assert!(
            statutory(2026)
                .unwrap()
                .contains(&(d("2026-11-24"), Holiday::Culture))
        );
    }
}
