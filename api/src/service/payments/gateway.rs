//! Talking to the gateways: the VNPay payment URL, the platform's `INIT`, and both `QUERY`s.
//! What is signed and how an answer is judged are the core's; this builds requests and sends them.

use std::collections::BTreeMap;
use std::time::Duration;

use motcua_core::payment::{Decision, OrderState, platform, vnpay};
use serde_json::{Value, json};

use super::{Provider, VALID_SECS};
use crate::config::{GatewayConfig, PaymentConfig};

/// The configured gateways and an HTTP client for them.
#[derive(Debug, Clone)]
pub struct Gateways {
    /// Settings.
    pub config: PaymentConfig,
    /// Where the browser comes back to, and where the platform sends its confirm.
    pub public_api: String,
    http: reqwest::Client,
}

/// A gateway that did not answer usefully.
#[derive(Debug, thiserror::Error)]
#[error("payment gateway: {0}")]
pub struct GatewayError(pub String);

/// What a query found.
#[derive(Debug, Clone)]
pub struct QueryAnswer {
    /// The decision on the answer (as on a callback).
    pub decision: Decision,
    /// Whether the gateway still has it pending (query again later).
    pub pending: bool,
    /// The answer as received, for the inbox.
    pub payload: Value,
}

/// `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, VNPay's time format.
#[must_use]
pub fn vnp_time(secs: i64) -> String {
    crate::service::dossier::rules::local_now(secs)
        .format("%Y%m%d%H%M%S")
        .to_string()
}

impl Gateways {
    /// The gateways of `config`; `public_api` is this service's public address.
    ///
    /// # Errors
    /// An HTTP client that cannot be built.
    pub fn new(config: PaymentConfig, public_api: &str) -> anyhow::Result<Self> {
        Ok(Self {
            config,
            public_api: public_api.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()?,
        })
    }

    /// The settings of `provider`, when it is configured.
    #[must_use]
    pub fn get(&self, provider: Provider) -> Option<&GatewayConfig> {
        match provider {
            Provider::Vnpay => self.config.vnpay.as_ref(),
            Provider::Paygov => self.config.paygov.as_ref(),
        }
    }

    /// The secrets of `provider`, as the core takes them.
    #[must_use]
    pub fn secrets(&self, provider: Provider) -> Vec<&str> {
        self.get(provider)
            .map(|g| g.secrets.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The configured gateways.
    #[must_use]
    pub fn available(&self) -> Vec<Provider> {
        Provider::ALL
            .into_iter()
            .filter(|p| self.get(*p).is_some())
            .collect()
    }

    /// The signed VNPay payment URL for an order.
    #[must_use]
    pub fn vnpay_url(
        g: &GatewayConfig,
        reference: &str,
        amount: i64,
        info: &str,
        return_url: &str,
        client_ip: &str,
        created: i64,
    ) -> String {
        let amount = vnpay::amount_param(amount);
        let (create, expire) = (vnp_time(created), vnp_time(created + VALID_SECS));
        let params = [
            ("vnp_Version", "2.1.0"),
            ("vnp_Command", "pay"),
            ("vnp_TmnCode", g.merchant.as_str()),
            ("vnp_Amount", amount.as_str()),
            ("vnp_CurrCode", "VND"),
            ("vnp_TxnRef", reference),
            ("vnp_OrderInfo", info),
            ("vnp_OrderType", "other"),
            ("vnp_Locale", "vn"),
            ("vnp_ReturnUrl", return_url),
            ("vnp_IpAddr", client_ip),
            ("vnp_CreateDate", create.as_str()),
            ("vnp_ExpireDate", expire.as_str()),
        ];
        let secret = g.secrets.first().map_or("", String::as_str);
        let (data, hash) = vnpay::sign_params(params, secret);
        format!("{}?{data}&vnp_SecureHash={hash}", g.url)
    }

    /// The platform's `INIT`: returns the payment page's URL.
    ///
    /// # Errors
    /// The platform unreachable, refusing, or answering with a bad signature.
    pub async fn paygov_init(
        &self,
        reference: &str,
        amount: i64,
        info: &str,
        now: i64,
    ) -> Result<String, GatewayError> {
        let g = self
            .get(Provider::Paygov)
            .ok_or_else(|| GatewayError("not configured".to_owned()))?;
        let secret = g.secrets.first().map_or("", String::as_str);
        let mut init = platform::Init {
            merchant: g.merchant.clone(),
            order: reference.to_owned(),
            amount: amount.to_string(),
            description: info.to_owned(),
            return_url: format!("{}/payments/paygov/return", self.public_api),
            notify_url: format!("{}/payments/paygov/confirm", self.public_api),
            timestamp: now.to_string(),
            hash: String::new(),
        };
        init.hash = platform::sign(&init.fields(), secret);
        let answer: platform::InitResult = self
            .http
            .post(format!("{}/init", g.url))
            .json(&init)
            .send()
            .await
            .map_err(|e| GatewayError(e.to_string()))?
            .json()
            .await
            .map_err(|e| GatewayError(e.to_string()))?;
        let signed = answer.fields(&g.merchant, reference);
        if !platform::verify(&signed, &answer.hash, &self.secrets(Provider::Paygov)) {
            return Err(GatewayError("INIT answer with a bad signature".to_owned()));
        }
        if answer.code != "00" || answer.payment_url.is_empty() {
            return Err(GatewayError(format!("INIT refused with {}", answer.code)));
        }
        Ok(answer.payment_url)
    }

    /// Asks the gateway what became of an order.
    ///
    /// # Errors
    /// The gateway unreachable or answering something unreadable.
    pub async fn query(
        &self,
        provider: Provider,
        reference: &str,
        created: i64,
        order: OrderState,
        now: i64,
    ) -> Result<QueryAnswer, GatewayError> {
        let g = self
            .get(provider)
            .ok_or_else(|| GatewayError("not configured".to_owned()))?;
        let secret = g.secrets.first().map_or("", String::as_str);
        let secrets = self.secrets(provider);
        match provider {
            Provider::Vnpay => {
                let request_id = format!("Q{now}{reference}");
                let (created, at) = (vnp_time(created), vnp_time(now));
                let mut req: BTreeMap<String, String> = [
                    ("vnp_RequestId", request_id.as_str()),
                    ("vnp_Version", "2.1.0"),
                    ("vnp_Command", "querydr"),
                    ("vnp_TmnCode", g.merchant.as_str()),
                    ("vnp_TxnRef", reference),
                    ("vnp_TransactionDate", created.as_str()),
                    ("vnp_CreateDate", at.as_str()),
                    ("vnp_IpAddr", "127.0.0.1"),
                    ("vnp_OrderInfo", "Truy van giao dich"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
                let hash = vnpay::sign_pipe(
                    &vnpay::pipe_fields(&req, &vnpay::QUERY_REQUEST_FIELDS),
                    secret,
                );
                req.insert(vnpay::SECURE_HASH.to_owned(), hash);
                let answer: BTreeMap<String, String> = self
                    .http
                    .post(&g.api_url)
                    .json(&req)
                    .send()
                    .await
                    .map_err(|e| GatewayError(e.to_string()))?
                    .json()
                    .await
                    .map_err(|e| GatewayError(e.to_string()))?;
                let decision = vnpay::decide_query(&answer, &secrets, Some(order));
                // `01`: the customer has not finished; anything but success or failure waits.
                let pending = answer.get("vnp_ResponseCode").is_some_and(|c| c == "00")
                    && answer
                        .get("vnp_TransactionStatus")
                        .is_some_and(|s| s == "01");
                Ok(QueryAnswer {
                    decision,
                    pending,
                    payload: json!(answer),
                })
            }
            Provider::Paygov => {
                let mut q = platform::Query {
                    merchant: g.merchant.clone(),
                    order: reference.to_owned(),
                    timestamp: now.to_string(),
                    hash: String::new(),
                };
                q.hash = platform::sign(&q.fields(), secret);
                let response = self
                    .http
                    .post(format!("{}/query", g.url))
                    .json(&q)
                    .send()
                    .await
                    .map_err(|e| GatewayError(e.to_string()))?;
                if response.status() == reqwest::StatusCode::NOT_FOUND {
                    // The platform never saw the order.
                    return Ok(QueryAnswer {
                        decision: Decision {
                            code: motcua_core::payment::CallbackCode::OrderNotFound,
                            paid: false,
                        },
                        pending: false,
                        payload: json!({ "status": 404 }),
                    });
                }
                let answer: platform::Confirm = response
                    .json()
                    .await
                    .map_err(|e| GatewayError(e.to_string()))?;
                let decision = platform::decide_confirm(
                    &answer,
                    "QUERY_RESULT",
                    &secrets,
                    &g.merchant,
                    Some(order),
                    // The answer's freshness is judged on the real clock (the job's `now` may be
                    // a test's future).
                    crate::auth::now(),
                );
                Ok(QueryAnswer {
                    decision,
                    pending: answer.state == platform::State::Pending.as_str(),
                    payload: json!(answer),
                })
            }
        }
    }
}
