//! Vietnamese identifiers (rulebook section 4): parse once, carry the normalized value afterwards.
//!
//! Every check trims surrounding white space, reports the first failing check in the rulebook's
//! order (`EMPTY`, `FORMAT`, then the kind's own checks) and, when valid, yields the normalized
//! form that the rest of the system stores and compares.

mod cccd;
mod cmnd;
mod email;
mod mst;
mod phone;

pub use cccd::{Cccd, CccdContext, Gender};
pub use cmnd::Cmnd;
pub use email::Email;
pub use mst::Mst;
pub use phone::{Phone, PhoneKind};

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::error::Coded;

/// Why an identifier is not valid. The variants are the rulebook's stable codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Nothing but white space.
    #[error("EMPTY")]
    Empty,
    /// Wrong characters or shape.
    #[error("FORMAT")]
    Format,
    /// Wrong number of digits.
    #[error("LENGTH")]
    Length,
    /// The check digit does not match.
    #[error("CHECKSUM")]
    Checksum,
    /// Unknown province code.
    #[error("PROVINCE")]
    Province,
    /// Unknown century/gender digit.
    #[error("CENTURY")]
    Century,
    /// A number prefix that is not (or no longer) allocated.
    #[error("PREFIX")]
    Prefix,
    /// The identifier contradicts the birth date or gender given with it.
    #[error("MISMATCH")]
    Mismatch,
}

impl Coded for IdError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "EMPTY",
            Self::Format => "FORMAT",
            Self::Length => "LENGTH",
            Self::Checksum => "CHECKSUM",
            Self::Province => "PROVINCE",
            Self::Century => "CENTURY",
            Self::Prefix => "PREFIX",
            Self::Mismatch => "MISMATCH",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::Empty => "Chưa nhập giá trị.",
            Self::Format => "Giá trị có ký tự hoặc định dạng không hợp lệ.",
            Self::Length => "Số chữ số không đúng.",
            Self::Checksum => "Chữ số kiểm tra không khớp; vui lòng kiểm tra lại từng chữ số.",
            Self::Province => "Mã tỉnh, thành phố nơi đăng ký khai sinh không tồn tại.",
            Self::Century => "Mã thế kỷ và giới tính không hợp lệ.",
            Self::Prefix => "Đầu số không hợp lệ hoặc không còn được sử dụng.",
            Self::Mismatch => "Số định danh không khớp với năm sinh hoặc giới tính đã khai.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::Empty => "No value was entered.",
            Self::Format => "The value has invalid characters or an invalid shape.",
            Self::Length => "The number of digits is wrong.",
            Self::Checksum => "The check digit does not match; please check each digit.",
            Self::Province => "The birth-registration province code does not exist.",
            Self::Century => "The century and gender digit is not valid.",
            Self::Prefix => "The number prefix is not valid or no longer in use.",
            Self::Mismatch => "The ID number does not match the birth year or gender given.",
        }
    }
}

/// The kinds of identifier the rulebook defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum IdKind {
    /// Căn cước / personal identification number (12 digits).
    Cccd,
    /// Old identity card (9 digits).
    Cmnd,
    /// Tax code (10 or 13 digits, or a 12-digit personal ID).
    Mst,
    /// Vietnamese phone number.
    Phone,
    /// E-mail address.
    Email,
}

impl IdKind {
    /// The wire name (`CCCD`, `CMND`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cccd => "CCCD",
            Self::Cmnd => "CMND",
            Self::Mst => "MST",
            Self::Phone => "PHONE",
            Self::Email => "EMAIL",
        }
    }
}

/// The wire name of an identifier kind was not one of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown identifier kind")]
pub struct UnknownKind;

impl FromStr for IdKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "CCCD" => Ok(Self::Cccd),
            "CMND" => Ok(Self::Cmnd),
            "MST" => Ok(Self::Mst),
            "PHONE" => Ok(Self::Phone),
            "EMAIL" => Ok(Self::Email),
            _ => Err(UnknownKind),
        }
    }
}

/// Checks `value` as an identifier of `kind` and returns its normalized form.
///
/// `context` (birth date, gender) applies to `CCCD` only, as the rulebook says; other kinds ignore
/// it.
///
/// # Errors
/// The first failing check, in the rulebook's order.
pub fn validate(kind: IdKind, value: &str, context: &CccdContext) -> Result<String, IdError> {
    Ok(match kind {
        IdKind::Cccd => Cccd::parse_with(value, context)?.into_string(),
        IdKind::Cmnd => Cmnd::parse(value)?.into_string(),
        IdKind::Mst => Mst::parse(value)?.into_string(),
        IdKind::Phone => Phone::parse(value)?.into_string(),
        IdKind::Email => Email::parse(value)?.into_string(),
    })
}

/// An identifier (personal ID, tax code, old ID) with all but its first three and last three
/// characters hidden (`001******345`), for lists and screens where the full number is not needed
/// (SECURITY.md G5). Seven characters or fewer are hidden whole.
#[must_use]
pub fn masked(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars.iter().take(3).collect();
    let tail: String = chars.iter().skip(chars.len() - 3).collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 6))
}

/// Trims the value and rejects an empty result: the first check of every kind.
fn trimmed(value: &str) -> Result<&str, IdError> {
    let value = value.trim();
    if value.is_empty() {
        Err(IdError::Empty)
    } else {
        Ok(value)
    }
}

/// Implements the accessors every identifier newtype shares.
macro_rules! identifier_newtype {
    ($name:ident) => {
        impl $name {
            /// The normalized form.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The normalized form, owned.
            #[must_use]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}
use identifier_newtype;
