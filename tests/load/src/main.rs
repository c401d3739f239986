//! `motcua-load`: a small load tool for the API, reusable by later issues. It measures a `/healthz`
//! baseline and then a GraphQL operation, each with N keep-alive connections for T seconds, on
//! loopback only, and prints requests/s, p50 and p99 latency, errors, and the ratio to the baseline.

use anyhow::{Context, bail};
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

async fn phase(args: &Args, graphql: Option<&serde_json::Value>) -> anyhow::Result<Phase> {
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()?;
        let url = args.url.clone();
        let body = graphql.cloned();
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0usize);
            // Bounded in time, and in count as a second guard.
            for _ in 0..10_000_000 {
                if Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                let response = match &body {
                    Some(body) => {
                        client
                            .post(format!("{url}/graphql"))
                            .json(body)
                            .send()
                            .await
                    }
                    None => client.get(format!("{url}/healthz")).send().await,
                };
                let ok = match response {
                    Ok(r) if r.status().is_success() => r
                        .bytes()
                        .await
                        .is_ok_and(|b| !b.starts_with(b"{\"errors\"")),
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
    let body = serde_json::json!({ "query": args.query, "variables": variables });
    println!(
        "{} connections, {} s per phase, {}",
        args.connections, args.seconds, args.url
    );
    let baseline = phase(&args, None).await?;
    baseline.print("/healthz");
    let graphql = phase(&args, Some(&body)).await?;
    graphql.print("graphql");
    println!(
        "graphql / healthz: {:.0}% of the baseline's rate",
        100.0 * graphql.rate() / baseline.rate().max(f64::MIN_POSITIVE)
    );
    Ok(())
}
