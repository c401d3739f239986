//! The statements of one filing, run by the writer inside its batch's transaction (one savepoint
//! per filing): claim the idempotency key, take the unit's next daily sequence number, insert the
//! dossier (or turn the filer's own draft into it), append its history row, store the receipt.

use motcua_core::dossier::{Action, Role, Status, dossier_code};
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

use super::super::super::sql::statement;
use super::super::types::Receipt;
use super::history::{self, Entry};
use crate::db::entities::{dossier, user};
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
    /// The day it entered the system, in Asia/Ho_Chi_Minh.
    pub day: chrono::NaiveDate,
    /// The due date intake would give now.
    pub expected_due_at: String,
    /// The core's intake deadline (Unix seconds): received after it, not in time.
    pub intake_by: i64,
    /// The postal tracking number of a postal filing.
    pub postal_tracking_number: Option<String>,
    /// The core role of the filer.
    pub role: Role,
    /// The status it enters (from the core's table).
    pub status: Status,
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

/// The statements of one filing.
///
/// # Errors
/// A database failure.
pub async fn apply(
    db: &impl ConnectionTrait,
    job: &Job,
    accounts: &mut Accounts<'_>,
) -> Result<Done, ApiError> {
    let seq = next_sequence(
        db,
        job.receiving_id,
        &motcua_core::dossier::day_stamp(job.day),
    )
    .await?;
    let code = dossier_code(&job.receiving_code, job.day, seq);
    let receipt = Receipt {
        dossier_id: job.dossier_id.clone(),
        code: code.clone(),
        status: job.status.as_str().to_owned(),
        submitted_at: job.now,
        fee_total: job.fee_total,
        expected_due_at: job.expected_due_at.clone(),
    };
    // The key with its answer, before the dossier: a replay (even in the same batch) stops here,
    // and the writer's savepoint rollback returns the sequence number it took.
    if !claim_key(db, job, &receipt).await? {
        return Ok(Done::Replay);
    }
    let account = match job.applicant_account {
        Some(a) => Some(a),
        None => accounts.verified(db, &job.applicant_id).await?,
    };
    let row = dossier::ActiveModel {
        code: Set(Some(code)),
        procedure_version_id: Set(job.version_id),
        applicant_user_id: Set(account),
        applicant_name: Set(job.applicant_name.clone()),
        applicant_search: Set(motcua_core::text::fold(&job.applicant_name)),
        applicant_id_number: Set(job.applicant_id.clone()),
        channel: Set(job.channel),
        receiving_agency_id: Set(job.receiving_id),
        competent_agency_id: Set(job.competent_id),
        status: Set(job.status.as_str().to_owned()),
        status_code: Set(i64::from(job.status.national_code())),
        form_data: Set(job.form_text.clone()),
        fee_total: Set(Some(job.fee_total)),
        fee_quote: Set(Some(job.quote_text.clone())),
        submitted_at: Set(Some(job.now)),
        intake_by: Set(Some(job.intake_by)),
        updated_at: Set(job.now),
        ..Default::default()
    };
    if !insert_or_file_draft(db, job, row).await? {
        return Ok(Done::Conflict);
    }
    let mut detail = serde_json::Map::new();
    detail.insert("channel".to_owned(), json!(job.channel));
    detail.insert("expectedDueAt".to_owned(), json!(job.expected_due_at));
    detail.insert("feeTotal".to_owned(), json!(job.fee_total));
    if let Some(tracking) = &job.postal_tracking_number {
        detail.insert("postalTrackingNumber".to_owned(), json!(tracking));
    }
    let detail = serde_json::Value::Object(detail);
    history::append(
        db,
        Entry {
            dossier_id: &job.dossier_id,
            at: job.now,
            actor: Some(job.user_id),
            role: job.role,
            action: Action::Submit.into(),
            from: Status::Draft,
            to: job.status,
            reason: None,
            detail: &detail,
        },
    )
    .await?;
    Ok(Done::Filed(receipt))
}

/// Stores the idempotency key with the answer it gives; `false` when the key was already used.
async fn claim_key(
    db: &impl ConnectionTrait,
    job: &Job,
    receipt: &Receipt,
) -> Result<bool, ApiError> {
    let response = serde_json::to_string(receipt).map_err(|e| ApiError::Internal(e.into()))?;
    let claimed = db
        .execute_raw(statement(
            db,
            "INSERT INTO idempotency_keys (user_id, key, request_hash, dossier_id, response, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING",
            vec![
                job.user_id.into(),
                job.key.clone().into(),
                job.hash.clone().into(),
                job.dossier_id.clone().into(),
                response.into(),
                job.now.into(),
            ],
        ))
        .await?
        .rows_affected();
    Ok(claimed == 1)
}

/// The unit's next number of the day (from 1).
async fn next_sequence(db: &impl ConnectionTrait, unit: i64, day: &str) -> Result<u64, ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "INSERT INTO dossier_sequences (agency_id, day, last) VALUES (?, ?, 1) \
             ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_sequences.last + 1 \
             RETURNING last",
            vec![unit.into(), day.into()],
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no dossier sequence")))?;
    let last: i64 = row.try_get("", "last")?;
    u64::try_from(last).map_err(|e| ApiError::Internal(e.into()))
}

/// The people's own accounts for a batch's desk and postal filings, only those whose identity was
/// verified: a self-declared registration with someone else's number gets nothing (Z4). Looked up
/// in one query for the whole batch, at the first filing that needs it — after the batch's first
/// write, so that on SQLite no verification can commit between the lookup and the inserts.
pub struct Accounts<'a> {
    logins: Vec<&'a str>,
    found: Option<HashMap<String, i64>>,
}

impl<'a> Accounts<'a> {
    /// For the filings of a batch.
    pub fn for_batch(jobs: impl Iterator<Item = &'a Job>) -> Self {
        Self {
            logins: jobs
                .filter(|j| j.applicant_account.is_none())
                .map(|j| j.applicant_id.as_str())
                .collect(),
            found: None,
        }
    }

    async fn verified(
        &mut self,
        db: &impl ConnectionTrait,
        login: &str,
    ) -> Result<Option<i64>, ApiError> {
        if self.found.is_none() {
            let rows: Vec<(i64, String)> = user::Entity::find()
                .select_only()
                .columns([user::Column::Id, user::Column::Login])
                .filter(user::Column::Login.is_in(self.logins.iter().copied()))
                .filter(user::Column::Kind.ne("OFFICIAL"))
                .filter(user::Column::IdentityLevel.ne(user::IDENTITY_SELF_DECLARED))
                .into_tuple()
                .all(db)
                .await?;
            self.found = Some(rows.into_iter().map(|(id, login)| (login, id)).collect());
        }
        Ok(self.found.as_ref().and_then(|f| f.get(login).copied()))
    }
}

/// Inserts the dossier; when its id exists, only the filer's own draft of this procedure may become
/// it. Returns whether the dossier was written.
async fn insert_or_file_draft(
    db: &impl ConnectionTrait,
    job: &Job,
    mut row: dossier::ActiveModel,
) -> Result<bool, ApiError> {
    let draft = Condition::all()
        .add(dossier::Column::Status.eq(Status::Draft.as_str()))
        .add(dossier::Column::FiledByUserId.eq(job.user_id))
        .add(dossier::Column::ProcedureCode.eq(job.procedure_code.as_str()));
    let mut new = row.clone();
    new.id = Set(job.dossier_id.clone());
    new.procedure_code = Set(job.procedure_code.clone());
    new.filed_by_user_id = Set(job.user_id);
    new.supplement_count = Set(0);
    new.redate_count = Set(0);
    new.version = Set(1);
    new.created_at = Set(job.now);
    let inserted = dossier::Entity::insert(new)
        .on_conflict(
            OnConflict::column(dossier::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(true);
    }
    row.version = sea_orm::ActiveValue::NotSet;
    let updated = dossier::Entity::update_many()
        .set(row)
        .col_expr(
            dossier::Column::Version,
            sea_orm::sea_query::Expr::col(dossier::Column::Version).add(1),
        )
        .filter(dossier::Column::Id.eq(job.dossier_id.as_str()))
        .filter(draft)
        .exec(db)
        .await?
        .rows_affected;
    Ok(updated == 1)
}

/// The receipt stored with `(user, key)`, if any; `IDEMPOTENCY_KEY_REUSED` when the key was used
/// for another request.
///
/// # Errors
/// `IDEMPOTENCY_KEY_REUSED`, a database failure.
pub async fn replay(
    db: &impl ConnectionTrait,
    user_id: i64,
    key: &str,
    hash: &str,
) -> Result<Option<Receipt>, ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT request_hash, response FROM idempotency_keys WHERE user_id = ? AND key = ?",
            vec![user_id.into(), key.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored_hash: String = row.try_get("", "request_hash")?;
    if stored_hash != hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    let response: String = row.try_get("", "response")?;
    serde_json::from_str(&response)
        .map(Some)
        .map_err(|e| ApiError::Internal(e.into()))
}
