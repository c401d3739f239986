//! Vietnamese phone numbers: mobile numbers after the 2018 prefix conversion, and landlines.

use super::{IdError, identifier_newtype, trimmed};

/// Mobile prefixes in use (rulebook section 4).
/// 095 is not allocated. Sorted: looked up by binary search (a test keeps it so).
const MOBILE_PREFIXES: [&str; 36] = [
    "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059",
    "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087", "088",
    "089", "090", "091", "092", "093", "094", "096", "097", "098", "099",
];

/// Whether a number is a mobile or a landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// Di động (10 digits).
    Mobile,
    /// Cố định (11 digits, area code 02x).
    Landline,
}

/// A valid phone number in national form, digits only (`0912345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses a phone number written with spaces, dots, dashes, `+84` or `84`.
    ///
    /// # Errors
    /// `EMPTY`, `FORMAT`, `LENGTH` or `PREFIX`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let value = trimmed(value)?;
        let mut n: String = value
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if let Some(rest) = n.strip_prefix("+84") {
            n = format!("0{rest}");
        } else if n.starts_with("84") && matches!(n.len(), 11 | 12) {
            n.replace_range(..2, "0");
        }
        if !n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        if n.starts_with("02") {
            return if n.len() == 11 {
                Ok(Self(n))
            } else {
                Err(IdError::Length)
            };
        }
        if n.starts_with("01") {
            return Err(IdError::Prefix);
        }
        if n.len() != 10 {
            return Err(IdError::Length);
        }
        let prefix = n.get(..3).unwrap_or_default();
        if MOBILE_PREFIXES.binary_search(&prefix).is_ok() {
            Ok(Self(n))
        } else {
            Err(IdError::Prefix)
        }
    }

    /// Mobile or landline.
    #[must_use]
    pub fn kind(&self) -> PhoneKind {
        if self.0.starts_with("02") {
            PhoneKind::Landline
        } else {
            PhoneKind::Mobile
        }
    }
}

identifier_newtype!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(MOBILE_PREFIXES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn international_and_separated_forms_normalize_to_national_digits() {
        for v in [
            "0912345678",
            "+84 912 345 678",
            "84912345678",
            "091.234.5678",
            "0912-345-678",
        ] {
            assert_eq!(Phone::parse(v).unwrap().as_str(), "0912345678", "{v}");
        }
    }

    #[test]
    fn landlines_have_eleven_digits() {
        let p = Phone::parse("028 3829 1234").unwrap();
        assert_eq!(p.kind(), PhoneKind::Landline);
        assert_eq!(Phone::parse("0283829123"), Err(IdError::Length));
    }

    #[test]
    fn old_and_unallocated_prefixes_are_refused() {
        assert_eq!(Phone::parse("01234567890"), Err(IdError::Prefix));
        assert_eq!(Phone::parse("0951234567"), Err(IdError::Prefix));
        assert_eq!(Phone::parse("0312345678"), Err(IdError::Prefix));
        assert_eq!(Phone::parse("091234567"), Err(IdError::Length));
        assert_eq!(Phone::parse("(091)2345678"), Err(IdError::Format));
        assert_eq!(Phone::parse("912345678"), Err(IdError::Format));
    }
}
