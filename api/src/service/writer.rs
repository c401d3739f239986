//! The filing writer: submissions are written by one task per instance that takes every filing
//! waiting at that moment and commits them in one transaction (group commit), each in its own
//! savepoint so that one refusal never affects the others. A filing is acknowledged only after
//! its transaction is committed — durable (SQLite WAL with `synchronous=FULL`, PostgreSQL with
//! fsync) — and one fsync then serves many filings.
//!
//! In-memory SQLite (tests) has a single connection: there the batch runs inline.

use motcua_core::dossier::{Action, Role, Status};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

use super::dossiers::Receipt;
use super::sql::statement;
use crate::error::ApiError;

/// Everything a filing writes, computed before it reaches the writer.
#[derive(Debug, Clone)]
pub struct Job {
    /// The filer.
    pub user_id: i64,
    /// The idempotency key.
    pub key: String,
    /// SHA-256 of the request.
    pub hash: String,
    /// The dossier's UUID.
    pub dossier_id: String,
    /// The procedure.
    pub procedure_code: String,
    /// The catalogue version.
    pub version_id: i64,
    /// The applicant's account when the filer is the applicant.
    pub applicant_account: Option<i64>,
    /// The applicant's name.
    pub applicant_name: String,
    /// The applicant's ID number (also used to link the person's own account).
    pub applicant_id: String,
    /// National channel code.
    pub channel: i64,
    /// Receiving unit id.
    pub receiving_id: i64,
    /// Receiving unit electronic ID (starts the code).
    pub receiving_code: String,
    /// Competent agency id.
    pub competent_id: i64,
    /// Form data (JSON text).
    pub form_text: String,
    /// Fee total.
    pub fee_total: i64,
    /// The quote (JSON text).
    pub quote_text: String,
    /// Unix seconds.
    pub now: i64,
    /// `yyMMdd` in Asia/Ho_Chi_Minh.
    pub day: String,
    /// The due date intake would give now.
    pub expected_due_at: String,
    /// The core role of the filer.
    pub role: Role,
}

/// What became of a filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// Filed now.
    Filed(Receipt),
    /// The key was already used: read the stored receipt.
    Replay,
    /// The dossier id belongs to something else.
    Conflict,
}

type Request = (Job, oneshot::Sender<Result<Done, ApiError>>);

/// Most filings in one transaction.
const BATCH: usize = 256;

/// Where filings are written.
#[derive(Clone, Debug)]
pub enum Writer {
    /// In the caller's task (in-memory SQLite).
    Inline(DatabaseConnection),
    /// Through the writer task.
    Queue(mpsc::Sender<Request>),
}

impl Writer {
    /// Starts the writer for the database at `url`: its own thread, runtime and connection, so
    /// that a transaction never waits for a busy request thread.
    ///
    /// # Errors
    /// The writer's connection cannot be opened.
    pub async fn start(db: DatabaseConnection, url: &str) -> anyhow::Result<Self> {
        if url.contains(":memory:") {
            return Ok(Self::Inline(db));
        }
        let (tx, mut rx) = mpsc::channel::<Request>(8192);
        let (ready_tx, ready_rx) = oneshot::channel();
        let url = url.to_owned();
        std::thread::Builder::new()
            .name("motcua-writer".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready_tx.send(Err(anyhow::anyhow!("writer runtime: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let conn = match crate::db::connect(&url, Some(1)).await {
                        Ok(c) => c,
                        Err(e) => {
                            let _ = ready_tx.send(Err(anyhow::anyhow!("writer connection: {e}")));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    while let Some(first) = rx.recv().await {
                        let mut batch = vec![first];
                        while batch.len() < BATCH {
                            match rx.try_recv() {
                                Ok(r) => batch.push(r),
                                Err(_) => break,
                            }
                        }
                        run_batch(&conn, batch).await;
                    }
                });
            })?;
        ready_rx.await??;
        Ok(Self::Queue(tx))
    }

    /// Writes one filing; answers once it is committed (or refused).
    ///
    /// # Errors
    /// A database failure (nothing of the filing was written).
    pub async fn file(&self, job: Job) -> Result<Done, ApiError> {
        match self {
            Self::Inline(db) => {
                let (tx, rx) = oneshot::channel();
                run_batch(db, vec![(job, tx)]).await;
                rx.await.map_err(|_| {
                    ApiError::Internal(anyhow::anyhow!("the writer dropped a filing"))
                })?
            }
            Self::Queue(queue) => {
                let (tx, rx) = oneshot::channel();
                queue
                    .send((job, tx))
                    .await
                    .map_err(|_| ApiError::Internal(anyhow::anyhow!("the writer has stopped")))?;
                rx.await.map_err(|_| {
                    ApiError::Internal(anyhow::anyhow!("the writer dropped a filing"))
                })?
            }
        }
    }
}

/// One transaction for the batch, one savepoint per filing; replies after the commit.
async fn run_batch(db: &DatabaseConnection, batch: Vec<Request>) {
    let outcome = async {
        let txn = db.begin().await?;
        let mut results = Vec::with_capacity(batch.len());
        for (job, _) in &batch {
            let savepoint = txn.begin().await?;
            match apply(&savepoint, job).await {
                Ok(Done::Filed(r)) => {
                    savepoint.commit().await?;
                    results.push(Ok(Done::Filed(r)));
                }
                Ok(other) => {
                    savepoint.rollback().await?;
                    results.push(Ok(other));
                }
                Err(e) => {
                    savepoint.rollback().await?;
                    results.push(Err(e));
                }
            }
        }
        txn.commit().await?;
        Ok::<_, ApiError>(results)
    }
    .await;
    match outcome {
        Ok(results) => {
            for ((_, reply), result) in batch.into_iter().zip(results) {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, filings = batch.len(), "a filing batch failed; nothing of it was written");
            for (_, reply) in batch {
                let _ = reply.send(Err(ApiError::Internal(anyhow::anyhow!(
                    "the filing batch failed"
                ))));
            }
        }
    }
}

/// The statements of one filing.
async fn apply(db: &impl ConnectionTrait, job: &Job) -> Result<Done, ApiError> {
    // The key first: a replay (even in the same batch) stops here.
    let claimed = db
        .execute_raw(statement(
            db,
            "INSERT INTO idempotency_keys (user_id, key, request_hash, dossier_id, response, created_at) \
             VALUES (?, ?, ?, ?, '', ?) ON CONFLICT (user_id, key) DO NOTHING",
            vec![
                job.user_id.into(),
                job.key.clone().into(),
                job.hash.clone().into(),
                job.dossier_id.clone().into(),
                job.now.into(),
            ],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        return Ok(Done::Replay);
    }
    let seq_row = db
        .query_one_raw(statement(
            db,
            "INSERT INTO dossier_sequences (agency_id, day, last) VALUES (?, ?, 1) \
             ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_sequences.last + 1 \
             RETURNING last",
            vec![job.receiving_id.into(), job.day.clone().into()],
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no dossier sequence")))?;
    let seq: i64 = seq_row.try_get("", "last")?;
    let code = if seq <= 9999 {
        format!("{}-{}-{seq:04}", job.receiving_code, job.day)
    } else {
        format!("{}-{}-{seq}", job.receiving_code, job.day)
    };
    let submitted = Status::Submitted;
    // A desk or postal dossier goes to the person's account only when that account's identity
    // was verified: a self-declared registration with someone else's number gets nothing (Z4).
    let account_sql = "COALESCE(?, (SELECT id FROM users WHERE login = ? AND kind <> 'OFFICIAL' \
                       AND identity_level <> 'SELF_DECLARED'))";
    let inserted = db
        .execute_raw(statement(
            db,
            &format!(
                "INSERT INTO dossiers (id, code, procedure_code, procedure_version_id, applicant_user_id, \
                 applicant_name, applicant_id_number, filed_by_user_id, channel, receiving_agency_id, \
                 competent_agency_id, status, status_code, form_data, fee_total, fee_quote, submitted_at, \
                 supplement_count, redate_count, version, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, {account_sql}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 1, ?, ?) \
                 ON CONFLICT (id) DO NOTHING"
            ),
            vec![
                job.dossier_id.clone().into(),
                code.clone().into(),
                job.procedure_code.clone().into(),
                job.version_id.into(),
                job.applicant_account.into(),
                job.applicant_id.clone().into(),
                job.applicant_name.clone().into(),
                job.applicant_id.clone().into(),
                job.user_id.into(),
                job.channel.into(),
                job.receiving_id.into(),
                job.competent_id.into(),
                submitted.as_str().into(),
                i64::from(submitted.national_code()).into(),
                job.form_text.clone().into(),
                job.fee_total.into(),
                job.quote_text.clone().into(),
                job.now.into(),
                job.now.into(),
                job.now.into(),
            ],
        ))
        .await?
        .rows_affected();
    if inserted == 0 {
        // The id exists: only the filer's own draft of this procedure may become this dossier.
        let updated = db
            .execute_raw(statement(
                db,
                &format!(
                    "UPDATE dossiers SET code = ?, procedure_version_id = ?, applicant_user_id = {account_sql}, \
                     applicant_name = ?, applicant_id_number = ?, channel = ?, receiving_agency_id = ?, \
                     competent_agency_id = ?, status = ?, status_code = ?, form_data = ?, fee_total = ?, \
                     fee_quote = ?, submitted_at = ?, version = version + 1, updated_at = ? \
                     WHERE id = ? AND status = 'DRAFT' AND filed_by_user_id = ? AND procedure_code = ?"
                ),
                vec![
                    code.clone().into(),
                    job.version_id.into(),
                    job.applicant_account.into(),
                    job.applicant_id.clone().into(),
                    job.applicant_name.clone().into(),
                    job.applicant_id.clone().into(),
                    job.channel.into(),
                    job.receiving_id.into(),
                    job.competent_id.into(),
                    submitted.as_str().into(),
                    i64::from(submitted.national_code()).into(),
                    job.form_text.clone().into(),
                    job.fee_total.into(),
                    job.quote_text.clone().into(),
                    job.now.into(),
                    job.now.into(),
                    job.dossier_id.clone().into(),
                    job.user_id.into(),
                    job.procedure_code.clone().into(),
                ],
            ))
            .await?
            .rows_affected();
        if updated == 0 {
            return Ok(Done::Conflict);
        }
    }
    let receipt = Receipt {
        dossier_id: job.dossier_id.clone(),
        code,
        status: submitted.as_str().to_owned(),
        submitted_at: job.now,
        fee_total: job.fee_total,
        expected_due_at: job.expected_due_at.clone(),
    };
    db.execute_raw(statement(
        db,
        "INSERT INTO dossier_history (dossier_id, at, actor_user_id, role, action, from_status, \
         to_status, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        vec![
            job.dossier_id.clone().into(),
            job.now.into(),
            job.user_id.into(),
            job.role.as_str().into(),
            Action::Submit.as_str().into(),
            Status::Draft.as_str().into(),
            submitted.as_str().into(),
            json!({ "channel": job.channel, "expectedDueAt": job.expected_due_at, "feeTotal": job.fee_total })
                .to_string()
                .into(),
        ],
    ))
    .await?;
    db.execute_raw(statement(
        db,
        "UPDATE idempotency_keys SET response = ? WHERE user_id = ? AND key = ?",
        vec![
            serde_json::to_string(&receipt)
                .map_err(|e| ApiError::Internal(e.into()))?
                .into(),
            job.user_id.into(),
            job.key.clone().into(),
        ],
    ))
    .await?;
    Ok(Done::Filed(receipt))
}
