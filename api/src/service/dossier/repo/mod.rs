//! Every SQL statement that touches dossiers, their history, their control sheet, their codes and
//! their idempotency keys. The dossier's columns are written through its entity here and nowhere
//! else (filing in [`filing`], changes after filing in [`update`]), so a new column is added in the
//! migration, the entity and — if a service sets it — one `Set` in a service.

pub mod filing;
pub mod history;
pub mod steps;

use crate::service::sql::is_unique_violation;
use motcua_core::deadline::DeadlineState;
use motcua_core::dossier::Status;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::super::sql::{past_cursor, statement};
use crate::db::entities::dossier::{ActiveModel, Column, Entity, Model};
use crate::error::ApiError;

/// One dossier.
///
/// # Errors
/// A database failure.
pub async fn find(db: &impl ConnectionTrait, id: &str) -> Result<Option<Model>, ApiError> {
    Ok(Entity::find_by_id(id.to_owned()).one(db).await?)
}

/// The dossier with `code`.
///
/// # Errors
/// A database failure.
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Model>, ApiError> {
    Ok(Entity::find().filter(Column::Code.eq(code)).one(db).await?)
}

/// Inserts a new dossier (a draft). `Ok(None)` when its id is taken.
///
/// # Errors
/// A database failure.
pub async fn insert(
    db: &impl ConnectionTrait,
    row: ActiveModel,
) -> Result<Option<Model>, ApiError> {
    match row.insert(db).await {
        Ok(d) => Ok(Some(d)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Writes the columns `change` sets and bumps the version, if the dossier is still at
/// `expected_version` when one is given (and `extra` holds). Returns whether a row was written.
///
/// # Errors
/// A database failure.
pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    expected_version: Option<i64>,
    change: ActiveModel,
    extra: Condition,
) -> Result<bool, ApiError> {
    let mut q = Entity::update_many()
        .set(change)
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .filter(extra);
    if let Some(v) = expected_version {
        q = q.filter(Column::Version.eq(v));
    }
    let updated = q.exec(db).await?.rows_affected;
    Ok(updated == 1)
}

/// Sets the deadline state of a running dossier, if it is still `from` with due date `due`
/// (another instance may have marked it first). Returns whether this call changed it.
///
/// # Errors
/// A database failure.
pub async fn mark_deadline(
    db: &impl ConnectionTrait,
    id: &str,
    (from, to): (&str, &str),
    due: &str,
) -> Result<bool, ApiError> {
    let changed = Entity::update_many()
        .col_expr(Column::DeadlineState, Expr::value(to))
        .filter(Column::Id.eq(id))
        .filter(Column::DeadlineState.eq(from))
        .filter(Column::DueAt.eq(due))
        .exec(db)
        .await?
        .rows_affected;
    Ok(changed == 1)
}

/// The running dossiers whose deadline state may have to change: due by `horizon`, or marked.
/// Due dates are stored as RFC 3339 with +07:00 and whole seconds, so text order is time order.
///
/// # Errors
/// A database failure.
pub async fn deadline_candidates(
    db: &impl ConnectionTrait,
    running: &[Status],
    horizon: &str,
) -> Result<Vec<(String, String, String)>, ApiError> {
    Ok(Entity::find()
        .select_only()
        .columns([Column::Id, Column::DueAt, Column::DeadlineState])
        .filter(Column::Status.is_in(running.iter().map(|s| s.as_str())))
        .filter(Column::DueAt.is_not_null())
        .filter(
            Condition::any()
                .add(Column::DueAt.lte(horizon))
                .add(Column::DeadlineState.ne(DeadlineState::OnTrack.as_str())),
        )
        .into_tuple()
        .all(db)
        .await?)
}

/// The open dossiers whose clock started and whose due date the leader did not re-set: those a
/// calendar change moves.
///
/// # Errors
/// A database failure.
pub async fn open_with_computed_due(
    db: &impl ConnectionTrait,
    open: &[Status],
) -> Result<Vec<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::Status.is_in(open.iter().map(|s| s.as_str())))
        .filter(Column::ReceivedAt.is_not_null())
        .filter(Column::RedateCount.eq(0))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// A page of the applicant's dossiers, newest first (`limit + 1` rows: one more tells whether a
/// next page exists).
///
/// # Errors
/// A database failure.
pub async fn of_applicant(
    db: &impl ConnectionTrait,
    user: i64,
    statuses: &[String],
    after: Option<&(i64, String)>,
    limit: u64,
) -> Result<Vec<Model>, ApiError> {
    let mut q = Entity::find()
        .filter(Column::ApplicantUserId.eq(user))
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id);
    if !statuses.is_empty() {
        q = q.filter(Column::Status.is_in(statuses.iter().cloned()));
    }
    if let Some(cursor) = after {
        q = q.filter(past_cursor((Column::CreatedAt, Column::Id), cursor, true));
    }
    Ok(q.limit(limit + 1).all(db).await?)
}

/// A page of the intake queue of `agencies`, oldest submission first (`limit + 1` rows).
///
/// # Errors
/// A database failure.
pub async fn of_receiving(
    db: &impl ConnectionTrait,
    agencies: Vec<i64>,
    statuses: Vec<String>,
    after: Option<&(i64, String)>,
    limit: u64,
) -> Result<Vec<Model>, ApiError> {
    let mut q = Entity::find()
        .filter(Column::ReceivingAgencyId.is_in(agencies))
        .filter(Column::Status.is_in(statuses))
        .order_by_asc(Column::SubmittedAt)
        .order_by_asc(Column::Id);
    if let Some(cursor) = after {
        q = q.filter(past_cursor(
            (Column::SubmittedAt, Column::Id),
            cursor,
            false,
        ));
    }
    Ok(q.limit(limit + 1).all(db).await?)
}

/// A page of the open dossiers `agencies` hold now, oldest receipt first (`limit + 1` rows).
///
/// # Errors
/// A database failure.
pub async fn held_by(
    db: &impl ConnectionTrait,
    agencies: Vec<i64>,
    open: &[Status],
    deadline_state: Option<&str>,
    after: Option<&(i64, String)>,
    limit: u64,
) -> Result<Vec<Model>, ApiError> {
    let mut q = Entity::find()
        .filter(Column::HandlingAgencyId.is_in(agencies))
        .filter(Column::Status.is_in(open.iter().map(|s| s.as_str())))
        .order_by_asc(Column::ReceivedAt)
        .order_by_asc(Column::Id);
    if let Some(state) = deadline_state {
        q = q.filter(Column::DeadlineState.eq(state));
    }
    if let Some(cursor) = after {
        q = q.filter(past_cursor((Column::ReceivedAt, Column::Id), cursor, false));
    }
    Ok(q.limit(limit + 1).all(db).await?)
}

/// How many dossiers in `status` the units `agencies` received.
///
/// # Errors
/// A database failure.
pub async fn count_received_at(
    db: &impl ConnectionTrait,
    agencies: Vec<i64>,
    status: Status,
) -> Result<u64, ApiError> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(Column::ReceivingAgencyId.is_in(agencies))
        .filter(Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}

/// How many open dossiers `agencies` hold, by deadline state.
///
/// # Errors
/// A database failure.
pub async fn count_held_by_deadline(
    db: &impl ConnectionTrait,
    agencies: Vec<i64>,
    open: &[Status],
) -> Result<Vec<(String, u64)>, ApiError> {
    let rows: Vec<(String, i64)> = Entity::find()
        .select_only()
        .column(Column::DeadlineState)
        .column_as(Column::Id.count(), "n")
        .filter(Column::HandlingAgencyId.is_in(agencies))
        .filter(Column::Status.is_in(open.iter().map(|s| s.as_str())))
        .group_by(Column::DeadlineState)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(state, n)| (state, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// A page of the filed dossiers received at `desks` or competent for or held by `offices` whose
/// code is `code` or whose applicant's ID number is `id_number`, newest filing first.
///
/// # Errors
/// A database failure.
pub async fn search_within(
    db: &impl ConnectionTrait,
    (desks, offices): (Vec<i64>, Vec<i64>),
    (code, id_number): (&str, &str),
    after: Option<&(i64, String)>,
    limit: u64,
) -> Result<Vec<Model>, ApiError> {
    let mut text = Condition::any()
        .add(Column::Code.eq(code))
        .add(Column::ApplicantIdNumber.eq(id_number));
    // A name: every folded word, in any order, inside the folded name ("an nguyen" finds
    // "Nguyễn Văn An"); LIKE's own wildcards in the text are taken literally.
    let words: Vec<String> = motcua_core::text::fold(code)
        .split_whitespace()
        .map(|w| {
            w.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        })
        .collect();
    if words.iter().map(String::len).sum::<usize>() >= 2 {
        let mut name = Condition::all();
        for w in &words {
            name = name.add(
                Expr::col(Column::ApplicantSearch)
                    .like(LikeExpr::new(format!("%{w}%")).escape('\\')),
            );
        }
        text = text.add(name);
    }
    let mut q = Entity::find()
        .filter(Column::Status.ne(Status::Draft.as_str()))
        .filter(text)
        .filter(
            Condition::any()
                .add(Column::ReceivingAgencyId.is_in(desks))
                .add(Column::CompetentAgencyId.is_in(offices.clone()))
                .add(Column::HandlingAgencyId.is_in(offices)),
        )
        .order_by_desc(Column::SubmittedAt)
        .order_by_desc(Column::Id);
    if let Some(cursor) = after {
        q = q.filter(past_cursor((Column::SubmittedAt, Column::Id), cursor, true));
    }
    Ok(q.limit(limit + 1).all(db).await?)
}

/// Links to `user` the dossiers filed for `login` without an account (desk and postal filings),
/// once the account's identity is verified (Z4). Returns how many.
///
/// # Errors
/// A database failure.
pub async fn link_to_account(
    db: &impl ConnectionTrait,
    user: i64,
    login: &str,
) -> Result<u64, ApiError> {
    Ok(Entity::update_many()
        .col_expr(Column::ApplicantUserId, Expr::value(user))
        .filter(Column::ApplicantIdNumber.eq(login))
        .filter(Column::ApplicantUserId.is_null())
        .filter(Column::Status.ne(Status::Draft.as_str()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Locks the dossier's row until the end of `txn` on PostgreSQL, so that uploads to one dossier
/// wait for each other and each counts what the one before it committed. SQLite has one writer at
/// a time and needs no lock.
///
/// # Errors
/// A database failure.
pub async fn lock(txn: &impl ConnectionTrait, id: &str) -> Result<(), ApiError> {
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_raw(statement(
            txn,
            "SELECT id FROM dossiers WHERE id = ? FOR UPDATE",
            vec![id.into()],
        ))
        .await?;
    }
    Ok(())
}
