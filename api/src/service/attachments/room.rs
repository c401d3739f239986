//! The per-dossier limits (SECURITY.md A2: at most [`MAX_FILES`] files and [`MAX_TOTAL`] bytes),
//! enforced by the insert itself so parallel uploads cannot pass them together: the row is
//! written only if the dossier still has room when it is written, in a transaction that holds
//! the dossier's row on PostgreSQL (SQLite runs one writer at a time already).

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait, Value};

use super::{MAX_FILES, MAX_TOTAL};
use crate::db::entities::attachment;
use crate::error::ApiError;
use crate::service::problem::Problem;
use crate::service::sql::statement;

/// The dossier already holds [`MAX_FILES`] files.
pub(super) fn too_many_files() -> Problem {
    Problem::new(
        &["file"],
        "TOO_MANY_FILES",
        format!("Mỗi hồ sơ có tối đa {MAX_FILES} tệp."),
        format!("A dossier holds at most {MAX_FILES} files."),
    )
}

/// The file would take the dossier over [`MAX_TOTAL`].
pub(super) fn too_large() -> Problem {
    Problem::new(
        &["file"],
        "DOSSIER_TOO_LARGE",
        "Tổng dung lượng tệp của hồ sơ vượt quá 50 MB.",
        "The dossier's files exceed 50 MB in total.",
    )
}

/// What a dossier holds now: (files, bytes).
async fn usage(db: &impl ConnectionTrait, dossier_id: &str) -> Result<(i64, i64), ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT COUNT(*) AS files, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes \
             FROM attachments WHERE dossier_id = ?",
            vec![dossier_id.into()],
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no usage row")))?;
    Ok((row.try_get("", "files")?, row.try_get("", "bytes")?))
}

/// The problems of adding `adding` bytes to a dossier holding `(files, bytes)`.
fn problems((files, bytes): (i64, i64), adding: i64) -> Vec<Problem> {
    let mut out = Vec::new();
    if u64::try_from(files).unwrap_or(u64::MAX) >= MAX_FILES {
        out.push(too_many_files());
    }
    if bytes.saturating_add(adding) > MAX_TOTAL {
        out.push(too_large());
    }
    out
}

/// A first look before the file is stored, so a full dossier is told so without storing the
/// file (the insert decides).
///
/// # Errors
/// A database failure.
pub(super) async fn check(
    db: &DatabaseConnection,
    dossier_id: &str,
    adding: i64,
) -> Result<Vec<Problem>, ApiError> {
    Ok(problems(usage(db, dossier_id).await?, adding))
}

/// Inserts `row` if its dossier still has room for it, atomically; otherwise nothing is written
/// and the problems say why.
///
/// # Errors
/// A database failure.
pub(super) async fn insert(
    db: &DatabaseConnection,
    row: &attachment::Model,
) -> Result<Result<(), Vec<Problem>>, ApiError> {
    let dossier_id = row.dossier_id.clone().unwrap_or_default();
    let txn = db.begin().await?;
    // Uploads to one dossier wait for each other here; each then counts what the one before it
    // committed.
    super::super::dossier::repo::lock(&txn, &dossier_id).await?;
    let values: Vec<Value> = vec![
        row.id.as_str().into(),
        row.owner_user_id.into(),
        row.dossier_id.clone().into(),
        row.component_id.clone().into(),
        row.content_type.as_str().into(),
        row.size.into(),
        row.sha256.as_str().into(),
        row.original_name.as_str().into(),
        row.storage_key.as_str().into(),
        row.created_at.into(),
        dossier_id.as_str().into(),
        i64::try_from(MAX_FILES).unwrap_or(i64::MAX).into(),
        dossier_id.as_str().into(),
        row.size.into(),
        MAX_TOTAL.into(),
    ];
    let inserted = txn
        .execute_raw(statement(
            &txn,
            "INSERT INTO attachments (id, owner_user_id, dossier_id, component_id, content_type, \
             size, sha256, original_name, storage_key, created_at) \
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
             WHERE (SELECT COUNT(*) FROM attachments WHERE dossier_id = ?) < ? \
             AND (SELECT COALESCE(SUM(size), 0) FROM attachments WHERE dossier_id = ?) + ? <= ?",
            values,
        ))
        .await?
        .rows_affected();
    if inserted == 1 {
        // A document scanned at the desk digitises a filed dossier (Decision 766).
        crate::service::kpi::facts::refresh(&txn, &dossier_id).await?;
        txn.commit().await?;
        return Ok(Ok(()));
    }
    let mut refused = problems(usage(&txn, &dossier_id).await?, row.size);
    txn.rollback().await?;
    if refused.is_empty() {
        refused.push(too_many_files());
    }
    Ok(Err(refused))
}
