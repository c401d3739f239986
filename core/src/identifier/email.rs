//! E-mail addresses, checked only as far as the rulebook asks: the mail server has the last word.

use super::{IdError, identifier_newtype, trimmed};

/// A plausible e-mail address: the local part as typed, the domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an e-mail address.
    ///
    /// # Errors
    /// `EMPTY`, or `FORMAT` for every other failure.
    pub fn parse(value: &str) -> Result<Self, IdError> {
        let value = trimmed(value)?;
        if value.chars().any(char::is_whitespace) {
            return Err(IdError::Format);
        }
        let mut parts = value.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(IdError::Format);
        };
        // Not `str::contains`: see `text::contains`.
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !crate::text::contains(domain, "..");
        if local.is_empty() || !domain_ok {
            return Err(IdError::Format);
        }
        // Written without the formatting machinery, and lower-cased only when there is something
        // to lower: every form with an e-mail field checks it on every keystroke, and on a phone
        // the first check compiled both (the Unicode case mapping alone is 4 KB of code).
        let mut address = String::with_capacity(value.len());
        address.push_str(local);
        address.push('@');
        if domain
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            address.push_str(domain);
        } else {
            address.push_str(&domain.to_lowercase());
        }
        Ok(Self(address))
    }
}

identifier_newtype!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_is_lower_cased_and_the_local_part_kept() {
        assert_eq!(
            Email::parse(" Nguyen.Van.A@Example.GOV.vn ")
                .unwrap()
                .as_str(),
            "Nguyen.Van.A@example.gov.vn"
        );
        assert_eq!(Email::parse("A@b.vn").unwrap().as_str(), "A@b.vn");
        assert_eq!(
            Email::parse("a@ĐẠI-HỌC.vn").unwrap().as_str(),
            "a@đại-học.vn"
        );
        assert_eq!(Email::parse("a@đẠi.vn").unwrap().as_str(), "a@đại.vn");
    }

    #[test]
    fn malformed_addresses_are_format_errors() {
        for v in [
            "a@b", "@b.vn", "a@@b.vn", "a@.b.vn", "a@b.vn.", "a@b..vn", "a b@c.vn", "ab.vn",
        ] {
            assert_eq!(Email::parse(v), Err(IdError::Format), "{v}");
        }
    }
}
