//! Official yearly schedules for civil servants, shipped as data with their legal source.
//!
//! The rule (Labor Code Art. 112) leaves the Prime Minister to fix the exact Tết days and the day
//! adjacent to Quốc khánh, and the Government's yearly notices also swap days (a weekday off, a
//! Saturday worked) to give longer breaks. Where a year is listed here it replaces the rule for
//! that year unless the caller asks for `rules_only`. Add a year only after checking the notice
//! itself, and cite it.

use super::holidays::Holiday;

/// Why a day is off in an official schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficialReason {
    /// A statutory holiday on the day the notice fixes.
    Holiday(Holiday),
    /// A compensatory day for a holiday falling on a weekend.
    Compensatory(Holiday),
    /// A working day swapped for a Saturday worked instead (`(month, day)` of that Saturday).
    Swapped(u32, u32),
}

/// One year's schedule.
#[derive(Debug)]
pub struct OfficialSchedule {
    /// Gregorian year.
    pub year: i32,
    /// The legal sources (number, date, issuer).
    pub sources: &'static [&'static str],
    /// Days off as `(month, day, reason)`, in date order.
    pub days_off: &'static [(u32, u32, OfficialReason)],
    /// Make-up working days (Saturdays worked), as `(month, day)`.
    pub working_days: &'static [(u32, u32)],
}

use OfficialReason::{Compensatory, Holiday as H, Swapped};

/// The shipped schedules, by year.
pub const SCHEDULES: &[OfficialSchedule] = &[
    OfficialSchedule {
        year: 2025,
        sources: &[
            "Công văn 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ",
            "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội",
        ],
        days_off: &[
            (1, 1, H(Holiday::NewYear)),
            (1, 27, H(Holiday::LunarNewYearEarly)),
            (1, 28, H(Holiday::LunarNewYearEve)),
            (1, 29, H(Holiday::LunarNewYear1)),
            (1, 30, H(Holiday::LunarNewYear2)),
            (1, 31, H(Holiday::LunarNewYear3)),
            (4, 7, H(Holiday::HungKings)),
            (4, 30, H(Holiday::Reunification)),
            (5, 1, H(Holiday::Labour)),
            (5, 2, Swapped(4, 26)),
            (9, 1, H(Holiday::NationalDayAdjacent)),
            (9, 2, H(Holiday::NationalDay)),
        ],
        working_days: &[(4, 26)],
    },
    OfficialSchedule {
        year: 2026,
        sources: &[
            "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ (Tết Dương lịch)",
            "Công văn 9859/VPCP-KGVX ngày 13/10/2025 của Văn phòng Chính phủ",
            "Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ (Tết Âm lịch, Quốc khánh)",
            "Bộ luật Lao động 2019, Điều 111, 112 (Giỗ Tổ, 30/4, 1/5)",
            "Nghị quyết 28/2026/QH16 (Ngày Văn hóa Việt Nam 24/11)",
        ],
        days_off: &[
            (1, 1, H(Holiday::NewYear)),
            (1, 2, Swapped(1, 10)),
            (2, 16, H(Holiday::LunarNewYearEve)),
            (2, 17, H(Holiday::LunarNewYear1)),
            (2, 18, H(Holiday::LunarNewYear2)),
            (2, 19, H(Holiday::LunarNewYear3)),
            (2, 20, H(Holiday::LunarNewYear4)),
            (4, 26, H(Holiday::HungKings)),
            (4, 27, Compensatory(Holiday::HungKings)),
            (4, 30, H(Holiday::Reunification)),
            (5, 1, H(Holiday::Labour)),
            (8, 31, Swapped(8, 22)),
            (9, 1, H(Holiday::NationalDayAdjacent)),
            (9, 2, H(Holiday::NationalDay)),
            (11, 24, H(Holiday::Culture)),
        ],
        working_days: &[(1, 10), (8, 22)],
    },
];

/// The shipped schedule of a year, if any.
#[must_use]
pub fn schedule(year: i32) -> Option<&'static OfficialSchedule> {
    SCHEDULES.iter().find(|s| s.year == year)
}
