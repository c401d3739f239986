//! The VNPay-style gateway, version 2.1.0: the canonical query string that is signed, its
//! HMAC-SHA512 signature, and the decision on an IPN call (`../shared/vectors-v2/README.md`).

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::Sha512;

use super::{CallbackCode, Decision, OrderState, hex, signed_by_any};

/// The parameter carrying the signature.
pub const SECURE_HASH: &str = "vnp_SecureHash";
/// The parameter naming the hash type (never signed).
pub const SECURE_HASH_TYPE: &str = "vnp_SecureHashType";

/// Percent-encodes as PHP's `urlencode`, which the gateway's reference code signs with: ASCII
/// letters, digits and `-_.` stay, a space becomes `+`, every other byte `%XX` (upper case).
#[must_use]
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                use std::fmt::Write as _;
                // Writing to a String cannot fail.
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// The string that is signed: the non-empty `vnp_*` parameters but the hash ones, sorted by byte
/// order, as `enc(key)=enc(value)` joined with `&`. It is also the query string of a payment URL.
#[must_use]
pub fn canonical<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let signed: BTreeMap<&str, &str> = params
        .into_iter()
        .filter(|(k, v)| {
            k.starts_with("vnp_") && *k != SECURE_HASH && *k != SECURE_HASH_TYPE && !v.is_empty()
        })
        .collect();
    let mut out = String::new();
    for (k, v) in signed {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&urlencode(k));
        out.push('=');
        out.push_str(&urlencode(v));
    }
    out
}

fn mac(secret: &str, data: &str) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Lower-case hex of HMAC-SHA512(`secret`, `data`).
#[must_use]
pub fn sign(secret: &str, data: &str) -> String {
    hex(&mac(secret, data))
}

/// The canonical string of `params` and its signature.
#[must_use]
pub fn sign_params<'a, I>(params: I, secret: &str) -> (String, String)
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let data = canonical(params);
    let hash = sign(secret, &data);
    (data, hash)
}

/// Whether `params` carry a `vnp_SecureHash` made with one of `secrets` (constant-time per secret).
#[must_use]
pub fn verify(params: &BTreeMap<String, String>, secrets: &[&str]) -> bool {
    let Some(given) = params.get(SECURE_HASH) else {
        return false;
    };
    let data = canonical(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    signed_by_any(given, secrets, |s| mac(s, &data))
}

/// The decision on an IPN call, in the contract's order: signature (`97`), order (`01`), amount
/// (`04`), already confirmed (`02`), else `00`; paid only when the gateway reports success.
#[must_use]
pub fn decide_ipn(
    params: &BTreeMap<String, String>,
    secrets: &[&str],
    order: Option<OrderState>,
) -> Decision {
    let refuse = |code| Decision { code, paid: false };
    if !verify(params, secrets) {
        return refuse(CallbackCode::InvalidSignature);
    }
    let reference = params.get("vnp_TxnRef").map_or("", String::as_str);
    let Some(order) = order.filter(|_| !reference.is_empty()) else {
        return refuse(CallbackCode::OrderNotFound);
    };
    if !amount_matches(params.get("vnp_Amount").map(String::as_str), order.amount) {
        return refuse(CallbackCode::InvalidAmount);
    }
    if order.confirmed {
        return refuse(CallbackCode::AlreadyConfirmed);
    }
    let success = |key: &str| params.get(key).is_some_and(|v| v == "00");
    Decision {
        code: CallbackCode::Ok,
        paid: success("vnp_ResponseCode") && success("vnp_TransactionStatus"),
    }
}

/// Whether `given` (the gateway's amount, in hundredths of a đồng) is `amount` đồng.
fn amount_matches(given: Option<&str>, amount: i64) -> bool {
    let Some(given) = given.filter(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    else {
        return false;
    };
    let (Ok(given), Ok(amount)) = (given.parse::<u128>(), u128::try_from(amount)) else {
        return false;
    };
    given == amount * 100
}

/// Lower-case hex of HMAC-SHA512 over the fields joined by `|`: how the gateway's JSON API
/// (`querydr`, `refund`) signs requests and answers.
#[must_use]
pub fn sign_pipe(fields: &[&str], secret: &str) -> String {
    sign(secret, &fields.join("|"))
}

/// The fields of a `querydr` answer that its `vnp_SecureHash` signs, in the protocol's order.
pub const QUERY_RESPONSE_FIELDS: [&str; 15] = [
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
];

/// The fields of a `querydr` request that its `vnp_SecureHash` signs, in the protocol's order.
pub const QUERY_REQUEST_FIELDS: [&str; 9] = [
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
];

/// The `|`-joined values of `names` in `params` (a missing one is empty).
#[must_use]
pub fn pipe_fields<'a>(params: &'a BTreeMap<String, String>, names: &[&str]) -> Vec<&'a str> {
    names
        .iter()
        .map(|n| params.get(*n).map_or("", String::as_str))
        .collect()
}

/// Whether a JSON-API message's `vnp_SecureHash` signs `names` of it with one of `secrets`.
#[must_use]
pub fn verify_pipe(params: &BTreeMap<String, String>, names: &[&str], secrets: &[&str]) -> bool {
    let Some(given) = params.get(SECURE_HASH) else {
        return false;
    };
    let data = pipe_fields(params, names).join("|");
    signed_by_any(given, secrets, |s| mac(s, &data))
}

/// The decision on a `querydr` answer, like an IPN's: signature `97`, unknown transaction
/// (`vnp_ResponseCode` other than `00`, or no order) `01`, amount `04`, already confirmed `02`;
/// paid when the transaction status is `00`.
#[must_use]
pub fn decide_query(
    answer: &BTreeMap<String, String>,
    secrets: &[&str],
    order: Option<OrderState>,
) -> Decision {
    let refuse = |code| Decision { code, paid: false };
    if !verify_pipe(answer, &QUERY_RESPONSE_FIELDS, secrets) {
        return refuse(CallbackCode::InvalidSignature);
    }
    let found = answer.get("vnp_ResponseCode").is_some_and(|c| c == "00");
    let Some(order) = order.filter(|_| found) else {
        return refuse(CallbackCode::OrderNotFound);
    };
    if !amount_matches(answer.get("vnp_Amount").map(String::as_str), order.amount) {
        return refuse(CallbackCode::InvalidAmount);
    }
    if order.confirmed {
        return refuse(CallbackCode::AlreadyConfirmed);
    }
    Decision {
        code: CallbackCode::Ok,
        paid: answer
            .get("vnp_TransactionStatus")
            .is_some_and(|s| s == "00"),
    }
}

/// What the gateway reports in an IPN (what the simulator and the load tool send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipn<'a> {
    /// The merchant code.
    pub tmn_code: &'a str,
    /// The order reference.
    pub reference: &'a str,
    /// VND.
    pub amount: i64,
    /// The gateway's transaction number.
    pub transaction: &'a str,
    /// `yyyyMMddHHmmss`, Vietnam time.
    pub pay_date: &'a str,
    /// The order's description.
    pub info: &'a str,
    /// Paid (`00`/`00`) or cancelled (`24`/`02`).
    pub success: bool,
}

/// The parameters of `ipn`, signed with `secret`, as the gateway sends them.
#[must_use]
pub fn signed_ipn(ipn: &Ipn<'_>, secret: &str) -> BTreeMap<String, String> {
    let amount = amount_param(ipn.amount);
    let (code, status) = if ipn.success {
        ("00", "00")
    } else {
        ("24", "02")
    };
    let mut params: BTreeMap<String, String> = [
        ("vnp_TmnCode", ipn.tmn_code),
        ("vnp_Amount", amount.as_str()),
        ("vnp_BankCode", "NCB"),
        ("vnp_CardType", "ATM"),
        ("vnp_OrderInfo", ipn.info),
        ("vnp_PayDate", ipn.pay_date),
        ("vnp_ResponseCode", code),
        ("vnp_TransactionNo", ipn.transaction),
        ("vnp_TransactionStatus", status),
        ("vnp_TxnRef", ipn.reference),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let (_, hash) = sign_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())), secret);
    params.insert(SECURE_HASH.to_owned(), hash);
    params
}

/// The gateway's amount parameter for `amount` đồng (× 100, as the protocol wants).
#[must_use]
pub fn amount_param(amount: i64) -> String {
    (i128::from(amount) * 100).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn signed(pairs: &[(&str, &str)], secret: &str) -> BTreeMap<String, String> {
        let mut p = params(pairs);
        let (_, hash) = sign_params(pairs.iter().copied(), secret);
        p.insert(SECURE_HASH.to_owned(), hash);
        p
    }

    const PAID: &[(&str, &str)] = &[
        ("vnp_TxnRef", "A1"),
        ("vnp_Amount", "1000000"),
        ("vnp_ResponseCode", "00"),
        ("vnp_TransactionStatus", "00"),
        ("vnp_TmnCode", "M"),
    ];

    #[test]
    fn encodes_as_php_urlencode() {
        assert_eq!(urlencode("a b*~é-_."), "a+b%2A%7E%C3%A9-_.");
    }

    #[test]
    fn canonical_skips_empty_foreign_and_hash_keys() {
        let data = canonical([
            ("vnp_B", "2"),
            ("vnp_A", "1"),
            ("vnp_Empty", ""),
            ("other", "x"),
            (SECURE_HASH, "h"),
            (SECURE_HASH_TYPE, "HmacSHA512"),
        ]);
        assert_eq!(data, "vnp_A=1&vnp_B=2");
    }

    #[test]
    fn decides_in_the_contract_order() {
        let order = Some(OrderState {
            amount: 10_000,
            confirmed: false,
        });
        let ok = signed(PAID, "s");
        assert_eq!(
            decide_ipn(&ok, &["s"], order),
            Decision {
                code: CallbackCode::Ok,
                paid: true
            }
        );
        // W9: the old and the new secret are both accepted during a rotation.
        assert!(decide_ipn(&ok, &["new", "s"], order).paid);
        assert_eq!(
            decide_ipn(&ok, &["other"], order).code,
            CallbackCode::InvalidSignature
        );
        assert_eq!(
            decide_ipn(&ok, &["s"], None).code,
            CallbackCode::OrderNotFound
        );
        let wrong = Some(OrderState {
            amount: 10_001,
            confirmed: true,
        });
        assert_eq!(
            decide_ipn(&ok, &["s"], wrong).code,
            CallbackCode::InvalidAmount
        );
        let done = Some(OrderState {
            amount: 10_000,
            confirmed: true,
        });
        assert_eq!(
            decide_ipn(&ok, &["s"], done).code,
            CallbackCode::AlreadyConfirmed
        );
        let mut tampered = ok.clone();
        tampered.insert("vnp_Amount".to_owned(), "100".to_owned());
        assert_eq!(
            decide_ipn(&tampered, &["s"], order).code,
            CallbackCode::InvalidSignature
        );
    }

    #[test]
    fn a_failed_payment_is_acknowledged_but_not_paid() {
        let mut pairs = PAID.to_vec();
        pairs[2] = ("vnp_ResponseCode", "24");
        let order = Some(OrderState {
            amount: 10_000,
            confirmed: false,
        });
        let d = decide_ipn(&signed(&pairs, "s"), &["s"], order);
        assert_eq!((d.code, d.paid), (CallbackCode::Ok, false));
    }

    #[test]
    fn a_query_answer_is_verified_and_decided() {
        let mut answer = params(&[
            ("vnp_ResponseCode", "00"),
            ("vnp_TxnRef", "A1"),
            ("vnp_Amount", "1000000"),
            ("vnp_TransactionStatus", "00"),
        ]);
        let data: Vec<&str> = pipe_fields(&answer, &QUERY_RESPONSE_FIELDS);
        let hash = sign_pipe(&data, "s");
        answer.insert(SECURE_HASH.to_owned(), hash);
        let order = Some(OrderState {
            amount: 10_000,
            confirmed: false,
        });
        assert!(decide_query(&answer, &["s"], order).paid);
        assert_eq!(
            decide_query(&answer, &["t"], order).code,
            CallbackCode::InvalidSignature
        );
    }

    #[test]
    fn amounts_are_digits_times_one_hundred() {
        assert!(amount_matches(Some("1000000"), 10_000));
        assert!(!amount_matches(Some("+1000000"), 10_000));
        assert!(!amount_matches(Some(""), 0));
        assert!(!amount_matches(
            Some("99999999999999999999999999999999999999999"),
            1
        ));
        assert!(!amount_matches(None, 1));
        assert_eq!(amount_param(10_000), "1000000");
    }
}
