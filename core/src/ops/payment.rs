//! `payment.vnpay.sign`, `payment.vnpay.ipn`, `payment.platform.sign` (contract v2) and
//! `money.in_words` (the project's).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{OpError, parse};
use crate::payment::{OrderState, platform, vnpay, words};

#[derive(Deserialize)]
struct VnpaySign {
    params: BTreeMap<String, String>,
    secret: String,
}

pub(super) fn vnpay_sign(input: &Value) -> Result<Value, OpError> {
    let input: VnpaySign = parse(input)?;
    let (data, hash) = vnpay::sign_params(
        input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &input.secret,
    );
    Ok(json!({ "data": data, "hash": hash }))
}

#[derive(Deserialize)]
struct VnpayIpn {
    params: BTreeMap<String, String>,
    secret: String,
    order: Option<OrderState>,
}

pub(super) fn vnpay_ipn(input: &Value) -> Result<Value, OpError> {
    let input: VnpayIpn = parse(input)?;
    let d = vnpay::decide_ipn(&input.params, &[input.secret.as_str()], input.order);
    Ok(json!({ "rsp_code": d.code.as_str(), "paid": d.paid, "message": d.code.message() }))
}

#[derive(Deserialize)]
struct PlatformSign {
    fields: Vec<String>,
    secret: String,
}

pub(super) fn platform_sign(input: &Value) -> Result<Value, OpError> {
    let input: PlatformSign = parse(input)?;
    let fields: Vec<&str> = input.fields.iter().map(String::as_str).collect();
    Ok(json!({ "hash": platform::sign(&fields, &input.secret) }))
}

#[derive(Deserialize)]
struct InWords {
    amount: i64,
}

pub(super) fn in_words(input: &Value) -> Result<Value, OpError> {
    let input: InWords = parse(input)?;
    Ok(json!({ "words": words::vnd(input.amount), "number": words::number(input.amount) }))
}
