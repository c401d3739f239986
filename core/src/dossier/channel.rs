//! How a dossier was filed: the national channel codes (1 desk, 2 online, 3 postal) that the
//! fee quote, the processing time and the national portal all read.

use serde::{Deserialize, Serialize};

/// How the dossier was filed (national channel codes 1, 2, 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum Channel {
    /// 1: at the one-stop desk.
    InPerson,
    /// 2: online.
    Online,
    /// 3: through the public postal service.
    Postal,
}

impl Channel {
    /// Parses the wire name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "IN_PERSON" => Some(Self::InPerson),
            "ONLINE" => Some(Self::Online),
            "POSTAL" => Some(Self::Postal),
            _ => None,
        }
    }

    /// The wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InPerson => "IN_PERSON",
            Self::Online => "ONLINE",
            Self::Postal => "POSTAL",
        }
    }

    /// From the national channel code; an unknown code is `None` (stored rows only hold 1–3).
    #[must_use]
    pub fn from_national_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(Self::InPerson),
            2 => Some(Self::Online),
            3 => Some(Self::Postal),
            _ => None,
        }
    }

    /// The national channel code.
    #[must_use]
    pub fn national_code(self) -> u8 {
        match self {
            Self::InPerson => 1,
            Self::Online => 2,
            Self::Postal => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes_round_trip() {
        for c in [Channel::InPerson, Channel::Online, Channel::Postal] {
            assert_eq!(
                Channel::from_national_code(i64::from(c.national_code())),
                Some(c)
            );
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::from_national_code(0), None);
        assert_eq!(Channel::from_national_code(4), None);
    }
}
