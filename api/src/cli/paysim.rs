//! `motcua payment-sim`: a local payment gateway for the demo and the tests. It speaks both
//! protocols of rulebook §6 with real signatures (the core's): VNPay's payment page, IPN and
//! `querydr`, and the national platform's `INIT`, payment page, `CONFIRM` and `QUERY`. Its
//! callbacks can be delayed, dropped, duplicated and sent out of order, to show that the service
//! ends in the right state anyway (SECURITY.md W2, W5, W7). Production refuses it twice: this
//! command will not start with `MOTCUA_ENV=production`, and the service's production
//! configuration only talks HTTPS to gateways with non-demo secrets.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{App, HttpResponse, HttpServer, web};
use motcua_core::payment::{platform, vnpay};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::{DEV_PAYGOV_SECRET, DEV_VNPAY_SECRET};
use crate::service::payments::gateway::vnp_time;

/// Arguments of `motcua payment-sim`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen (port 0 picks one; the address is printed first).
    #[arg(long, default_value = "127.0.0.1:8190")]
    bind: std::net::SocketAddr,
    /// Where VNPay IPN calls go (VNPay takes it from the merchant's settings, not the request).
    #[arg(long, default_value = "http://127.0.0.1:8080/payments/vnpay/ipn")]
    vnpay_ipn_url: String,
    /// The VNPay merchant code.
    #[arg(long, default_value = "MOTCUA01")]
    vnpay_tmn_code: String,
    /// The VNPay secret.
    #[arg(long, default_value = DEV_VNPAY_SECRET)]
    vnpay_secret: String,
    /// The national platform's merchant.
    #[arg(long, default_value = "MOTCUA")]
    paygov_merchant: String,
    /// The national platform's secret.
    #[arg(long, default_value = DEV_PAYGOV_SECRET)]
    paygov_secret: String,
}

/// How callbacks misbehave (set by `POST /_sim/behaviour`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct Behaviour {
    /// Wait this long before each callback.
    delay_ms: u64,
    /// Send no callback at all (the service must query).
    drop: bool,
    /// Send each callback this many extra times.
    duplicates: u32,
    /// After a success, also send a stale failure of the same order (out of order).
    reorder: bool,
    /// Another VNPay IPN address (a test's server, started after the simulator).
    vnpay_ipn_url: Option<String>,
}

#[derive(Debug, Clone)]
struct Txn {
    provider: &'static str,
    reference: String,
    amount: i64,
    return_url: String,
    notify_url: String,
    info: String,
    /// `None` until the customer acts; then whether it succeeded.
    outcome: Option<bool>,
    transaction_no: String,
    /// The last callback sent (VNPay: query parameters; platform: the JSON body).
    last: Option<Value>,
}

impl Txn {
    fn new(
        provider: &'static str,
        reference: &str,
        amount: i64,
        return_url: &str,
        notify_url: &str,
        info: &str,
    ) -> Self {
        Self {
            provider,
            reference: reference.to_owned(),
            amount,
            return_url: return_url.to_owned(),
            notify_url: notify_url.to_owned(),
            info: info.to_owned(),
            outcome: None,
            transaction_no: String::new(),
            last: None,
        }
    }
}

struct Sim {
    args: Args,
    address: String,
    behaviour: Mutex<Behaviour>,
    txns: Mutex<HashMap<String, Txn>>,
    next_no: Mutex<u64>,
    http: reqwest::Client,
}

type State = web::Data<Arc<Sim>>;

fn now() -> i64 {
    crate::auth::now()
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\
             <body style=\"font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem\">\
             <p style=\"background:#fde68a;padding:.5rem\">CỔNG THANH TOÁN MÔ PHỎNG — chỉ dùng để thử nghiệm</p>{body}</body></html>"
        ))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pay_form(action: &str, reference: &str, amount: i64, info: &str) -> String {
    format!(
        "<h1>Thanh toán</h1><p>Nội dung: {}</p><p>Số tiền: <strong id=\"amount\">{amount} VND</strong></p>\
         <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"reference\" value=\"{}\">\
         <button name=\"outcome\" value=\"success\">Xác nhận thanh toán</button> \
         <button name=\"outcome\" value=\"cancel\">Huỷ giao dịch</button></form>",
        escape(info),
        escape(reference)
    )
}

impl Sim {
    /// Keeps a new order (a page opened twice keeps the first).
    fn register(&self, t: Txn) {
        if let Ok(mut txns) = self.txns.lock() {
            txns.entry(t.reference.clone()).or_insert(t);
        }
    }

    /// The signed callback of `t` (success or failure), as the gateway sends it.
    fn callback(&self, t: &Txn, success: bool) -> Value {
        let a = &self.args;
        match t.provider {
            "VNPAY" => {
                let pay_date = vnp_time(now());
                json!(vnpay::signed_ipn(
                    &vnpay::Ipn {
                        tmn_code: &a.vnpay_tmn_code,
                        reference: &t.reference,
                        amount: t.amount,
                        transaction: &t.transaction_no,
                        pay_date: &pay_date,
                        info: &t.info,
                        success,
                    },
                    &a.vnpay_secret,
                ))
            }
            _ => {
                let state = if success {
                    platform::State::Success
                } else {
                    platform::State::Failed
                };
                let mut c = platform::Confirm {
                    merchant: a.paygov_merchant.clone(),
                    order: t.reference.clone(),
                    amount: t.amount.to_string(),
                    transaction: t.transaction_no.clone(),
                    state: state.as_str().to_owned(),
                    timestamp: now().to_string(),
                    hash: String::new(),
                };
                c.hash = platform::sign(&c.fields("CONFIRM"), &a.paygov_secret);
                json!(c)
            }
        }
    }

    async fn send(&self, t: &Txn, body: &Value) {
        let result = if t.provider == "VNPAY" {
            let query: Vec<(String, String)> = body
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let url = self
                .behaviour
                .lock()
                .ok()
                .and_then(|b| b.vnpay_ipn_url.clone())
                .unwrap_or_else(|| self.args.vnpay_ipn_url.clone());
            self.http.get(url).query(&query).send().await
        } else {
            self.http.post(&t.notify_url).json(body).send().await
        };
        match result {
            Ok(r) => {
                tracing::info!(reference = %t.reference, status = %r.status(), "callback sent")
            }
            Err(e) => tracing::warn!(reference = %t.reference, error = %e, "callback failed"),
        }
    }

    /// The customer acted: records the outcome, sends the callbacks as the behaviour says, and
    /// answers the return URL with its signed parameters.
    fn act(self: &Arc<Self>, reference: &str, success: bool) -> Option<String> {
        let t = {
            let mut txns = self.txns.lock().ok()?;
            let t = txns.get_mut(reference)?;
            if t.outcome.is_none() {
                let mut no = self.next_no.lock().ok()?;
                *no += 1;
                t.transaction_no = format!("{}", 14_000_000 + *no);
                t.outcome = Some(success);
            }
            t.clone()
        };
        let success = t.outcome.unwrap_or(success);
        let body = self.callback(&t, success);
        if let Ok(mut txns) = self.txns.lock()
            && let Some(x) = txns.get_mut(reference)
        {
            x.last = Some(body.clone());
        }
        let behaviour = self.behaviour.lock().map(|b| b.clone()).unwrap_or_default();
        if !behaviour.drop {
            let sim = self.clone();
            let (t2, body2) = (t.clone(), body.clone());
            actix_web::rt::spawn(async move {
                tokio::time::sleep(Duration::from_millis(behaviour.delay_ms)).await;
                for _ in 0..=behaviour.duplicates {
                    sim.send(&t2, &body2).await;
                }
                if behaviour.reorder && success {
                    let stale = sim.callback(&t2, false);
                    sim.send(&t2, &stale).await;
                }
            });
        }
        let url = if t.provider == "VNPAY" {
            let query: Vec<String> = body
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            format!(
                                "{}={}",
                                vnpay::urlencode(k),
                                vnpay::urlencode(v.as_str().unwrap_or_default())
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("{}?{}", t.return_url, query.join("&"))
        } else {
            format!("{}?order={}", t.return_url, vnpay::urlencode(&t.reference))
        };
        Some(url)
    }
}

async fn vnpay_page(state: State, query: web::Query<BTreeMap<String, String>>) -> HttpResponse {
    let params = query.into_inner();
    if !vnpay::verify(&params, &[state.args.vnpay_secret.as_str()]) {
        return HttpResponse::BadRequest().body("Sai chữ ký (vnp_SecureHash)");
    }
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let amount = get("vnp_Amount").parse::<i64>().unwrap_or(0) / 100;
    let reference = get("vnp_TxnRef");
    state.register(Txn::new(
        "VNPAY",
        &reference,
        amount,
        &get("vnp_ReturnUrl"),
        "",
        &get("vnp_OrderInfo"),
    ));
    page(
        "VNPay (mô phỏng)",
        &pay_form("/vnpay/pay", &reference, amount, &get("vnp_OrderInfo")),
    )
}

#[derive(Deserialize)]
struct Act {
    reference: String,
    outcome: String,
}

async fn pay_submit(state: State, form: web::Form<Act>) -> HttpResponse {
    match state.act(&form.reference, form.outcome == "success") {
        Some(url) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, url))
            .finish(),
        None => HttpResponse::NotFound().body("Không có giao dịch"),
    }
}

async fn vnpay_query(state: State, body: web::Json<BTreeMap<String, String>>) -> HttpResponse {
    let req = body.into_inner();
    let secret = state.args.vnpay_secret.as_str();
    if !vnpay::verify_pipe(&req, &vnpay::QUERY_REQUEST_FIELDS, &[secret]) {
        return HttpResponse::Ok().json(json!({ "vnp_ResponseCode": "97" }));
    }
    let reference = req.get("vnp_TxnRef").cloned().unwrap_or_default();
    let t = state
        .txns
        .lock()
        .ok()
        .and_then(|t| t.get(&reference).cloned());
    let (code, amount, status, no) = match &t {
        None => ("91", String::new(), String::new(), String::new()),
        Some(t) => (
            "00",
            vnpay::amount_param(t.amount),
            match t.outcome {
                None => "01",
                Some(true) => "00",
                Some(false) => "02",
            }
            .to_owned(),
            t.transaction_no.clone(),
        ),
    };
    let mut answer: BTreeMap<String, String> = [
        ("vnp_ResponseId", format!("R{}", now())),
        ("vnp_Command", "querydr".to_owned()),
        ("vnp_ResponseCode", code.to_owned()),
        ("vnp_Message", "QueryDR Success".to_owned()),
        ("vnp_TmnCode", state.args.vnpay_tmn_code.clone()),
        ("vnp_TxnRef", reference),
        ("vnp_Amount", amount),
        ("vnp_BankCode", "NCB".to_owned()),
        ("vnp_PayDate", vnp_time(now())),
        ("vnp_TransactionNo", no),
        ("vnp_TransactionType", "01".to_owned()),
        ("vnp_TransactionStatus", status),
        ("vnp_OrderInfo", t.map(|t| t.info).unwrap_or_default()),
        ("vnp_PromotionCode", String::new()),
        ("vnp_PromotionAmount", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let hash = vnpay::sign_pipe(
        &vnpay::pipe_fields(&answer, &vnpay::QUERY_RESPONSE_FIELDS),
        secret,
    );
    answer.insert(vnpay::SECURE_HASH.to_owned(), hash);
    HttpResponse::Ok().json(answer)
}

async fn paygov_init(state: State, body: web::Json<platform::Init>) -> HttpResponse {
    let i = body.into_inner();
    let secret = state.args.paygov_secret.as_str();
    let ok = platform::verify(&i.fields(), &i.hash, &[secret])
        && i.merchant == state.args.paygov_merchant;
    let (code, url) = if ok {
        state.register(Txn::new(
            "PAYGOV",
            &i.order,
            i.amount.parse().unwrap_or(0),
            &i.return_url,
            &i.notify_url,
            &i.description,
        ));
        ("00", format!("{}/paygov/pay/{}", state.address, i.order))
    } else {
        ("97", String::new())
    };
    let mut answer = platform::InitResult {
        code: code.to_owned(),
        payment_url: url,
        hash: String::new(),
    };
    answer.hash = platform::sign(&answer.fields(&i.merchant, &i.order), secret);
    HttpResponse::Ok().json(answer)
}

async fn paygov_page(state: State, order: web::Path<String>) -> HttpResponse {
    let t = state
        .txns
        .lock()
        .ok()
        .and_then(|t| t.get(order.as_str()).cloned());
    match t {
        Some(t) => page(
            "PayGov (mô phỏng)",
            &pay_form("/paygov/pay", &t.reference, t.amount, &t.info),
        ),
        None => HttpResponse::NotFound().body("Không có giao dịch"),
    }
}

async fn paygov_query(state: State, body: web::Json<platform::Query>) -> HttpResponse {
    let q = body.into_inner();
    let secret = state.args.paygov_secret.as_str();
    if !platform::verify(&q.fields(), &q.hash, &[secret]) {
        return HttpResponse::Unauthorized().finish();
    }
    let Some(t) = state
        .txns
        .lock()
        .ok()
        .and_then(|t| t.get(&q.order).cloned())
    else {
        return HttpResponse::NotFound().finish();
    };
    let state_digit = match t.outcome {
        None => platform::State::Pending,
        Some(true) => platform::State::Success,
        Some(false) => platform::State::Failed,
    };
    let mut c = platform::Confirm {
        merchant: q.merchant,
        order: t.reference,
        amount: t.amount.to_string(),
        transaction: t.transaction_no,
        state: state_digit.as_str().to_owned(),
        timestamp: now().to_string(),
        hash: String::new(),
    };
    c.hash = platform::sign(&c.fields("QUERY_RESULT"), secret);
    HttpResponse::Ok().json(c)
}

async fn set_behaviour(state: State, body: web::Json<Behaviour>) -> HttpResponse {
    if let Ok(mut b) = state.behaviour.lock() {
        *b = body.into_inner();
    }
    HttpResponse::NoContent().finish()
}

#[derive(Deserialize)]
struct ControlPay {
    reference: String,
    #[serde(default = "success")]
    outcome: String,
}

fn success() -> String {
    "success".to_owned()
}

/// The customer's action without a browser (tests).
async fn control_pay(state: State, body: web::Json<ControlPay>) -> HttpResponse {
    match state.act(&body.reference, body.outcome == "success") {
        Some(url) => HttpResponse::Ok().json(json!({ "return_url": url })),
        None => HttpResponse::NotFound().finish(),
    }
}

/// The last callback of an order, as sent (tests replay or tamper with it).
async fn control_last(state: State, reference: web::Path<String>) -> HttpResponse {
    let last = state
        .txns
        .lock()
        .ok()
        .and_then(|t| t.get(reference.as_str()).and_then(|t| t.last.clone()));
    match last {
        Some(v) => HttpResponse::Ok().json(v),
        None => HttpResponse::NotFound().finish(),
    }
}

/// The gateway's own list of transactions (what it would settle).
async fn control_transactions(state: State) -> HttpResponse {
    let list: Vec<Value> = state
        .txns
        .lock()
        .map(|t| {
            t.values()
                .map(|t| json!({ "provider": t.provider, "reference": t.reference, "amount": t.amount, "paid": t.outcome == Some(true) }))
                .collect()
        })
        .unwrap_or_default();
    HttpResponse::Ok().json(list)
}

pub(super) fn run(args: Args) -> anyhow::Result<std::process::ExitCode> {
    if std::env::var("MOTCUA_ENV").is_ok_and(|v| v == "production") {
        anyhow::bail!("the payment simulator never runs in production");
    }
    super::init_logs(false);
    actix_web::rt::System::new().block_on(async move {
        let listener = std::net::TcpListener::bind(args.bind)?;
        let address = format!("http://{}", listener.local_addr()?);
        println!("payment-sim: {address}");
        let sim = Arc::new(Sim {
            args,
            address,
            behaviour: Mutex::default(),
            txns: Mutex::default(),
            next_no: Mutex::new(0),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
        });
        let data = web::Data::new(sim);
        HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/vnpay/paymentv2/vpcpay.html", web::get().to(vnpay_page))
                .route("/vnpay/pay", web::post().to(pay_submit))
                .route(
                    "/vnpay/merchant_webapi/api/transaction",
                    web::post().to(vnpay_query),
                )
                .route("/paygov/init", web::post().to(paygov_init))
                .route("/paygov/pay/{order}", web::get().to(paygov_page))
                .route("/paygov/pay", web::post().to(pay_submit))
                .route("/paygov/query", web::post().to(paygov_query))
                .route("/_sim/behaviour", web::post().to(set_behaviour))
                .route("/_sim/pay", web::post().to(control_pay))
                .route("/_sim/last/{reference}", web::get().to(control_last))
                .route("/_sim/transactions", web::get().to(control_transactions))
        })
        .workers(2)
        .listen(listener)?
        .run()
        .await?;
        Ok(std::process::ExitCode::SUCCESS)
    })
}
