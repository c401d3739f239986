//! Online payment (rulebook §6): the signatures of the two gateway protocols and the decision on a
//! gateway's callback, as pure functions, so that the server, a phone and a test agree on what a
//! valid callback is. The API stores, the core decides.
//!
//! Comparisons of signatures run in constant time (SECURITY.md W1); every function that checks one
//! takes the list of secrets accepted at the moment, so a secret can be rotated with the old and
//! the new one both valid for a while (W9).

pub mod platform;
pub mod vnpay;
pub mod words;

use subtle::ConstantTimeEq;

/// The answer to a gateway's callback, in the codes both protocols share (VNPay's IPN codes; the
/// national platform's confirm answers with the same set, plus `98` for a stale timestamp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackCode {
    /// `00`: accepted (paid, or a failure acknowledged).
    Ok,
    /// `01`: no order has this reference (or it is another merchant's).
    OrderNotFound,
    /// `02`: the order was already confirmed; nothing changes.
    AlreadyConfirmed,
    /// `04`: the amount (or currency) is not the order's.
    InvalidAmount,
    /// `97`: the signature is missing or wrong.
    InvalidSignature,
    /// `98`: the signed timestamp is too old or in the future (W3).
    Expired,
    /// `99`: anything else (a malformed message).
    Other,
}

impl CallbackCode {
    /// The protocol's two-digit code.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "00",
            Self::OrderNotFound => "01",
            Self::AlreadyConfirmed => "02",
            Self::InvalidAmount => "04",
            Self::InvalidSignature => "97",
            Self::Expired => "98",
            Self::Other => "99",
        }
    }

    /// The message the gateway receives with the code (English, as the gateways expect).
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::Ok => "Confirm Success",
            Self::OrderNotFound => "Order not found",
            Self::AlreadyConfirmed => "Order already confirmed",
            Self::InvalidAmount => "Invalid amount",
            Self::InvalidSignature => "Invalid signature",
            Self::Expired => "Expired request",
            Self::Other => "Unknown error",
        }
    }
}

/// What the server knows of the order a callback names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct OrderState {
    /// The amount asked for, in VND.
    pub amount: i64,
    /// Whether it is already paid.
    pub confirmed: bool,
}

/// The decision on a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The code to answer with.
    pub code: CallbackCode,
    /// Whether the order is now paid (only with [`CallbackCode::Ok`] and a success status).
    pub paid: bool,
}

/// Lower-case hex of `bytes`.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Whether `given` (hex, either case) is the hex of `expected`, in time that does not depend on
/// where they differ.
#[must_use]
pub fn hex_equals(given: &str, expected: &[u8]) -> bool {
    let given = given.as_bytes();
    if given.len() != expected.len() * 2 {
        return false;
    }
    let mut decoded = Vec::with_capacity(expected.len());
    for pair in given.chunks_exact(2) {
        let [hi, lo] = pair else {
            return false;
        };
        let (Some(hi), Some(lo)) = (nibble(*hi), nibble(*lo)) else {
            return false;
        };
        decoded.push(hi << 4 | lo);
    }
    bool::from(decoded.as_slice().ct_eq(expected))
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether a dossier in `status` may still be paid (anything filed and not closed).
#[must_use]
pub fn payable(status: crate::dossier::Status) -> bool {
    status != crate::dossier::Status::Draft && !status.is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_comparison_ignores_case_and_refuses_junk() {
        assert_eq!(hex(&[0xab, 0x01]), "ab01");
        assert!(hex_equals("AB01", &[0xab, 0x01]));
        assert!(hex_equals("ab01", &[0xab, 0x01]));
        assert!(!hex_equals("ab02", &[0xab, 0x01]));
        assert!(!hex_equals("ab0", &[0xab, 0x01]));
        assert!(!hex_equals("zz01", &[0xab, 0x01]));
        assert!(!hex_equals("", &[0xab]));
    }
}
