//! The national payment platform's protocol (PayGov-style, rulebook §6): every message is signed
//! with `hex(SHA-256(fields joined by "|" + "|" + secret))`, the fields in the protocol's order.
//!
//! The messages (documented in `docs/payments.md`):
//! - `INIT`: merchant, order, amount, description, return URL, notify URL, timestamp;
//! - `CONFIRM` (platform → merchant): merchant, order, amount, transaction, state, timestamp;
//! - `RECEIPT` (the merchant's answer to a confirm): merchant, order, code, receipt number;
//! - `QUERY`: merchant, order, timestamp; answered as `QUERY_RESULT` with the confirm's fields.
//!
//! States: `1` success, `3` pending, `4` failed. Timestamps are Unix seconds and are refused when
//! more than [`MAX_SKEW_SECS`] away from the receiver's clock (SECURITY.md W3).

use sha2::{Digest, Sha256};

use super::{CallbackCode, Decision, OrderState, hex, signed_by_any};

/// How far a signed timestamp may be from the receiver's clock.
pub const MAX_SKEW_SECS: i64 = 300;

/// A transaction's state on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// `1`.
    Success,
    /// `3`.
    Pending,
    /// `4`.
    Failed,
}

impl State {
    /// The protocol's digit.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "1",
            Self::Pending => "3",
            Self::Failed => "4",
        }
    }

    /// The state a digit names.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "1" => Some(Self::Success),
            "3" => Some(Self::Pending),
            "4" => Some(Self::Failed),
            _ => None,
        }
    }
}

fn digest(fields: &[&str], secret: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    for f in fields {
        h.update(f.as_bytes());
        h.update(b"|");
    }
    h.update(secret.as_bytes());
    h.finalize().to_vec()
}

/// Lower-case hex of SHA-256 over the fields joined by `|`, then `|`, then the secret.
#[must_use]
pub fn sign(fields: &[&str], secret: &str) -> String {
    hex(&digest(fields, secret))
}

/// Whether `hash` signs `fields` with one of `secrets` (constant-time per secret; W1, W9).
#[must_use]
pub fn verify(fields: &[&str], hash: &str, secrets: &[&str]) -> bool {
    signed_by_any(hash, secrets, |s| digest(fields, s))
}

/// A `CONFIRM` (or `QUERY_RESULT`) message as received.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Confirm {
    /// The merchant code.
    pub merchant: String,
    /// The merchant's order reference.
    pub order: String,
    /// The amount in VND, as digits.
    pub amount: String,
    /// The platform's transaction id.
    pub transaction: String,
    /// `1`, `3` or `4`.
    pub state: String,
    /// Unix seconds, as digits.
    pub timestamp: String,
    /// The signature.
    pub hash: String,
}

impl Confirm {
    /// The signed fields, with the message name first (`CONFIRM` or `QUERY_RESULT`).
    #[must_use]
    pub fn fields<'a>(&'a self, name: &'a str) -> [&'a str; 7] {
        [
            name,
            &self.merchant,
            &self.order,
            &self.amount,
            &self.transaction,
            &self.state,
            &self.timestamp,
        ]
    }
}

/// An `INIT` (merchant → platform): starts a payment page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Init {
    /// The merchant code.
    pub merchant: String,
    /// The merchant's order reference.
    pub order: String,
    /// The amount in VND, as digits.
    pub amount: String,
    /// What is paid for.
    pub description: String,
    /// Where the browser comes back.
    pub return_url: String,
    /// Where the platform sends its `CONFIRM`.
    pub notify_url: String,
    /// Unix seconds, as digits.
    pub timestamp: String,
    /// The signature.
    pub hash: String,
}

impl Init {
    /// The signed fields.
    #[must_use]
    pub fn fields(&self) -> [&str; 8] {
        [
            "INIT",
            &self.merchant,
            &self.order,
            &self.amount,
            &self.description,
            &self.return_url,
            &self.notify_url,
            &self.timestamp,
        ]
    }
}

/// The platform's answer to an `INIT`: `00` and the payment page, or a refusal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct InitResult {
    /// `00`, or why not.
    pub code: String,
    /// The payment page.
    pub payment_url: String,
    /// The signature over `INIT_RESULT`, the merchant, the order, the code and the URL.
    pub hash: String,
}

impl InitResult {
    /// The signed fields, for the `merchant`'s `order`.
    #[must_use]
    pub fn fields<'a>(&'a self, merchant: &'a str, order: &'a str) -> [&'a str; 5] {
        [
            "INIT_RESULT",
            merchant,
            order,
            &self.code,
            &self.payment_url,
        ]
    }
}

/// A `QUERY` (merchant → platform), answered with a [`Confirm`] signed as `QUERY_RESULT`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Query {
    /// The merchant code.
    pub merchant: String,
    /// The order reference.
    pub order: String,
    /// Unix seconds, as digits.
    pub timestamp: String,
    /// The signature.
    pub hash: String,
}

impl Query {
    /// The signed fields.
    #[must_use]
    pub fn fields(&self) -> [&str; 4] {
        ["QUERY", &self.merchant, &self.order, &self.timestamp]
    }
}

/// The merchant's answer to a `CONFIRM`: the code and, once accepted, the receipt number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Receipt {
    /// The callback code (`00`, `02`, …).
    pub code: String,
    /// Its message.
    pub message: String,
    /// The order.
    pub order: String,
    /// The receipt number, when there is one.
    pub receipt: String,
    /// The signature over `RECEIPT`, the merchant, the order, the code and the receipt.
    pub hash: String,
}

impl Receipt {
    /// The answer to `merchant`'s `order`, signed with `secret`.
    #[must_use]
    pub fn signed(
        code: CallbackCode,
        merchant: &str,
        order: &str,
        receipt: &str,
        secret: &str,
    ) -> Self {
        let mut r = Self {
            code: code.as_str().to_owned(),
            message: code.message().to_owned(),
            order: order.to_owned(),
            receipt: receipt.to_owned(),
            hash: String::new(),
        };
        r.hash = sign(&r.fields(merchant), secret);
        r
    }

    /// The signed fields, for `merchant`.
    #[must_use]
    pub fn fields<'a>(&'a self, merchant: &'a str) -> [&'a str; 5] {
        ["RECEIPT", merchant, &self.order, &self.code, &self.receipt]
    }
}

/// The decision on a `CONFIRM` named `name` (or a `QUERY_RESULT`), in the order of the VNPay
/// IPN: signature `97`, timestamp `98`, merchant or order `01`, amount `04`, already confirmed
/// `02`, else `00`; paid only in state `1`.
#[must_use]
pub fn decide_confirm(
    msg: &Confirm,
    name: &str,
    secrets: &[&str],
    merchant: &str,
    order: Option<OrderState>,
    now: i64,
) -> Decision {
    let refuse = |code| Decision { code, paid: false };
    if !verify(&msg.fields(name), &msg.hash, secrets) {
        return refuse(CallbackCode::InvalidSignature);
    }
    let fresh = msg
        .timestamp
        .parse::<i64>()
        .is_ok_and(|t| (now - t).abs() <= MAX_SKEW_SECS);
    if !fresh {
        return refuse(CallbackCode::Expired);
    }
    let Some(order) = order.filter(|_| msg.merchant == merchant && !msg.order.is_empty()) else {
        return refuse(CallbackCode::OrderNotFound);
    };
    let digits = !msg.amount.is_empty() && msg.amount.bytes().all(|b| b.is_ascii_digit());
    if !digits || msg.amount.parse::<i64>().ok() != Some(order.amount) {
        return refuse(CallbackCode::InvalidAmount);
    }
    let Some(state) = State::parse(&msg.state) else {
        return refuse(CallbackCode::Other);
    };
    if order.confirmed {
        return refuse(CallbackCode::AlreadyConfirmed);
    }
    Decision {
        code: CallbackCode::Ok,
        paid: state == State::Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confirm(secret: &str, amount: &str, state: &str, timestamp: i64) -> Confirm {
        let mut c = Confirm {
            merchant: "M".to_owned(),
            order: "O1".to_owned(),
            amount: amount.to_owned(),
            transaction: "T1".to_owned(),
            state: state.to_owned(),
            timestamp: timestamp.to_string(),
            hash: String::new(),
        };
        c.hash = sign(&c.fields("CONFIRM"), secret);
        c
    }

    const OPEN: Option<OrderState> = Some(OrderState {
        amount: 20_000,
        confirmed: false,
    });

    #[test]
    fn signs_the_joined_fields_and_the_secret() {
        // printf 'a|b|s' | sha256sum
        assert_eq!(
            sign(&["a", "b"], "s"),
            "5202900e77742085752962a465278203238c089356902008e521aeea98dd05de"
        );
        assert!(verify(
            &["a", "b"],
            &sign(&["a", "b"], "s").to_uppercase(),
            &["x", "s"]
        ));
        assert!(!verify(&["a", "b"], &sign(&["a", "b"], "s"), &["x"]));
    }

    #[test]
    fn decides_a_confirm() {
        let now = 1_800_000_000;
        let d = |c: &Confirm, o| decide_confirm(c, "CONFIRM", &["s"], "M", o, now);
        assert!(d(&confirm("s", "20000", "1", now), OPEN).paid);
        assert_eq!(
            d(&confirm("t", "20000", "1", now), OPEN).code,
            CallbackCode::InvalidSignature
        );
        // W3: a signed timestamp older than 300 s.
        assert_eq!(
            d(&confirm("s", "20000", "1", now - 301), OPEN).code,
            CallbackCode::Expired
        );
        assert!(d(&confirm("s", "20000", "1", now - 300), OPEN).paid);
        assert_eq!(
            d(&confirm("s", "20001", "1", now), OPEN).code,
            CallbackCode::InvalidAmount
        );
        assert_eq!(
            d(&confirm("s", "20000", "1", now), None).code,
            CallbackCode::OrderNotFound
        );
        let pending = d(&confirm("s", "20000", "3", now), OPEN);
        assert_eq!((pending.code, pending.paid), (CallbackCode::Ok, false));
        let done = Some(OrderState {
            amount: 20_000,
            confirmed: true,
        });
        assert_eq!(
            d(&confirm("s", "20000", "1", now), done).code,
            CallbackCode::AlreadyConfirmed
        );
        let other = decide_confirm(
            &confirm("s", "20000", "1", now),
            "CONFIRM",
            &["s"],
            "N",
            OPEN,
            now,
        );
        assert_eq!(other.code, CallbackCode::OrderNotFound);
    }
}
