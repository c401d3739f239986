//! The 12-digit personal identification number (căn cước / CCCD): `PPP G YY NNNNNN`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{IdError, identifier_newtype, trimmed};

/// Birth-registration province codes (rulebook section 4). They are not remapped after the 2025
/// merger of provinces: a number keeps the code of the province that registered the birth.
/// Sorted: looked up by binary search (a test keeps it so).
const PROVINCE_CODES: [&str; 63] = [
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
];

/// Gender as encoded by the century digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum Gender {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

/// What the applicant declared beside the number, cross-checked against it when present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CccdContext {
    /// Declared birth date.
    pub birth_date: Option<NaiveDate>,
    /// Declared gender.
    pub gender: Option<Gender>,
}

/// A valid 12-digit personal identification number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cccd(String);

impl Cccd {
    /// Parses a number without cross-checks.
    ///
    /// # Errors
    /// `EMPTY`, `FORMAT`, `LENGTH`, `PROVINCE` or `CENTURY`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        Self::parse_with(value, &CccdContext::default())
    }

    /// Parses a number and checks it against the declared birth date and gender.
    ///
    /// # Errors
    /// The first failing check: `EMPTY`, `FORMAT`, `LENGTH`, `PROVINCE`, `CENTURY`, `MISMATCH`.
    pub fn parse_with(value: &str, context: &CccdContext) -> Result<Self, IdError> {
        let value = trimmed(value)?;
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        if value.len() != 12 {
            return Err(IdError::Length);
        }
        let province = value.get(..3).ok_or(IdError::Length)?;
        if PROVINCE_CODES.binary_search(&province).is_err() {
            return Err(IdError::Province);
        }
        let cccd = Self(value.to_owned());
        let (year, gender) = cccd.birth().ok_or(IdError::Century)?;
        if context.birth_date.is_some_and(|d| d.year() != year)
            || context.gender.is_some_and(|g| g != gender)
        {
            return Err(IdError::Mismatch);
        }
        Ok(cccd)
    }

    /// The birth year and gender encoded in digits 4–6, or `None` for a century digit above 5.
    fn birth(&self) -> Option<(i32, Gender)> {
        let digit = |i: usize| {
            self.0
                .as_bytes()
                .get(i)
                .map(|b| i32::from(b.saturating_sub(b'0')))
        };
        let g = digit(3)?;
        let yy = digit(4)? * 10 + digit(5)?;
        if g > 5 {
            return None;
        }
        let gender = if g % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        };
        Some((1900 + (g / 2) * 100 + yy, gender))
    }

    /// The birth year encoded in the number.
    #[must_use]
    pub fn birth_year(&self) -> i32 {
        self.birth().map_or(0, |(y, _)| y)
    }

    /// The gender encoded in the number.
    #[must_use]
    pub fn gender(&self) -> Gender {
        self.birth().map_or(Gender::Male, |(_, g)| g)
    }

    /// The birth-registration province code (3 digits).
    #[must_use]
    pub fn province_code(&self) -> &str {
        self.0.get(..3).unwrap_or_default()
    }

    /// The number with all but the first three and last three digits hidden (`001******345`), for
    /// screens and logs where the full number is not needed.
    #[must_use]
    pub fn masked(&self) -> String {
        let head = self.0.get(..3).unwrap_or_default();
        let tail = self.0.get(9..).unwrap_or_default();
        format!("{head}******{tail}")
    }
}

identifier_newtype!(Cccd);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(PROVINCE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    fn ctx(birth: Option<&str>, gender: Option<Gender>) -> CccdContext {
        CccdContext {
            birth_date: birth.map(|b| b.parse().unwrap()),
            gender,
        }
    }

    #[test]
    fn a_hanoi_man_born_in_1999_is_valid() {
        let c =
            Cccd::parse_with("001099012345", &ctx(Some("1999-05-01"), Some(Gender::Male))).unwrap();
        assert_eq!(c.birth_year(), 1999);
        assert_eq!(c.gender(), Gender::Male);
        assert_eq!(c.masked(), "001******345");
    }

    #[test]
    fn century_digits_map_to_years_and_genders() {
        assert_eq!(Cccd::parse("079301000001").unwrap().birth_year(), 2001);
        assert_eq!(
            Cccd::parse("079301000001").unwrap().gender(),
            Gender::Female
        );
        assert_eq!(Cccd::parse("079450000001").unwrap().birth_year(), 2150);
        assert_eq!(Cccd::parse("079650000001"), Err(IdError::Century));
    }

    #[test]
    fn checks_come_in_the_rulebook_order() {
        assert_eq!(Cccd::parse("   "), Err(IdError::Empty));
        assert_eq!(Cccd::parse("0010990123x"), Err(IdError::Format));
        assert_eq!(Cccd::parse("00109901234"), Err(IdError::Length));
        assert_eq!(Cccd::parse("003699012345"), Err(IdError::Province));
        assert_eq!(Cccd::parse("001699012345"), Err(IdError::Century));
        assert_eq!(
            Cccd::parse_with("001199012345", &ctx(None, Some(Gender::Male))),
            Err(IdError::Mismatch)
        );
        assert_eq!(
            Cccd::parse_with("001099012345", &ctx(Some("2099-01-01"), None)),
            Err(IdError::Mismatch)
        );
    }
}
