//! The filing writer: submissions are written by one task per instance that takes every filing
//! waiting at that moment and commits them in one transaction (group commit), each in its own
//! savepoint so that one refusal never affects the others. A filing is acknowledged only after
//! its transaction is committed — durable (SQLite WAL with `synchronous=FULL`, PostgreSQL with
//! fsync) — and one fsync then serves many filings.
//!
//! In-memory SQLite (tests) has a single connection: there the batch runs inline.

use sea_orm::{DatabaseConnection, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

use super::repo::filing::{Accounts, Done, Job, apply};
use crate::error::ApiError;

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
        let mut accounts = Accounts::for_batch(batch.iter().map(|(job, _)| job));
        for (job, _) in &batch {
            let savepoint = txn.begin().await?;
            match apply(&savepoint, job, &mut accounts).await {
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
