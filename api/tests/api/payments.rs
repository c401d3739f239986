//! Online payment through the gateway simulator (`motcua payment-sim`, a real process speaking
//! both protocols with real signatures): SECURITY.md W1–W8.

use std::collections::BTreeMap;
use std::process::Command;

use motcua_api::config::{Config, DEV_VNPAY_SECRET, Mode, PaymentConfig};
use motcua_core::payment::vnpay;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::paysim::Sim;

async fn spawn(db: &str, sim: &Sim) -> TestApp {
    let mut config = Config::for_tests();
    config.mode = Mode::Development;
    config.payments = PaymentConfig::simulator(&sim.address);
    let app = TestApp::spawn_with(db, config).await;
    sim.behave(json!({ "vnpay_ipn_url": format!("{}/payments/vnpay/ipn", app.address) }))
        .await;
    app
}

const PAY: &str = "mutation($i: PayOnlineInput!) { payOnline(input: $i) {
  payment { id reference status amount } redirectUrl userErrors { code } } }";

async fn pay_online(app: &TestApp, token: &str, id: &str, provider: &str, key: &str) -> Value {
    let (_, r) = app
        .call(
            Some(token),
            PAY,
            json!({ "i": { "dossierId": id, "provider": provider, "idempotencyKey": key } }),
        )
        .await;
    r["data"]["payOnline"].clone()
}

const DOSSIER: &str = "query($id: ID!) { dossier(id: $id) { status paidAt paymentReceiptNumber
  canPayOnline version feeTotal payments { id status receiptNumber receiptPath }
  history { action } } }";

async fn dossier(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, r) = app.call(Some(token), DOSSIER, json!({ "id": id })).await;
    r["data"]["dossier"].clone()
}

async fn ipn(app: &TestApp, params: &BTreeMap<String, String>) -> String {
    let r: Value = app
        .client
        .get(format!("{}/payments/vnpay/ipn", app.address))
        .query(params)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["RspCode"].as_str().unwrap().to_owned()
}

/// `params` with `key` set to `value` and signed again with `secret` (a valid signature over
/// what the test wants the gateway to have said).
fn altered(
    params: &BTreeMap<String, String>,
    key: &str,
    value: &str,
    secret: &str,
) -> BTreeMap<String, String> {
    let mut p = params.clone();
    p.insert(key.to_owned(), value.to_owned());
    resign(&mut p, secret);
    p
}

/// How many times the dossier's history recorded a payment.
fn recorded_payments(d: &Value) -> usize {
    d["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "RECORD_PAYMENT")
        .count()
}

/// The status of the dossier's latest payment.
async fn payment_status(app: &TestApp, token: &str, id: &str) -> Value {
    dossier(app, token, id).await["payments"][0]["status"].clone()
}

/// Today in Asia/Ho_Chi_Minh, as the settlement report takes it.
fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&motcua_core::deadline::VN_OFFSET)
        .date_naive()
        .to_string()
}

fn resign(params: &mut BTreeMap<String, String>, secret: &str) {
    params.remove(vnpay::SECURE_HASH);
    let (_, hash) =
        vnpay::sign_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())), secret);
    params.insert(vnpay::SECURE_HASH.to_owned(), hash);
}

/// Waits until the dossier's latest payment is paid.
async fn until_paid(app: &TestApp, token: &str, id: &str) -> Value {
    until(app, token, id, |d| d["payments"][0]["status"] == "PAID").await
}

/// Waits until the dossier's payments match `pred` (callbacks are applied in the background).
async fn until(app: &TestApp, token: &str, id: &str, pred: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let d = dossier(app, token, id).await;
        if pred(&d) {
            return d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let d = dossier(app, token, id).await;
    panic!("never reached: {d}");
}

async fn awaiting_payment(app: &TestApp, citizen: &str, key: &str) -> (String, i64) {
    let (clerk, _) = app.login("tiepnhan.dongkinh").await;
    let (specialist, _) = app.login("chuyenvien.dongkinh").await;
    // Filed at the desk for the demo citizen, whose account then pays online.
    let id = file(app, &clerk, "2.000815", key).await;
    assert_eq!(
        act(app, &clerk, "receiveDossier", &id, 1, "").await["dossier"]["status"],
        "RECEIVED"
    );
    act(app, &specialist, "startProcessing", &id, 2, "").await;
    let r = act(app, &specialist, "requestPayment", &id, 3, "").await;
    assert_eq!(r["dossier"]["status"], "AWAITING_PAYMENT", "{r}");
    let fee = dossier(app, citizen, &id).await["feeTotal"]
        .as_i64()
        .unwrap();
    (id, fee)
}

#[actix_web::test]
async fn vnpay_ipn_is_verified_replays_pay_once_and_the_return_url_marks_nothing() {
    for db in databases() {
        let sim = Sim::start();
        let app = spawn(&db, &sim).await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (other, _) = app.login(CITIZEN_B).await;
        let (id, fee) = awaiting_payment(&app, &citizen, "pay-1").await;
        assert_eq!(dossier(&app, &citizen, &id).await["canPayOnline"], true);

        // Only the applicant starts a payment; another citizen does not even see the dossier.
        let r = pay_online(&app, &other, &id, "VNPAY", "k-x").await;
        assert!(r.is_null(), "{db}: {r}");
        let r = pay_online(&app, &citizen, &id, "VNPAY", "k-1").await;
        let payment = r["payment"].clone();
        assert_eq!(payment["status"], "PENDING", "{db}: {r}");
        assert_eq!(payment["amount"], fee);
        let url = r["redirectUrl"].as_str().unwrap();
        assert!(
            url.starts_with(&sim.address) && url.contains("vnp_SecureHash="),
            "{url}"
        );
        // Idempotent: the same key, the same payment.
        let again = pay_online(&app, &citizen, &id, "VNPAY", "k-1").await;
        assert_eq!(again["payment"]["id"], payment["id"]);
        let reference = payment["reference"].as_str().unwrap().to_owned();
        sim.open(url).await;

        // The customer pays; the callback is lost for now.
        sim.behave(json!({ "drop": true })).await;
        let back = sim.pay(&reference, "success").await;
        let signed = sim.last(&reference).await;

        // W6: the browser coming back (even with a valid signature) marks nothing.
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = no_redirects.get(&back).send().await.unwrap();
        assert_eq!(r.status(), 303, "{db}: {back}");
        let location = r.headers()["location"].to_str().unwrap();
        assert_eq!(
            location,
            format!("/ho-so/{id}?thanh-toan={reference}"),
            "{db}"
        );
        assert_eq!(payment_status(&app, &citizen, &id).await, "PENDING");

        // W1: a bad signature, a tampered amount, another secret: refused, nothing changes.
        let mut forged = signed.clone();
        forged.insert("vnp_SecureHash".to_owned(), "00".repeat(64));
        assert_eq!(ipn(&app, &forged).await, "97");
        let mut tampered = signed.clone();
        tampered.insert("vnp_Amount".to_owned(), "100".to_owned());
        assert_eq!(ipn(&app, &tampered).await, "97");
        let other_secret = altered(&signed, "vnp_TxnRef", &reference, "not-the-secret");
        assert_eq!(ipn(&app, &other_secret).await, "97");
        let mut missing = signed.clone();
        missing.remove("vnp_SecureHash");
        assert_eq!(ipn(&app, &missing).await, "97");
        // Unknown order (01), wrong amount (04, W4), another merchant (01).
        let unknown = altered(
            &signed,
            "vnp_TxnRef",
            "MC0000000000000000",
            DEV_VNPAY_SECRET,
        );
        assert_eq!(ipn(&app, &unknown).await, "01");
        let wrong = altered(
            &signed,
            "vnp_Amount",
            &vnpay::amount_param(fee + 1),
            DEV_VNPAY_SECRET,
        );
        assert_eq!(ipn(&app, &wrong).await, "04");
        let merchant = altered(&signed, "vnp_TmnCode", "OTHER", DEV_VNPAY_SECRET);
        assert_eq!(ipn(&app, &merchant).await, "01");
        assert_eq!(payment_status(&app, &citizen, &id).await, "PENDING");

        // W2: the valid IPN 100 times at once: paid once, one receipt, one history row.
        let answers = futures_util::future::join_all((0..100).map(|_| ipn(&app, &signed))).await;
        assert!(
            answers.iter().all(|a| a == "00" || a == "02"),
            "{answers:?}"
        );
        let d = until_paid(&app, &citizen, &id).await;
        assert_eq!(d["status"], "PROCESSING", "{db}: the clock runs again: {d}");
        let receipt = d["payments"][0]["receiptNumber"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(d["paymentReceiptNumber"], receipt.as_str());
        assert_eq!(recorded_payments(&d), 1, "{db}: {d}");
        assert_eq!(d["canPayOnline"], false);
        // Replays now answer "already confirmed".
        assert_eq!(ipn(&app, &signed).await, "02");
        // W5: a stale failure after the success changes nothing.
        let stale = altered(&signed, "vnp_ResponseCode", "24", DEV_VNPAY_SECRET);
        assert_eq!(ipn(&app, &stale).await, "02");
        assert_eq!(payment_status(&app, &citizen, &id).await, "PAID");
        // No new payment on a paid dossier.
        let r = pay_online(&app, &citizen, &id, "VNPAY", "k-2").await;
        assert_eq!(r["userErrors"][0]["code"], "ALREADY_PAID", "{r}");

        // The electronic receipt: payer, amount in figures and words, for the applicant only.
        let path = d["payments"][0]["receiptPath"].as_str().unwrap();
        let get = |token: &str| {
            app.client
                .get(format!("{}{path}", app.address))
                .bearer_auth(token)
                .send()
        };
        assert_eq!(get(&other).await.unwrap().status(), 404);
        let pdf = get(&citizen).await.unwrap().bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let file = std::env::temp_dir().join(format!("motcua-receipt-{}.pdf", std::process::id()));
        std::fs::write(&file, &pdf).unwrap();
        let text = String::from_utf8(
            Command::new("pdftotext")
                .arg(&file)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(text.contains("BIÊN LAI THU PHÍ, LỆ PHÍ"), "{text}");
        assert!(text.contains(&receipt), "{text}");
        assert!(
            text.contains(&motcua_core::payment::words::vnd(fee)),
            "{text}"
        );

        // The day's settlement: the payment explained, the wrong-amount callback alerted (W4).
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let agency = app.agency_id("000.00.51.H42").await;
        let today = today();
        let (_, r) = app
            .call(
                Some(&leader),
                "query($a: ID!, $d: String!) { settlementReport(agencyId: $a, date: $d) {
                   collected unexplained amountAlerts lines { unexplained explanation } } }",
                json!({ "a": agency, "d": today }),
            )
            .await;
        let s = &r["data"]["settlementReport"];
        assert_eq!(s["collected"], fee, "{db}: {r}");
        assert_eq!(s["amountAlerts"], json!([reference]), "{db}: {r}");
        assert_eq!(s["unexplained"], 1, "{db}: {r}");
        // A citizen cannot read it.
        let (_, r) = app
            .call(
                Some(&citizen),
                "query($a: ID!, $d: String!) { settlementReport(agencyId: $a, date: $d) { collected } }",
                json!({ "a": agency, "d": today }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");

        refunds(
            &app, &citizen, &leader, &agency, &d, &reference, &id, fee, &db,
        )
        .await;
    }
}

const PROPOSE: &str = "mutation($i: ProposeRefundInput!) { proposeRefund(input: $i) {
  refund { id state amount paymentReference dossierId } userErrors { code } } }";
const DECIDE: &str = "mutation($i: DecideRefundInput!) { decideRefund(input: $i) {
  refund { id state decisionNote } userErrors { code } } }";
const AWAITING: &str = "query($a: ID!) { refundsAwaitingDecision(agencyId: $a) { id amount paymentReference dossierId reason } }";

/// Refunds of the paid dossier `d`: a clerk proposes, a leader who is not the proposer decides;
/// the amount is bounded by what was collected; nobody outside the agency sees or acts (W8).
#[allow(clippy::too_many_arguments)]
async fn refunds(
    app: &TestApp,
    citizen: &str,
    leader: &str,
    agency: &str,
    d: &Value,
    reference: &str,
    id: &str,
    fee: i64,
    db: &str,
) {
    let (clerk, _) = app.login("tiepnhan.dongkinh").await;
    let (foreign_clerk, _) = app.login("tiepnhan.tamthanh").await;
    let payment = d["payments"][0]["id"].as_str().unwrap();
    let propose = |token: &str, amount: i64, reason: &str| {
        let token = token.to_owned();
        let reason = reason.to_owned();
        async move {
            app.call(
                Some(&token),
                PROPOSE,
                json!({ "i": { "paymentId": payment, "amount": amount, "reason": reason } }),
            )
            .await
            .1
        }
    };
    // The applicant and another agency's clerk: no such payment.
    assert_eq!(
        code(&propose(citizen, 1000, "Nộp thừa phí").await),
        "NOT_FOUND"
    );
    assert_eq!(
        code(&propose(&foreign_clerk, 1000, "Nộp thừa phí").await),
        "NOT_FOUND"
    );
    // Every problem at once: more than collected, no reason.
    let r = propose(&clerk, fee + 1, "x").await;
    let codes: Vec<&str> = r["data"]["proposeRefund"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["INVALID_REFUND_AMOUNT", "REASON_REQUIRED"],
        "{db}: {r}"
    );
    let r = propose(&clerk, fee, "Hồ sơ rút, hoàn lại phí đã nộp").await;
    let refund = r["data"]["proposeRefund"]["refund"].clone();
    assert_eq!(refund["state"], "PROPOSED", "{db}: {r}");
    assert_eq!(refund["paymentReference"], reference);
    assert_eq!(refund["dossierId"], id);
    // One waiting proposal per payment.
    let r = propose(&clerk, 1, "Đề nghị thứ hai").await;
    assert_eq!(
        r["data"]["proposeRefund"]["userErrors"][0]["code"], "REFUND_PENDING",
        "{r}"
    );
    // The leader's list; nobody else's.
    let (_, r) = app
        .call(Some(leader), AWAITING, json!({ "a": agency }))
        .await;
    let waiting = r["data"]["refundsAwaitingDecision"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{db}: {r}");
    assert_eq!(waiting[0]["id"], refund["id"]);
    let (_, r) = app
        .call(Some(&foreign_clerk), AWAITING, json!({ "a": agency }))
        .await;
    assert_eq!(code(&r), "NOT_FOUND", "{r}");
    let decide = |token: &str, approve: bool| {
        let token = token.to_owned();
        let refund = refund["id"].clone();
        async move {
            app.call(
                Some(&token),
                DECIDE,
                json!({ "i": { "refundId": refund, "approve": approve, "note": "Đồng ý" } }),
            )
            .await
            .1
        }
    };
    // A clerk does not decide; nor does the proposer once made a leader too (two people).
    assert_eq!(code(&decide(&clerk, true).await), "NOT_FOUND");
    let (admin, _) = app.login("quantri.dongkinh").await;
    let clerk_id = me(app, &clerk).await;
    let (_, r) = app
        .call(
            Some(&admin),
            "mutation($u: ID!, $a: ID!) { setUserRoles(userId: $u, roles: [{role: CLERK, agencyId: $a}, {role: LEADER, agencyId: $a}]) { id } }",
            json!({ "u": clerk_id, "a": agency }),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let (clerk_and_leader, _) = app.login("tiepnhan.dongkinh").await;
    let r = decide(&clerk_and_leader, true).await;
    assert_eq!(
        r["data"]["decideRefund"]["userErrors"][0]["code"], "TWO_PERSON_RULE",
        "{db}: {r}"
    );
    let r = decide(leader, true).await;
    assert_eq!(
        r["data"]["decideRefund"]["refund"]["state"], "APPROVED",
        "{db}: {r}"
    );
    let r = decide(leader, false).await;
    assert_eq!(
        r["data"]["decideRefund"]["userErrors"][0]["code"], "ALREADY_DECIDED",
        "{r}"
    );
    let (_, r) = app
        .call(Some(leader), AWAITING, json!({ "a": agency }))
        .await;
    assert_eq!(r["data"]["refundsAwaitingDecision"], json!([]), "{r}");
    // Recorded on the payment and in the day's settlement; nothing more can be refunded.
    let (_, r) = app
        .call(
            Some(leader),
            "query($id: ID!, $a: ID!, $d: String!) {
               dossier(id: $id) { payments { refundedAmount } }
               settlementReport(agencyId: $a, date: $d) { refunded } }",
            json!({ "id": id, "a": agency, "d": today() }),
        )
        .await;
    assert_eq!(
        r["data"]["dossier"]["payments"][0]["refundedAmount"], fee,
        "{r}"
    );
    assert_eq!(r["data"]["settlementReport"]["refunded"], fee, "{r}");
    // (The role change ended the clerk's earlier sessions.)
    let r = propose(&clerk_and_leader, 1, "Hoàn thêm một lần nữa").await;
    assert_eq!(
        r["data"]["proposeRefund"]["userErrors"][0]["code"], "INVALID_REFUND_AMOUNT",
        "{r}"
    );
    // Both steps are in the audit log.
    let rows = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT action FROM audit_log WHERE object_type = 'Payment' ORDER BY id",
        ))
        .await
        .unwrap();
    let actions: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("", "action").unwrap())
        .collect();
    assert_eq!(actions, ["REFUND_PROPOSE", "REFUND_APPROVE"], "{db}");
}

#[actix_web::test]
async fn the_simulators_duplicated_and_reordered_callbacks_end_paid_once_w2_w5() {
    for db in databases() {
        let sim = Sim::start();
        let app = spawn(&db, &sim).await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (id, _) = awaiting_payment(&app, &citizen, "pay-2").await;
        let r = pay_online(&app, &citizen, &id, "VNPAY", "k-1").await;
        let reference = r["payment"]["reference"].as_str().unwrap().to_owned();
        sim.open(r["redirectUrl"].as_str().unwrap()).await;
        sim.behave(json!({
            "vnpay_ipn_url": format!("{}/payments/vnpay/ipn", app.address),
            "duplicates": 5, "reorder": true, "delay_ms": 50
        }))
        .await;
        sim.pay(&reference, "success").await;
        let d = until_paid(&app, &citizen, &id).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let d2 = dossier(&app, &citizen, &id).await;
        assert_eq!(d2["payments"][0]["status"], "PAID", "{db}: {d2}");
        // (The version is not compared: the first read may have seen the dossier row just
        // before the payment's transaction committed.)
        assert_eq!(d["payments"].as_array().unwrap().len(), 1, "{db}");
        assert_eq!(recorded_payments(&d2), 1, "{db}");
    }
}

#[actix_web::test]
async fn a_lost_platform_confirm_is_reached_by_the_query_w3_w7() {
    for db in databases() {
        let sim = Sim::start();
        let app = spawn(&db, &sim).await;
        let (citizen, _) = app.login(CITIZEN).await;
        // Paid ahead of the request, right after filing.
        let (desk, _) = app.login("tiepnhan.dongkinh").await;
        let id = file(&app, &desk, "2.000815", "pay-3").await;
        let r = pay_online(&app, &citizen, &id, "PAYGOV", "k-1").await;
        let url = r["redirectUrl"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"));
        assert!(
            url.starts_with(&format!("{}/paygov/pay/", sim.address)),
            "{url}"
        );
        let reference = r["payment"]["reference"].as_str().unwrap().to_owned();
        sim.open(url).await;
        sim.behave(json!({ "drop": true })).await;
        sim.pay(&reference, "success").await;

        // W3: a confirm signed more than 300 s ago is refused.
        let mut old = motcua_core::payment::platform::Confirm {
            merchant: "MOTCUA".to_owned(),
            order: reference.clone(),
            amount: r["payment"]["amount"].to_string(),
            transaction: "1".to_owned(),
            state: "1".to_owned(),
            timestamp: (motcua_api::auth::now() - 301).to_string(),
            hash: String::new(),
        };
        old.hash = motcua_core::payment::platform::sign(
            &old.fields("CONFIRM"),
            motcua_api::config::DEV_PAYGOV_SECRET,
        );
        let answer: Value = app
            .client
            .post(format!("{}/payments/paygov/confirm", app.address))
            .json(&old)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["code"], "98", "{answer}");
        assert_eq!(payment_status(&app, &citizen, &id).await, "PENDING");

        // W7: the reconciliation job asks the platform and reaches "paid".
        let later = motcua_api::auth::now() + 901;
        let applied = motcua_api::service::payments::reconcile::query_due(
            &app.db,
            &app.deps.filing,
            &app.deps.payments,
            later,
        )
        .await
        .unwrap();
        assert_eq!(applied, 1, "{db}");
        let d = dossier(&app, &citizen, &id).await;
        assert_eq!(d["payments"][0]["status"], "PAID", "{db}: {d}");
        assert_eq!(
            d["status"], "SUBMITTED",
            "{db}: paid ahead, status kept: {d}"
        );
        assert!(d["paidAt"].is_string());
        // The specialist's later request is refused: it is paid.
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let v = d["version"].as_i64().unwrap();
        act(&app, &clerk, "receiveDossier", &id, v, "").await;
        act(&app, &specialist, "startProcessing", &id, v + 1, "").await;
        let r = act(&app, &specialist, "requestPayment", &id, v + 2, "").await;
        assert_eq!(r["userErrors"][0]["code"], "ALREADY_PAID", "{db}: {r}");

        // The settlement has nothing unexplained, and its CSV carries the receipt.
        let agency = app.agency_id("000.00.51.H42").await;
        let today = today();
        let (_, r) = app
            .call(
                Some(&clerk),
                "query($a: ID!, $d: String!) { settlementReport(agencyId: $a, date: $d) { unexplained csvPath } }",
                json!({ "a": agency, "d": today }),
            )
            .await;
        assert_eq!(r["data"]["settlementReport"]["unexplained"], 0, "{db}: {r}");
        let csv = app
            .client
            .get(format!(
                "{}{}",
                app.address,
                r["data"]["settlementReport"]["csvPath"].as_str().unwrap()
            ))
            .bearer_auth(&clerk)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let receipt = d["payments"][0]["receiptNumber"].as_str().unwrap();
        assert!(csv.contains(receipt), "{csv}");
    }
}

#[actix_web::test]
async fn two_instances_receive_the_same_ipn_at_once_one_payment() {
    let file_db = std::env::temp_dir().join(format!("motcua-pay-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file_db);
    let mut urls = vec![format!("sqlite://{}?mode=rwc", file_db.display())];
    urls.extend(
        databases()
            .into_iter()
            .filter(|u| u.starts_with("postgres")),
    );
    for db in urls {
        let sim = Sim::start();
        let one = spawn(&db, &sim).await;
        let two = one.another(&one.url).await;
        let (citizen, _) = one.login(CITIZEN).await;
        let (id, _) = awaiting_payment(&one, &citizen, "pay-4").await;
        let r = pay_online(&one, &citizen, &id, "VNPAY", "k-1").await;
        let reference = r["payment"]["reference"].as_str().unwrap().to_owned();
        sim.open(r["redirectUrl"].as_str().unwrap()).await;
        sim.behave(json!({ "drop": true })).await;
        sim.pay(&reference, "success").await;
        let signed = sim.last(&reference).await;
        // Two SQLite connections on one file may find it locked: that IPN is answered `99`
        // and the gateway calls again, which is the protocol's own retry.
        let sqlite = db.starts_with("sqlite");
        let calls = (0..if sqlite { 8 } else { 20 }).map(|i| {
            let app = if i % 2 == 0 { &one } else { &two };
            ipn(app, &signed)
        });
        let answers = futures_util::future::join_all(calls).await;
        assert!(
            answers
                .iter()
                .all(|a| a == "00" || a == "02" || (sqlite && a == "99")),
            "{answers:?}"
        );
        assert!(answers.iter().any(|a| a == "00"), "{answers:?}");
        until_paid(&one, &citizen, &id).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let d = dossier(&one, &citizen, &id).await;
        assert_eq!(recorded_payments(&d), 1, "{db}: {d}");
        assert_eq!(d["payments"].as_array().unwrap().len(), 1);
    }
}
