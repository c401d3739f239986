//! Tax codes (mã số thuế): 10 digits with a check digit, 13-digit branches, and since 1 July 2025
//! the 12-digit personal ID of individuals and household businesses.

use super::{Cccd, IdError, identifier_newtype, trimmed};

/// Weights of the first nine digits in the check-digit formula.
const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// A valid tax code, normalized to `NNNNNNNNNN`, `NNNNNNNNNN-NNN` or a 12-digit personal ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mst(String);

impl Mst {
    /// Parses a tax code.
    ///
    /// # Errors
    /// In the rulebook's order: `EMPTY`; `FORMAT` (a non-digit other than a dash as the 11th of 14
    /// characters); `LENGTH` (not 10, 12 or 13 digits); for 12 digits the personal-ID checks;
    /// `FORMAT` for a `000` branch suffix; `CHECKSUM`.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let value = trimmed(value)?;
        let dashed = value.len() == 14 && value.as_bytes().get(10) == Some(&b'-');
        let digits: String = match (dashed, value.get(..10), value.get(11..)) {
            (true, Some(head), Some(branch)) => format!("{head}{branch}"),
            _ => value.to_owned(),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        match digits.len() {
            12 => return Ok(Self(Cccd::parse(&digits)?.into_string())),
            10 | 13 => {}
            _ => return Err(IdError::Length),
        }
        let (head, branch) = digits.split_at(10);
        if branch == "000" {
            return Err(IdError::Format);
        }
        if !check_digit_matches(head) {
            return Err(IdError::Checksum);
        }
        Ok(Self(if branch.is_empty() {
            head.to_owned()
        } else {
            format!("{head}-{branch}")
        }))
    }

    /// Whether this is a branch (13-digit) code.
    #[must_use]
    pub fn is_branch(&self) -> bool {
        self.0.len() == 14
    }
}

/// `N10 = 10 − (Σ Ni·Wi mod 11)`; a result of 10 is never issued.
fn check_digit_matches(head: &str) -> bool {
    let digits: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
    let Some((&last, first)) = digits.split_last() else {
        return false;
    };
    let sum: u32 = first.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    let expected = 10 - sum % 11;
    expected < 10 && expected == last
}

identifier_newtype!(Mst);

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid 10-digit code from nine digits, when one exists.
    fn with_check(nine: &str) -> Option<String> {
        (0..10)
            .map(|d| format!("{nine}{d}"))
            .find(|c| check_digit_matches(c))
    }

    #[test]
    fn a_computed_check_digit_is_accepted_in_every_written_form() {
        let code = with_check("010010008").unwrap();
        assert_eq!(Mst::parse(&code).unwrap().as_str(), code);
        let branch = format!("{code}-001");
        assert_eq!(Mst::parse(&branch).unwrap().as_str(), branch);
        assert_eq!(Mst::parse(&format!("{code}001")).unwrap().as_str(), branch);
        assert!(Mst::parse(&branch).unwrap().is_branch());
    }

    #[test]
    fn a_wrong_check_digit_or_branch_000_is_refused() {
        let code = with_check("010010008").unwrap();
        let last = code.as_bytes()[9] - b'0';
        let wrong = format!("{}{}", &code[..9], (last + 1) % 10);
        assert_eq!(Mst::parse(&wrong), Err(IdError::Checksum));
        assert_eq!(Mst::parse(&format!("{code}-000")), Err(IdError::Format));
    }

    #[test]
    fn dashes_anywhere_else_are_format_errors() {
        assert_eq!(Mst::parse("01001-00081"), Err(IdError::Format));
        assert_eq!(Mst::parse("0100100081-01"), Err(IdError::Format));
        assert_eq!(Mst::parse("01001000810"), Err(IdError::Length));
        assert_eq!(Mst::parse("0100-00081-001"), Err(IdError::Format));
    }

    #[test]
    fn a_personal_id_is_a_tax_code() {
        assert_eq!(Mst::parse("001099012345").unwrap().as_str(), "001099012345");
        assert_eq!(Mst::parse("003099012345"), Err(IdError::Province));
    }

    #[test]
    fn a_sum_divisible_by_eleven_has_no_valid_check_digit() {
        // 1·31 + 1·29 + … find nine digits whose weighted sum is a multiple of 11.
        let nine = (0..1_000_000_000u32)
            .step_by(7919)
            .map(|n| format!("{n:09}"))
            .find(|s| {
                s.bytes()
                    .zip(WEIGHTS)
                    .map(|(b, w)| u32::from(b - b'0') * w)
                    .sum::<u32>()
                    % 11
                    == 0
            })
            .unwrap();
        assert!(with_check(&nine).is_none());
    }
}
