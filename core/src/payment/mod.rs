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

use crate::Coded;
use crate::dossier::Status;

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

/// Whether `given` (hex, either case) is the signature that `digest` makes with one of
/// `secrets`. `given` is decoded once; every secret is tried and each comparison runs in
/// constant time, so the time tells neither where a forgery differs nor which secret matched
/// (W1, W9).
#[must_use]
pub fn signed_by_any(given: &str, secrets: &[&str], digest: impl Fn(&str) -> Vec<u8>) -> bool {
    let Some(given) = unhex(given) else {
        return false;
    };
    secrets.iter().fold(false, |ok, secret| {
        bool::from(given.as_slice().ct_eq(&digest(secret))) | ok
    })
}

/// The bytes of hex text (either case); `None` for anything else.
fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Why a dossier cannot be paid now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unpayable {
    /// Its fees are already paid (online or at the desk).
    #[error("already paid")]
    AlreadyPaid,
    /// It is a draft or closed.
    #[error("not payable in its status")]
    Closed,
    /// Nothing is due.
    #[error("nothing to pay")]
    NothingDue,
}

impl Coded for Unpayable {
    fn code(&self) -> &'static str {
        match self {
            Self::AlreadyPaid => "ALREADY_PAID",
            Self::Closed => "NOT_PAYABLE",
            Self::NothingDue => "NOTHING_TO_PAY",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::AlreadyPaid => "Hồ sơ đã nộp phí, lệ phí (trực tuyến hoặc tại quầy).",
            Self::Closed => "Hồ sơ đã kết thúc, không thể thanh toán.",
            Self::NothingDue => "Hồ sơ này không phải nộp phí, lệ phí.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::AlreadyPaid => {
                "The fees of this dossier are already paid (online or at the desk)."
            }
            Self::Closed => "This dossier is closed and cannot be paid.",
            Self::NothingDue => "Nothing is due for this dossier.",
        }
    }
}

/// What a dossier owes: the amount asked for when payment was requested, else the quote made at
/// submission (online reductions applied). The portal shows it; the server charges it.
#[must_use]
pub fn amount_due(asked: Option<i64>, quoted: Option<i64>) -> i64 {
    asked.or(quoted).unwrap_or(0)
}

/// Whether a dossier in `status`, `paid` or not, owing `due` đồng, can be paid now: filed and
/// not closed, not paid, something due. The portal shows its "pay" button by the same rule the
/// server applies when a payment starts (and when a specialist asks for payment).
///
/// # Errors
/// The first reason it cannot, in that order.
pub fn payable(status: Status, paid: bool, due: i64) -> Result<(), Unpayable> {
    if paid {
        return Err(Unpayable::AlreadyPaid);
    }
    if status == Status::Draft || status.is_terminal() {
        return Err(Unpayable::Closed);
    }
    if due <= 0 {
        return Err(Unpayable::NothingDue);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_comparison_ignores_case_and_refuses_junk() {
        let digest = |_: &str| vec![0xab, 0x01];
        assert_eq!(hex(&[0xab, 0x01]), "ab01");
        assert!(signed_by_any("AB01", &["s"], digest));
        assert!(signed_by_any("ab01", &["x", "s"], digest));
        assert!(!signed_by_any("ab02", &["s"], digest));
        assert!(!signed_by_any("ab0", &["s"], digest));
        assert!(!signed_by_any("zz01", &["s"], digest));
        assert!(!signed_by_any("", &["s"], |_| vec![0xab]));
        assert!(!signed_by_any("ab01", &[], digest));
    }

    #[test]
    fn payable_in_the_order_the_server_answers() {
        assert_eq!(payable(Status::AwaitingPayment, false, 10_000), Ok(()));
        assert_eq!(payable(Status::Submitted, false, 10_000), Ok(()));
        assert_eq!(
            payable(Status::Returned, true, 10_000),
            Err(Unpayable::AlreadyPaid)
        );
        assert_eq!(
            payable(Status::Withdrawn, false, 10_000),
            Err(Unpayable::Closed)
        );
        assert_eq!(
            payable(Status::Draft, false, 10_000),
            Err(Unpayable::Closed)
        );
        assert_eq!(
            payable(Status::Processing, false, 0),
            Err(Unpayable::NothingDue)
        );
    }
}
