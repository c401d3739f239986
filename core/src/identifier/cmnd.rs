//! The old 9-digit identity card (chứng minh nhân dân), still found on historical records.

use super::{IdError, identifier_newtype, trimmed};

/// A 9-digit CMND number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cmnd(String);

impl Cmnd {
    /// Parses a CMND: digits only (`FORMAT`), exactly 9 of them (`LENGTH`).
    ///
    /// # Errors
    /// `EMPTY`, `FORMAT` or `LENGTH`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let value = trimmed(value)?;
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        if value.len() != 9 {
            return Err(IdError::Length);
        }
        Ok(Self(value.to_owned()))
    }
}

identifier_newtype!(Cmnd);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_digits_are_a_cmnd() {
        assert_eq!(Cmnd::parse(" 012345678 ").unwrap().as_str(), "012345678");
    }

    #[test]
    fn letters_are_a_format_error_before_length() {
        assert_eq!(Cmnd::parse("12A"), Err(IdError::Format));
        assert_eq!(Cmnd::parse("12345678"), Err(IdError::Length));
    }
}
