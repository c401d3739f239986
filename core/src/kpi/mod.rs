//! The national quality index of Decision 766/QĐ-TTg (rulebook §7), as pure functions over counts
//! of event facts: the server computes it from its event log, a phone or a partner can recompute
//! any figure from the counts the API shows, and both get the same hundredths.
//!
//! Every indicator has the general form `min(max, max × rate ÷ threshold)` with
//! `rate = numerator ÷ denominator`; a zero denominator is N/A (not zero: nothing was there to
//! judge). Scores are kept in hundredths of a point, computed exactly in integers and rounded half
//! up once, so that no platform's floating point can make two answers differ.

pub mod events;
mod index;
pub mod survey;

pub use index::{Facts, Group, GroupScore, INDICATORS, Index, Indicator, IndicatorScore, index};

use serde::{Deserialize, Serialize};

use crate::error::Coded;

/// Why a score or grade cannot be computed from what was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KpiError {
    /// The threshold is not 1–100 %.
    #[error("threshold outside 1–100 %")]
    Threshold,
    /// The maximum is more than the index's 100 points.
    #[error("maximum above 100 points")]
    Max,
    /// A total above 100 points.
    #[error("score above 100 points")]
    Total,
    /// Grade bands that do not fall from excellent to average.
    #[error("bands out of order")]
    Bands,
}

impl Coded for KpiError {
    fn code(&self) -> &'static str {
        match self {
            Self::Threshold => "INVALID_THRESHOLD",
            Self::Max => "INVALID_MAX",
            Self::Total => "INVALID_SCORE",
            Self::Bands => "INVALID_BANDS",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::Threshold => "Ngưỡng phải từ 1% đến 100%.",
            Self::Max => "Điểm tối đa không được vượt quá 100 điểm.",
            Self::Total => "Điểm phải từ 0 đến 100.",
            Self::Bands => {
                "Các mức xếp loại phải giảm dần từ xuất sắc đến trung bình, trong khoảng 0–100 điểm."
            }
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::Threshold => "The threshold must be 1% to 100%.",
            Self::Max => "The maximum cannot exceed 100 points.",
            Self::Total => "A score must be 0 to 100 points.",
            Self::Bands => "Grade bands must fall from excellent to average, within 0–100 points.",
        }
    }
}

/// The index's whole: 100 points, in hundredths.
pub const FULL_CENTI: u32 = 10_000;

/// `n ÷ d` rounded half up (`d > 0`).
fn div_half_up(n: u128, d: u128) -> u128 {
    (2 * n + d) / (2 * d)
}

/// One indicator's score in hundredths of a point: `min(max, max × (numerator ÷ denominator) ÷
/// (threshold_pct ÷ 100))`, or `None` (N/A) when the denominator is 0.
///
/// # Errors
/// A threshold outside 1–100, a maximum above 100 points.
pub fn score(
    max: u32,
    numerator: u64,
    denominator: u64,
    threshold_pct: u32,
) -> Result<Option<u32>, KpiError> {
    if !(1..=100).contains(&threshold_pct) {
        return Err(KpiError::Threshold);
    }
    if max > 100 {
        return Err(KpiError::Max);
    }
    if denominator == 0 {
        return Ok(None);
    }
    let cap = u128::from(max) * 100;
    // max × 100 (hundredths) × numerator × 100 (per cent) ÷ (denominator × threshold_pct).
    let exact = div_half_up(
        cap * u128::from(numerator) * 100,
        u128::from(denominator) * u128::from(threshold_pct),
    );
    // `min` with `cap` ≤ 10,000 keeps it in range.
    Ok(Some(u32::try_from(exact.min(cap)).unwrap_or(FULL_CENTI)))
}

/// `part ÷ whole` in hundredths of a per cent (`8550` is 85.50 %), rounded half up; `None` when
/// `whole` is 0. The dashboard shows rates next to scores.
#[must_use]
pub fn rate_basis_points(part: u64, whole: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    u32::try_from(div_half_up(u128::from(part) * 10_000, u128::from(whole))).ok()
}

/// A grade of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Grade {
    /// Xuất sắc.
    Excellent,
    /// Tốt.
    Good,
    /// Khá.
    Fair,
    /// Trung bình.
    Average,
    /// Yếu.
    Weak,
}

impl Grade {
    /// The stable code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "EXCELLENT",
            Self::Good => "GOOD",
            Self::Fair => "FAIR",
            Self::Average => "AVERAGE",
            Self::Weak => "WEAK",
        }
    }

    /// Its colour on every chart and table.
    #[must_use]
    pub fn colour(self) -> Colour {
        match self {
            Self::Excellent => Colour::Green,
            Self::Good => Colour::Blue,
            Self::Fair => Colour::Yellow,
            Self::Average => Colour::Orange,
            Self::Weak => Colour::Red,
        }
    }

    /// Its name.
    #[must_use]
    pub fn name(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Self::Excellent, crate::Lang::Vi) => "Xuất sắc",
            (Self::Good, crate::Lang::Vi) => "Tốt",
            (Self::Fair, crate::Lang::Vi) => "Khá",
            (Self::Average, crate::Lang::Vi) => "Trung bình",
            (Self::Weak, crate::Lang::Vi) => "Yếu",
            (Self::Excellent, crate::Lang::En) => "Excellent",
            (Self::Good, crate::Lang::En) => "Good",
            (Self::Fair, crate::Lang::En) => "Fair",
            (Self::Average, crate::Lang::En) => "Average",
            (Self::Weak, crate::Lang::En) => "Weak",
        }
    }
}

/// The colour a grade is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Colour {
    /// Excellent.
    Green,
    /// Good.
    Blue,
    /// Fair.
    Yellow,
    /// Average.
    Orange,
    /// Weak.
    Red,
}

impl Colour {
    /// The stable code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "GREEN",
            Self::Blue => "BLUE",
            Self::Yellow => "YELLOW",
            Self::Orange => "ORANGE",
            Self::Red => "RED",
        }
    }
}

/// The lowest total (hundredths) of each grade above weak; configurable per province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bands {
    /// Excellent from (default 90 points).
    pub excellent: u32,
    /// Good from (80).
    pub good: u32,
    /// Fair from (70).
    pub fair: u32,
    /// Average from (50).
    pub average: u32,
}

impl Default for Bands {
    fn default() -> Self {
        Self {
            excellent: 9_000,
            good: 8_000,
            fair: 7_000,
            average: 5_000,
        }
    }
}

impl Bands {
    /// Checks the bands fall from excellent to average within 0–100 points.
    ///
    /// # Errors
    /// [`KpiError::Bands`].
    pub fn check(self) -> Result<Self, KpiError> {
        if self.excellent <= FULL_CENTI
            && self.excellent > self.good
            && self.good > self.fair
            && self.fair > self.average
        {
            Ok(self)
        } else {
            Err(KpiError::Bands)
        }
    }
}

/// The grade of a total out of 100 points (in hundredths), by `bands`.
///
/// # Errors
/// A total above 100 points, bands out of order.
pub fn grade(score_centi: u32, bands: Bands) -> Result<Grade, KpiError> {
    let bands = bands.check()?;
    if score_centi > FULL_CENTI {
        return Err(KpiError::Total);
    }
    Ok(if score_centi >= bands.excellent {
        Grade::Excellent
    } else if score_centi >= bands.good {
        Grade::Good
    } else if score_centi >= bands.fair {
        Grade::Fair
    } else if score_centi >= bands.average {
        Grade::Average
    } else {
        Grade::Weak
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rulebook_example_and_the_caps() {
        // 6 × 0.85 ÷ 0.9 = 5.666… → 5.67.
        assert_eq!(score(6, 85, 100, 90), Ok(Some(567)));
        assert_eq!(score(20, 95, 100, 100), Ok(Some(1900)));
        // Above the threshold: the maximum, never more.
        assert_eq!(score(12, 60, 100, 50), Ok(Some(1200)));
        assert_eq!(score(10, 5, 3, 100), Ok(Some(1000)));
        assert_eq!(score(22, 0, 7, 100), Ok(Some(0)));
        assert_eq!(score(18, 1, 0, 90), Ok(None));
        // Half up: 1 × 1/8 = 0.125 → 0.13; 1 × 1/400 = 0.0025 → 0.00 (0.25 hundredths).
        assert_eq!(score(1, 1, 8, 100), Ok(Some(13)));
        assert_eq!(score(1, 1, 400, 100), Ok(Some(0)));
        assert_eq!(score(1, 1, 200, 100), Ok(Some(1)));
        assert_eq!(score(6, 1, 1, 0), Err(KpiError::Threshold));
        assert_eq!(score(6, 1, 1, 101), Err(KpiError::Threshold));
        assert_eq!(score(101, 1, 1, 100), Err(KpiError::Max));
        // Huge counts do not overflow.
        assert_eq!(score(100, u64::MAX, u64::MAX, 100), Ok(Some(10_000)));
        assert_eq!(score(100, 1, u64::MAX, 1), Ok(Some(0)));
    }

    #[test]
    fn grades_at_each_edge() {
        let b = Bands::default();
        for (s, g, c) in [
            (10_000, Grade::Excellent, Colour::Green),
            (9_000, Grade::Excellent, Colour::Green),
            (8_999, Grade::Good, Colour::Blue),
            (8_000, Grade::Good, Colour::Blue),
            (7_999, Grade::Fair, Colour::Yellow),
            (7_000, Grade::Fair, Colour::Yellow),
            (6_999, Grade::Average, Colour::Orange),
            (5_000, Grade::Average, Colour::Orange),
            (4_999, Grade::Weak, Colour::Red),
            (0, Grade::Weak, Colour::Red),
        ] {
            assert_eq!(grade(s, b).map(|g| (g, g.colour())), Ok((g, c)), "{s}");
        }
        assert_eq!(grade(10_001, b), Err(KpiError::Total));
        let custom = Bands {
            excellent: 9_500,
            good: 8_500,
            fair: 7_500,
            average: 6_000,
        };
        assert_eq!(grade(9_000, custom), Ok(Grade::Good));
        let wrong = Bands {
            good: 9_500,
            ..Bands::default()
        };
        assert_eq!(grade(9_000, wrong), Err(KpiError::Bands));
    }

    #[test]
    fn rates() {
        assert_eq!(rate_basis_points(1, 3), Some(3_333));
        assert_eq!(rate_basis_points(2, 3), Some(6_667));
        assert_eq!(rate_basis_points(0, 0), None);
    }
}
