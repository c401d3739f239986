//! The outbox relay: delivers queued e-mails (SMTP) and SMS (an HTTP gateway), retrying with
//! backoff, from any number of API instances.
//!
//! Rows are claimed with a lease (a random token and an expiry, renewed just before each send), so
//! two instances never send the same row at the same time, and a relay killed mid-batch leaves its
//! rows to be taken again when the lease runs out. Delivery is therefore at least once; what makes it exactly once for the
//! receiver is that every message carries the id of its outbox row — the e-mail's `Message-ID`,
//! the gateway's `Idempotency-Key` — so the one message that may be in flight when a relay dies is
//! recognised as the same message when it is sent again.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::json;

use super::sql::statement;
use crate::auth::tokens::random_id;
use crate::config::NotifyConfig;
use crate::error::ApiError;

/// How many rows one pass claims.
pub const BATCH: i64 = 20;
/// Attempts before a message is given up.
const MAX_ATTEMPTS: i64 = 12;
/// A far future, for messages given up (kept for the record).
const NEVER: i64 = 253_402_300_799;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Rows claimed.
    pub claimed: u64,
    /// Delivered.
    pub sent: u64,
    /// Failed (retried later, or given up).
    pub failed: u64,
}

/// Why one message was not delivered.
enum SendError {
    /// Worth retrying (the server is down, a timeout, 5xx, 429).
    Transient(String),
    /// Never going to work (a malformed address, the gateway refusing the request).
    Permanent(String),
}

/// The configured channels.
#[derive(Clone)]
pub struct Relay {
    lease_secs: i64,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    sms: Option<(reqwest::Client, String, Option<String>)>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("smtp", &self.smtp.is_some())
            .field("sms", &self.sms.is_some())
            .finish_non_exhaustive()
    }
}

impl Relay {
    /// The channels `config` names.
    ///
    /// # Errors
    /// A malformed SMTP URL, sender address or HTTP client setting.
    pub fn new(config: &NotifyConfig) -> anyhow::Result<Self> {
        let smtp = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("MOTCUA_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => None,
        };
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("MOTCUA_MAIL_FROM: {e}"))?;
        let sms = match &config.sms_url {
            Some(url) => Some((
                reqwest::Client::builder()
                    .timeout(Duration::from_secs(20))
                    .build()?,
                url.clone(),
                config.sms_token.clone(),
            )),
            None => None,
        };
        Ok(Self {
            lease_secs: config.lease_secs,
            smtp,
            from,
            sms,
        })
    }

    /// The channels this relay can deliver.
    fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.smtp.is_some() {
            c.push("EMAIL");
        }
        if self.sms.is_some() {
            c.push("SMS");
        }
        c
    }

    async fn send_email(
        &self,
        id: &str,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), SendError> {
        let Some(smtp) = &self.smtp else {
            return Err(SendError::Transient("no SMTP server configured".to_owned()));
        };
        let to: Mailbox = to
            .parse()
            // The address itself stays out of the error (it is personal data, and errors are logged).
            .map_err(|_| SendError::Permanent("malformed recipient address".to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{id}@motcua>")))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| SendError::Permanent(format!("message: {e}")))?;
        match smtp.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(smtp_failure(&e))),
            Err(e) => Err(SendError::Transient(smtp_failure(&e))),
        }
    }

    async fn send_sms(&self, id: &str, to: &str, text: &str) -> Result<(), SendError> {
        let Some((client, url, token)) = &self.sms else {
            return Err(SendError::Transient("no SMS gateway configured".to_owned()));
        };
        let mut request = client
            .post(url)
            .header("Idempotency-Key", id)
            .json(&json!({ "id": id, "to": to, "text": text }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) if r.status().is_client_error() && r.status().as_u16() != 429 => Err(
                SendError::Permanent(format!("gateway refused: HTTP {}", r.status().as_u16())),
            ),
            Ok(r) => Err(SendError::Transient(format!(
                "gateway: HTTP {}",
                r.status().as_u16()
            ))),
            Err(e) => Err(SendError::Transient(format!(
                "gateway unreachable: {}",
                e.without_url()
            ))),
        }
    }

    /// Claims up to [`BATCH`] due rows of the configured channels and delivers them.
    ///
    /// # Errors
    /// A database failure (the rows claimed stay leased and are taken again later).
    pub async fn run_once(&self, db: &DatabaseConnection, now: i64) -> Result<Pass, ApiError> {
        let channels = self.channels();
        if channels.is_empty() {
            return Ok(Pass::default());
        }
        let token = random_id().map_err(ApiError::Internal)?;
        let channel_list = channels
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let lock = if db.get_database_backend() == DbBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let claimed = db
            .execute_raw(statement(
                db,
                &format!(
                    "UPDATE outbox SET lease_token = ?, lease_until = ?, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL \
                     AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) \
                     AND channel IN ({channel_list}) ORDER BY created_at, id LIMIT {BATCH}{lock})"
                ),
                vec![
                    token.clone().into(),
                    (now + self.lease_secs).into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?
            .rows_affected();
        let mut pass = Pass {
            claimed,
            ..Pass::default()
        };
        if claimed == 0 {
            return Ok(pass);
        }
        let rows = db
            .query_all_raw(statement(
                db,
                "SELECT id, channel, recipient, subject, body, attempts FROM outbox \
                 WHERE lease_token = ? ORDER BY created_at, id",
                vec![token.clone().into()],
            ))
            .await?;
        for row in rows {
            let id: String = row.try_get("", "id")?;
            let channel: String = row.try_get("", "channel")?;
            let recipient: String = row.try_get("", "recipient")?;
            let subject: String = row.try_get("", "subject")?;
            let body: String = row.try_get("", "body")?;
            let attempts: i64 = row.try_get("", "attempts")?;
            // Renew this row's lease just before sending it: if the batch took so long that the
            // lease ran out and another relay took the row, leave it to that relay.
            let renewed = db
                .execute_raw(statement(
                    db,
                    "UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_token = ? \
                     AND delivered_at IS NULL",
                    vec![
                        (crate::auth::now() + self.lease_secs).into(),
                        id.clone().into(),
                        token.clone().into(),
                    ],
                ))
                .await?
                .rows_affected();
            if renewed == 0 {
                continue;
            }
            let result = if channel == "EMAIL" {
                self.send_email(&id, &recipient, &subject, &body).await
            } else {
                self.send_sms(&id, &recipient, &body).await
            };
            let done_at = crate::auth::now();
            match result {
                Ok(()) => {
                    db.execute_raw(statement(
                        db,
                        "UPDATE outbox SET delivered_at = ?, lease_token = NULL, \
                         lease_until = NULL, last_error = NULL WHERE id = ? AND lease_token = ?",
                        vec![done_at.into(), id.into(), token.clone().into()],
                    ))
                    .await?;
                    pass.sent += 1;
                    crate::metrics::outbox_sent(&channel);
                }
                Err(e) => {
                    let (why, next) = match e {
                        SendError::Permanent(why) => (format!("gave up: {why}"), NEVER),
                        SendError::Transient(why) if attempts >= MAX_ATTEMPTS => {
                            (format!("gave up after {attempts} attempts: {why}"), NEVER)
                        }
                        SendError::Transient(why) => (why, done_at + backoff(attempts)),
                    };
                    tracing::warn!(channel, outbox_id = %id, attempts, error = %why, "delivery failed");
                    db.execute_raw(statement(
                        db,
                        "UPDATE outbox SET next_attempt_at = ?, lease_token = NULL, \
                         lease_until = NULL, last_error = ? WHERE id = ? AND lease_token = ?",
                        vec![
                            next.into(),
                            why.chars().take(500).collect::<String>().into(),
                            id.into(),
                            token.clone().into(),
                        ],
                    ))
                    .await?;
                    pass.failed += 1;
                    crate::metrics::outbox_failed(&channel);
                }
            }
        }
        Ok(pass)
    }
}

/// What is kept of an SMTP failure: its kind and reply code, never the server's text, which
/// quotes the recipient's address ("550 5.1.1 <an@…>: Recipient address rejected") and lands in
/// the logs and the outbox row (SECURITY.md A7).
fn smtp_failure(e: &lettre::transport::smtp::Error) -> String {
    let kind = if e.is_permanent() {
        "permanent"
    } else if e.is_transient() {
        "transient"
    } else if e.is_timeout() {
        "timeout"
    } else if e.is_tls() {
        "TLS"
    } else if e.is_client() {
        "client"
    } else {
        "connection"
    };
    match e.status() {
        Some(code) => format!("SMTP {kind} reply {code}"),
        None => format!("SMTP {kind} error"),
    }
}

/// Seconds to wait after the `attempts`-th failure: 15 s doubling, at most an hour.
#[must_use]
pub fn backoff(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 12)).unwrap_or(12);
    (15_i64.saturating_mul(2_i64.saturating_pow(exp))).min(3600)
}

/// Delivers the outbox until this instance stops: a pass every second, at once again while
/// passes come back full.
pub async fn run(db: DatabaseConnection, relay: Relay) {
    loop {
        let now = crate::auth::now();
        let full = match relay.run_once(&db, now).await {
            Ok(pass) => pass.claimed >= u64::try_from(BATCH).unwrap_or(20),
            Err(e) => {
                tracing::error!(error = %e, "outbox relay pass failed");
                false
            }
        };
        if !full {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// Counts what waits in the outbox (for `/metrics` and the tests).
///
/// # Errors
/// A database failure.
pub async fn pending(db: &impl ConnectionTrait) -> Result<i64, ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL AND next_attempt_at < ?",
            vec![NEVER.into()],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), 15);
        assert_eq!(backoff(2), 30);
        assert_eq!(backoff(3), 60);
        assert_eq!(backoff(9), 3600);
        assert_eq!(backoff(50), 3600);
        assert_eq!(backoff(0), 15);
    }
}
