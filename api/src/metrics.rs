//! Prometheus metrics at `/metrics` (text format 0.0.4), kept in process: each instance reports
//! its own, as Prometheus expects. No external telemetry (SECURITY.md V7).

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds (seconds) of the request-duration histogram.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// The counters.
#[derive(Debug, Default)]
pub struct Metrics {
    graphql_ok: AtomicU64,
    graphql_errors: AtomicU64,
    graphql_refused: AtomicU64,
    unauthenticated: AtomicU64,
    rate_limited: AtomicU64,
    duration_buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_sum_micros: AtomicU64,
}

/// How a GraphQL request ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    /// No errors.
    Ok,
    /// Errors in the response.
    Errors,
    /// Refused before execution (content type, body, JSON).
    Refused,
    /// A bad or revoked access token.
    Unauthenticated,
    /// A rate limit or a locked account.
    RateLimited,
}

impl Metrics {
    /// Records one GraphQL request.
    pub fn record(&self, outcome: Outcome, elapsed: std::time::Duration) {
        let counter = match outcome {
            Outcome::Ok => &self.graphql_ok,
            Outcome::Errors => &self.graphql_errors,
            Outcome::Refused => &self.graphql_refused,
            Outcome::Unauthenticated => &self.unauthenticated,
            Outcome::RateLimited => &self.rate_limited,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.duration_buckets) {
            if secs <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        self.duration_sum_micros.fetch_add(
            u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    /// The Prometheus text exposition.
    #[must_use]
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP motcua_graphql_requests_total GraphQL requests by outcome.\n\
             # TYPE motcua_graphql_requests_total counter"
        );
        for (label, c) in [
            ("ok", &self.graphql_ok),
            ("errors", &self.graphql_errors),
            ("refused", &self.graphql_refused),
            ("unauthenticated", &self.unauthenticated),
            ("rate_limited", &self.rate_limited),
        ] {
            let _ = writeln!(
                out,
                "motcua_graphql_requests_total{{outcome=\"{label}\"}} {}",
                get(c)
            );
        }
        let _ = writeln!(
            out,
            "# HELP motcua_graphql_request_duration_seconds Time to answer a GraphQL request.\n\
             # TYPE motcua_graphql_request_duration_seconds histogram"
        );
        for (bound, bucket) in BUCKETS.iter().zip(&self.duration_buckets) {
            let _ = writeln!(
                out,
                "motcua_graphql_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                get(bucket)
            );
        }
        let count = get(&self.duration_count);
        let _ = writeln!(
            out,
            "motcua_graphql_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n\
             motcua_graphql_request_duration_seconds_sum {}\n\
             motcua_graphql_request_duration_seconds_count {count}",
            get(&self.duration_sum_micros) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "# HELP motcua_outbox_messages_total Outbox messages this instance handed over or failed.\n\
             # TYPE motcua_outbox_messages_total counter"
        );
        for (channel, result, c) in [
            ("email", "sent", &OUTBOX[0]),
            ("email", "failed", &OUTBOX[1]),
            ("sms", "sent", &OUTBOX[2]),
            ("sms", "failed", &OUTBOX[3]),
        ] {
            let _ = writeln!(
                out,
                "motcua_outbox_messages_total{{channel=\"{channel}\",result=\"{result}\"}} {}",
                get(c)
            );
        }
        out
    }
}

/// Outbox counters (e-mail sent, failed; SMS sent, failed): the relay runs apart from requests,
/// so it counts into statics rather than the request metrics it has no handle on.
static OUTBOX: [AtomicU64; 4] = [
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
    AtomicU64::new(0),
];

fn outbox_slot(channel: &str, failed: bool) -> usize {
    usize::from(channel != "EMAIL") * 2 + usize::from(failed)
}

/// One message handed to its server.
pub fn outbox_sent(channel: &str) {
    if let Some(c) = OUTBOX.get(outbox_slot(channel, false)) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// One failed delivery attempt.
pub fn outbox_failed(channel: &str) {
    if let Some(c) = OUTBOX.get(outbox_slot(channel, true)) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.record(Outcome::Ok, std::time::Duration::from_millis(3));
        m.record(Outcome::Errors, std::time::Duration::from_millis(30));
        let text = m.render();
        assert!(text.contains("motcua_graphql_requests_total{outcome=\"ok\"} 1"));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("le=\"+Inf\"} 2"));
    }
}
