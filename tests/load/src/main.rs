//! `motcua-load`: a small load tool for the API, reusable by later issues. It measures a `/healthz`
//! baseline and then a GraphQL operation, each with N keep-alive connections for T seconds, on
//! loopback only, and prints requests/s, p50 and p99 latency, errors, and the ratio to the baseline.

use anyhow::{Context, bail};

mod ipn;
use clap::Parser;
use std::time::{Duration, Instant};

/// Command line.
#[derive(Debug, Parser)]
#[command(name = "motcua-load", about)]
struct Args {
    /// The service, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds per phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// The GraphQL document to drive.
    #[arg(
        long,
        default_value = "{ procedures(search: \"dang ky\", first: 10) { edges { node { code name } } } }"
    )]
    query: String,
    /// Variables as JSON.
    #[arg(long, default_value = "{}")]
    variables: String,
    /// `query` drives `--query`; `submit` files dossiers as the demo clerks of six receiving
    /// units, every request a distinct applicant and idempotency key, over every procedure of
    /// `--catalog` whose sample files cleanly; `passwords` sends what makes the server hash
    /// passwords (SECURITY.md A9): by turns 19 aliased registrations in one request, one
    /// registration, and a sign-in with a wrong password, each for a distinct number; `ipn`
    /// starts `--intents` online payments (dossiers filed at the desk for the demo citizen, who
    /// pays each through VNPAY), then sends the gateway's signed IPNs for them, in order and
    /// then again (replays), and waits until every payment is applied.
    #[arg(long, default_value = "query")]
    scenario: String,
    /// Payment intents to create (`ipn`).
    #[arg(long, default_value_t = 10_000)]
    intents: usize,
    /// The VNPay merchant code and secret the server verifies (`ipn`; the development ones by
    /// default).
    #[arg(long, default_value = "MOTCUA01")]
    vnpay_tmn_code: String,
    #[arg(long, default_value = "motcua-demo-vnpay-secret-not-for-production")]
    vnpay_secret: String,
    /// The catalogue whose valid samples are filed (`submit`).
    #[arg(long, default_value = "catalog/procedures")]
    catalog: String,
    /// The demo password (`submit`).
    #[arg(long, default_value = "MotCua@2026!")]
    password: String,
    /// The server's process id: its resident memory is sampled every 20 ms during each phase
    /// and printed (before, peak, after), from `/proc/PID/status`.
    #[arg(long)]
    server_pid: Option<u32>,
}

const SUBMIT: &str = "mutation($input: SubmitDossierInput!, $key: String!) { submitDossier(input: $input, idempotencyKey: $key) { receipt { code } userErrors { code path } } }";

/// The demo clerks of six receiving units.
const CLERKS: [&str; 6] = [
    "tiepnhan.dongkinh",
    "tiepnhan.luongvantri",
    "tiepnhan.tamthanh",
    "tiepnhan.kylua",
    "tiepnhan.dongdang",
    "tiepnhan.huulung",
];

/// One thing to file: a procedure's sample, and for each clerk the competent agency.
struct Filing {
    code: String,
    data: serde_json::Value,
    competent: Vec<String>,
}

/// What the `submit` scenario sends.
struct SubmitPlan {
    tokens: Vec<String>,
    filings: Vec<Filing>,
    run: u64,
    next: std::sync::atomic::AtomicU64,
}

impl SubmitPlan {
    /// The n-th request: clerk, procedure, a distinct applicant ID and key.
    fn request(&self) -> (String, serde_json::Value) {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let clerks = self.tokens.len().max(1);
        let filings = self.filings.len().max(1);
        let k = usize::try_from(n).unwrap_or(0);
        let clerk = k % clerks;
        let Some(f) = self.filings.get((k / clerks) % filings) else {
            return (String::new(), serde_json::Value::Null);
        };
        // A distinct applicant: the sample's applicant ID with new last six digits, replaced
        // everywhere it appears (forms cross-check it against parties, members, tax codes).
        let original = ["applicant", "owner"].iter().find_map(|who| {
            f.data
                .pointer(&format!("/{who}/id_number"))
                .and_then(serde_json::Value::as_str)
                .filter(|t| t.len() == 12)
                .map(str::to_owned)
        });
        let data = match original {
            Some(id) => {
                let fresh = format!("{}{:06}", id.get(..6).unwrap_or("001190"), n % 1_000_000);
                serde_json::from_str(&f.data.to_string().replace(&id, &fresh))
                    .unwrap_or_else(|_| f.data.clone())
            }
            None => f.data.clone(),
        };
        let body = serde_json::json!({
            "query": SUBMIT,
            "variables": {
                "input": {
                    "procedureCode": f.code,
                    "competentAgencyId": f.competent.get(clerk),
                    "formData": data,
                },
                "key": format!("load-{}-{n}", self.run),
            }
        });
        (self.tokens.get(clerk).cloned().unwrap_or_default(), body)
    }
}

/// What a phase sends.
enum Workload {
    Healthz,
    Fixed(serde_json::Value),
    Submit(std::sync::Arc<SubmitPlan>),
    Passwords(std::sync::Arc<std::sync::atomic::AtomicU64>),
    Ipn(std::sync::Arc<ipn::Plan>),
}

/// The n-th request of the `passwords` scenario: a distinct personal ID each time (province 079,
/// born 2000s), so that no per-account limit or lock is what stops it.
fn password_request(n: u64) -> serde_json::Value {
    let id = |k: u64| format!("079300{:06}", k % 1_000_000);
    match n % 3 {
        0 => {
            let aliases: String = (0..19)
                .map(|i| {
                    format!(
                        "r{i}: register(input: {{ kind: CITIZEN, identifier: \"{}\", fullName: \"Tải Thử\", password: \"một mật khẩu thử tải\" }}) {{ accepted }} ",
                        id(n * 19 + i)
                    )
                })
                .collect();
            serde_json::json!({ "query": format!("mutation {{ {aliases} }}") })
        }
        1 => serde_json::json!({
            "query": "mutation($i: RegisterInput!) { register(input: $i) { accepted } }",
            "variables": { "i": { "kind": "CITIZEN", "identifier": id(500_000 + n), "fullName": "Tải Thử", "password": "một mật khẩu thử tải" } },
        }),
        _ => serde_json::json!({
            "query": "mutation($i: String!) { login(identifier: $i, password: \"sai mật khẩu thử tải\") { accessToken } }",
            "variables": { "i": id(750_000 + n) },
        }),
    }
}

/// Samples a process's resident memory (KiB) until told to stop; returns the peak.
fn sample_rss(
    pid: u32,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<u64> {
    tokio::spawn(async move {
        let mut peak = 0;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(rss_kib(pid).unwrap_or(0));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        peak.max(rss_kib(pid).unwrap_or(0))
    })
}

/// `VmRSS` of a process, in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// What one phase measured.
struct Phase {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Phase {
    fn rate(&self) -> f64 {
        #[expect(
            clippy::cast_precision_loss,
            reason = "request counts are far below 2^52"
        )]
        let n = self.requests as f64;
        n / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies.get(i).copied().unwrap_or_default()
    }

    fn print(&self, name: &str) {
        println!(
            "{name:<9} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
            self.rate(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0,
            self.errors
        );
    }
}

async fn phase(args: &Args, work: &Workload) -> anyhow::Result<Phase> {
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()?;
        let url = args.url.clone();
        let work = match work {
            Workload::Healthz => Workload::Healthz,
            Workload::Fixed(v) => Workload::Fixed(v.clone()),
            Workload::Submit(p) => Workload::Submit(p.clone()),
            Workload::Passwords(n) => Workload::Passwords(n.clone()),
            Workload::Ipn(p) => Workload::Ipn(p.clone()),
        };
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            // Bounded in time, and in count as a second guard.
            for _ in 0..10_000_000 {
                if Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                let (response, submit) = match &work {
                    Workload::Fixed(body) => (
                        client
                            .post(format!("{url}/graphql"))
                            .json(body)
                            .send()
                            .await,
                        false,
                    ),
                    Workload::Submit(plan) => {
                        let (token, body) = plan.request();
                        (
                            client
                                .post(format!("{url}/graphql"))
                                .bearer_auth(token)
                                .json(&body)
                                .send()
                                .await,
                            true,
                        )
                    }
                    Workload::Passwords(next) => {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        (
                            client
                                .post(format!("{url}/graphql"))
                                .json(&password_request(n))
                                .send()
                                .await,
                            false,
                        )
                    }
                    Workload::Healthz => (client.get(format!("{url}/healthz")).send().await, false),
                    Workload::Ipn(plan) => {
                        let query = plan.next();
                        let ok = client
                            .get(format!("{url}/payments/vnpay/ipn"))
                            .query(query)
                            .send()
                            .await;
                        // "00" the first time, "02" (already confirmed) for a replay.
                        let good = match ok {
                            Ok(r) if r.status().is_success() => {
                                r.bytes().await.is_ok_and(|b| ipn::accepted(&b))
                            }
                            _ => false,
                        };
                        latencies.push(t.elapsed());
                        if !good {
                            errors += 1;
                        }
                        continue;
                    }
                };
                // Password requests answer refusals (aliases over the budget) on purpose: a
                // request counts as an error only when it fails at the HTTP level.
                let refusals_expected = matches!(work, Workload::Passwords(_));
                let ok = match response {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok_and(|b| {
                        refusals_expected
                            || (!b.starts_with(b"{\"errors\"")
                                && (!submit || b.windows(11).any(|w| w == b"\"receipt\":{")))
                    }),
                    _ => false,
                };
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (latencies, e) = task.await?;
        all.extend(latencies);
        errors += e;
    }
    all.sort();
    Ok(Phase {
        requests: all.len(),
        errors,
        elapsed: started.elapsed(),
        latencies: all,
    })
}

/// Moves every `YYYY-MM-DD` later than 90 days before `around` by `by` (older dates, such as
/// birth dates, stay as they are).
fn shift_dates(v: &mut serde_json::Value, around: chrono::NaiveDate, by: chrono::Duration) {
    match v {
        serde_json::Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                && (d - around).num_days() >= -90
            {
                *s = (d + by).to_string();
            }
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|i| shift_dates(i, around, by))
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(|i| shift_dates(i, around, by)),
        _ => {}
    }
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    body: &serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let mut r = client.post(format!("{url}/graphql")).json(body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    Ok(r.send().await?.json().await?)
}

/// Signs in the clerks, chooses the competent agency of every procedure for each clerk's unit,
/// and keeps the procedures whose sample files cleanly (printing why the others do not).
async fn submit_plan(args: &Args) -> anyhow::Result<SubmitPlan> {
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    let mut units = Vec::new();
    for clerk in CLERKS {
        let r = post(
            &client,
            &args.url,
            None,
            &serde_json::json!({
                "query": "mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken account { roles { agency { unitCode } } } } }",
                "variables": { "i": clerk, "p": args.password },
            }),
        )
        .await?;
        let token = r
            .pointer("/data/login/accessToken")
            .and_then(serde_json::Value::as_str)
            .with_context(|| format!("cannot sign in as {clerk}: {r}"))?;
        tokens.push(token.to_owned());
        units.push(
            r.pointer("/data/login/account/roles/0/agency/unitCode")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let agencies = post(
        &client,
        &args.url,
        None,
        &serde_json::json!({ "query": "{ agencies { id agencyType unitCode } }" }),
    )
    .await?;
    let agencies = agencies
        .pointer("/data/agencies")
        .and_then(serde_json::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let field = |a: &serde_json::Value, k: &str| {
        a.get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut files: Vec<_> = std::fs::read_dir(&args.catalog)
        .with_context(|| format!("cannot read {}", args.catalog))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut filings = Vec::new();
    for path in files {
        let entry: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let code = field(&entry, "code");
        let kind = field(&entry, "agency_type");
        let mut data = entry
            .pointer("/samples/valid/data")
            .cloned()
            .unwrap_or_default();
        // Samples are valid on their own `today`: move their recent dates to the real today.
        if let Some(sample_today) = entry
            .pointer("/samples/valid/context/today")
            .and_then(serde_json::Value::as_str)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
            shift_dates(&mut data, sample_today, today - sample_today);
        }
        let of_kind: Vec<&serde_json::Value> = agencies
            .iter()
            .filter(|a| field(a, "agencyType") == kind)
            .collect();
        let competent: Vec<String> = units
            .iter()
            .map(|unit| {
                let province = unit.get(..2).unwrap_or_default();
                of_kind
                    .iter()
                    .find(|a| field(a, "unitCode") == *unit)
                    .or_else(|| of_kind.iter().find(|a| field(a, "unitCode") == province))
                    .or_else(|| of_kind.first())
                    .map(|a| field(a, "id"))
                    .unwrap_or_default()
            })
            .collect();
        let filing = Filing {
            code: code.clone(),
            data,
            competent,
        };
        // A warm-up filing per procedure: keep what files cleanly.
        let plan = SubmitPlan {
            tokens: tokens.clone(),
            filings: vec![filing],
            run,
            next: std::sync::atomic::AtomicU64::new(999_000 + filings.len() as u64 * 6),
        };
        let (token, body) = plan.request();
        let r = post(&client, &args.url, Some(&token), &body).await?;
        if r.pointer("/data/submitDossier/receipt/code").is_some() {
            filings.extend(plan.filings);
        } else {
            println!("not filed in the load: {code}: {r}");
        }
    }
    println!(
        "submit: {} procedures, {} receiving units",
        filings.len(),
        tokens.len()
    );
    Ok(SubmitPlan {
        tokens,
        filings,
        run,
        next: std::sync::atomic::AtomicU64::new(0),
    })
}

#[expect(
    clippy::cast_precision_loss,
    reason = "memory sizes are far below 2^52 KiB"
)]
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let host = reqwest::Url::parse(&args.url).context("--url is not a URL")?;
    let loopback = match host.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if !loopback {
        bail!("motcua-load only drives services on this machine (127.0.0.0/8, ::1, localhost)");
    }
    let variables: serde_json::Value =
        serde_json::from_str(&args.variables).context("--variables is not JSON")?;
    let work = match args.scenario.as_str() {
        "query" => {
            Workload::Fixed(serde_json::json!({ "query": args.query, "variables": variables }))
        }
        "submit" => Workload::Submit(std::sync::Arc::new(submit_plan(&args).await?)),
        "passwords" => Workload::Passwords(std::sync::Arc::default()),
        "ipn" => Workload::Ipn(std::sync::Arc::new(ipn::plan(&args).await?)),
        other => bail!("--scenario is query, submit, passwords or ipn, not {other}"),
    };
    println!(
        "{} connections, {} s per phase, {}",
        args.connections, args.seconds, args.url
    );
    let baseline = phase(&args, &Workload::Healthz).await?;
    baseline.print("/healthz");
    let before = args.server_pid.and_then(rss_kib);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = args.server_pid.map(|pid| sample_rss(pid, stop.clone()));
    let graphql = phase(&args, &work).await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    graphql.print(match work {
        Workload::Submit(_) => "submit",
        Workload::Passwords(_) => "passwords",
        Workload::Ipn(_) => "ipn",
        _ => "graphql",
    });
    if let Workload::Ipn(plan) = &work {
        ipn::wait_applied(&args, plan).await?;
    }
    if let (Some(pid), Some(sampler)) = (args.server_pid, sampler) {
        let peak = sampler.await?;
        let after = rss_kib(pid);
        println!(
            "server RSS: before {:.1} MiB, peak {:.1} MiB, after {:.1} MiB",
            mib(before.unwrap_or(0)),
            mib(peak),
            mib(after.unwrap_or(0))
        );
    }
    println!(
        "graphql / healthz: {:.0}% of the baseline's rate",
        100.0 * graphql.rate() / baseline.rate().max(f64::MIN_POSITIVE)
    );
    Ok(())
}
