//! Named string formats: the standard ones forms need, and Vietnamese identifiers.

use chrono::DateTime;

use crate::error::Coded;
use crate::identifier::{self, CccdContext, IdKind};

/// A format a string can be checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `YYYY-MM-DD`, a date that exists.
    Date,
    /// RFC 3339 date-time with an offset.
    DateTime,
    /// A Vietnamese identifier (`vn-cccd`, `vn-cmnd`, `vn-mst`, `vn-phone`, `vn-email`).
    Identifier(IdKind),
}

impl Format {
    /// The format of a name, if supported.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "date" => Self::Date,
            "date-time" => Self::DateTime,
            "vn-cccd" => Self::Identifier(IdKind::Cccd),
            "vn-cmnd" => Self::Identifier(IdKind::Cmnd),
            "vn-mst" => Self::Identifier(IdKind::Mst),
            "vn-phone" => Self::Identifier(IdKind::Phone),
            "vn-email" => Self::Identifier(IdKind::Email),
            _ => return None,
        })
    }

    /// Checks a string; on failure, the code and the Vietnamese and English messages.
    #[must_use]
    pub fn check(self, s: &str) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Self::Date => {
                let ok = crate::calendar::parse_iso_date(s).is_some();
                (!ok).then_some((
                    "FORMAT",
                    "không phải là ngày hợp lệ (YYYY-MM-DD).",
                    "is not a valid date (YYYY-MM-DD).",
                ))
            }
            Self::DateTime => DateTime::parse_from_rfc3339(s).is_err().then_some((
                "FORMAT",
                "không phải là thời điểm hợp lệ.",
                "is not a valid date and time.",
            )),
            Self::Identifier(kind) => identifier::validate(kind, s, &CccdContext::default())
                .err()
                .map(|e| (e.code(), e.message_vi(), e.message_en())),
        }
    }
}
