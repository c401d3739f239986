//! The `ipn` scenario: payment intents created through the API as a citizen makes them, then the
//! gateway's signed IPNs for them, as fast as the connections allow. The first pass over the
//! intents pays them ("00"); later passes are replays ("02", already confirmed). After the phase
//! it waits until the settlement report shows every intent the phase reached paid, and prints how
//! long after the phase's end the last one was applied (callbacks are applied after the answer).

use anyhow::{Context, bail};
use futures_util::StreamExt;
use motcua_core::payment::vnpay;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Args, post, shift_dates};

const CLERK: &str = "tiepnhan.dongkinh";
const LEADER: &str = "lanhdao.dongkinh";
const CITIZEN: &str = "020090123456";
const PROCEDURE: &str = "2.000815";
/// Parallel requests while intents are created.
const SETUP_PARALLEL: usize = 16;

/// The signed IPNs to send, one per intent.
pub struct Plan {
    ipns: Vec<Vec<(String, String)>>,
    next: AtomicUsize,
    agency: String,
}

impl Plan {
    /// The next IPN (round-robin: the first pass pays, later ones replay).
    pub fn next(&self) -> &[(String, String)] {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.ipns
            .get(n % self.ipns.len().max(1))
            .map_or(&[], Vec::as_slice)
    }
}

/// Whether an IPN answer is "00" (confirmed) or "02" (already confirmed: a replay).
pub fn accepted(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("RspCode").and_then(Value::as_str).map(str::to_owned))
        .is_some_and(|c| c == "00" || c == "02")
}

async fn login(client: &reqwest::Client, args: &Args, who: &str) -> anyhow::Result<String> {
    let r = post(
        client,
        &args.url,
        None,
        &json!({
            "query": "mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }",
            "variables": { "i": who, "p": args.password },
        }),
    )
    .await?;
    r.pointer("/data/login/accessToken")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("cannot sign in as {who}: {r}"))
}

/// The procedure's valid sample, dated today, for the demo citizen.
fn sample(args: &Args) -> anyhow::Result<Value> {
    let path = format!("{}/{PROCEDURE}.json", args.catalog);
    let entry: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?,
    )?;
    let mut data = entry
        .pointer("/samples/valid/data")
        .cloned()
        .context("no valid sample")?;
    if let Some(day) = entry
        .pointer("/samples/valid/context/today")
        .and_then(Value::as_str)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        shift_dates(&mut data, day, today - day);
    }
    if let Some(applicant) = data.get_mut("applicant") {
        applicant["id_number"] = json!(CITIZEN);
    }
    Ok(data)
}

/// The IPN the gateway sends when intent `reference` of `amount` VND is paid.
fn signed_ipn(args: &Args, reference: &str, amount: i64, n: usize) -> Vec<(String, String)> {
    let pay_date = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y%m%d%H%M%S")
        .to_string();
    let transaction = format!("{:08}", 14_000_000 + n);
    vnpay::signed_ipn(
        &vnpay::Ipn {
            tmn_code: &args.vnpay_tmn_code,
            reference,
            amount,
            transaction: &transaction,
            pay_date: &pay_date,
            info: "Thanh toan phi ho so",
            success: true,
        },
        &args.vnpay_secret,
    )
    .into_iter()
    .collect()
}

/// Files `--intents` dossiers at the desk for the demo citizen, who starts paying each.
pub async fn plan(args: &Args) -> anyhow::Result<Plan> {
    let client = reqwest::Client::new();
    let clerk = login(&client, args, CLERK).await?;
    let citizen = login(&client, args, CITIZEN).await?;
    let leader = login(&client, args, LEADER).await?;
    let me = post(
        &client,
        &args.url,
        Some(&leader),
        &json!({ "query": "{ me { roles { agency { id } } } }" }),
    )
    .await?;
    let agency = me
        .pointer("/data/me/roles/0/agency/id")
        .and_then(Value::as_str)
        .context("the leader has no agency")?
        .to_owned();
    let data = sample(args)?;
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let started = Instant::now();
    let made: Vec<anyhow::Result<(String, i64)>> = futures_util::stream::iter(0..args.intents)
        .map(|i| {
            let (client, clerk, citizen, data) = (&client, &clerk, &citizen, &data);
            async move {
                let r = post(
                    client,
                    &args.url,
                    Some(clerk),
                    &json!({
                        "query": "mutation($input: SubmitDossierInput!, $key: String!) { submitDossier(input: $input, idempotencyKey: $key) { receipt { dossierId } userErrors { code message } } }",
                        "variables": { "input": { "procedureCode": PROCEDURE, "formData": data }, "key": format!("ipn-{run}-{i}") },
                    }),
                )
                .await?;
                let id = r
                    .pointer("/data/submitDossier/receipt/dossierId")
                    .and_then(Value::as_str)
                    .with_context(|| format!("not filed: {r}"))?;
                let r = post(
                    client,
                    &args.url,
                    Some(citizen),
                    &json!({
                        "query": "mutation($i: PayOnlineInput!) { payOnline(input: $i) { payment { reference amount } userErrors { code message } } }",
                        "variables": { "i": { "dossierId": id, "provider": "VNPAY", "idempotencyKey": format!("ipn-{run}-{i}") } },
                    }),
                )
                .await?;
                let reference = r
                    .pointer("/data/payOnline/payment/reference")
                    .and_then(Value::as_str)
                    .with_context(|| format!("no intent: {r}"))?;
                let amount = r
                    .pointer("/data/payOnline/payment/amount")
                    .and_then(Value::as_i64)
                    .context("no amount")?;
                Ok((reference.to_owned(), amount))
            }
        })
        .buffer_unordered(SETUP_PARALLEL)
        .collect()
        .await;
    let intents: Vec<(String, i64)> = made.into_iter().collect::<anyhow::Result<_>>()?;
    if intents.is_empty() {
        bail!("no intents");
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "ipn: {} intents (a desk filing and a payOnline each) in {took:.1} s ({:.0}/s)",
        intents.len(),
        intents.len() as f64 / took
    );
    Ok(Plan {
        ipns: intents
            .iter()
            .enumerate()
            .map(|(n, (reference, amount))| signed_ipn(args, reference, *amount, n))
            .collect(),
        next: AtomicUsize::new(0),
        agency,
    })
}

/// Waits until today's settlement shows every intent paid; prints how long that took.
pub async fn wait_applied(args: &Args, plan: &Plan) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let leader = login(&client, args, LEADER).await?;
    let day = (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string();
    let sent = plan.next.load(Ordering::Relaxed);
    let want = plan.ipns.len().min(sent);
    let phase_end = Instant::now();
    let deadline = phase_end + Duration::from_secs(300);
    loop {
        let r = post(
            &client,
            &args.url,
            Some(&leader),
            &json!({
                "query": "query($a: ID!, $d: String!) { settlementReport(agencyId: $a, date: $d) { unexplained amountAlerts lines { unexplained explanation payment { status reference } } } }",
                "variables": { "a": plan.agency, "d": day },
            }),
        )
        .await?;
        let lines = r
            .pointer("/data/settlementReport/lines")
            .and_then(Value::as_array)
            .with_context(|| format!("no settlement: {r}"))?;
        let paid = lines
            .iter()
            .filter(|l| l.pointer("/payment/status").and_then(Value::as_str) == Some("PAID"))
            .count();
        if paid >= want {
            println!(
                "ipn: {sent} IPNs sent ({} replays); {paid} payments applied, the last {:.1} s after the \
                 phase ended; settlement: {} unexplained lines",
                sent.saturating_sub(plan.ipns.len()),
                phase_end.elapsed().as_secs_f64(),
                r.pointer("/data/settlementReport/unexplained")
                    .and_then(Value::as_i64)
                    .unwrap_or(-1),
            );
            for line in lines
                .iter()
                .filter(|l| l.get("unexplained") == Some(&Value::Bool(true)))
                .take(5)
            {
                println!("  unexplained: {line}");
            }
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("only {paid} of {want} payments applied after 300 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
