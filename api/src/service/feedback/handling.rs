//! A filing handled short of an answer, and the author's part after it: the agency refuses it
//! with a reason or asks the author for information (within the 2 and 5 working days the core
//! counted at receipt; late actions are allowed and show as overdue), the author replies (the
//! 15 working days to answer are counted again from the reply, as from a complete filing), and
//! the author rates the answer once.

use motcua_core::feedback;
use motcua_core::kpi::survey::Answer;
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::super::cache::FilingCache;
use super::super::problem::{Outcome, Problem};
use super::{ANSWERED, INFO_REQUESTED, PUBLISHED, RECEIVED, REFUSED, own};
use crate::auth::{OfficialRole, Principal};
use crate::db::entities::feedback::{Column, Entity, Model};
use crate::error::ApiError;

fn text_problem(field: &str, code: &str, max: usize) -> Problem {
    Problem::new(
        &["input", field],
        code,
        format!("Nội dung từ 10 đến {max} ký tự."),
        format!("Write 10 to {max} characters."),
    )
}

fn wrong_state(vi: &str, en: &str) -> Problem {
    Problem::new(&["input", "id"], "WRONG_STATE", vi, en)
}

/// `text` trimmed if it has 10 to `max` characters.
fn sized(text: &str, max: usize) -> Option<String> {
    let t = text.trim();
    (10..=max)
        .contains(&t.chars().count())
        .then(|| t.to_owned())
}

/// Sets `cols` on filing `id` if it is still in one of `from`; the row after, or `None` when
/// someone else moved it first.
pub(super) async fn guarded(
    db: &DatabaseConnection,
    id: i64,
    from: &[&str],
    cols: Vec<(Column, SimpleExpr)>,
) -> Result<Option<Model>, ApiError> {
    let mut update = Entity::update_many();
    for (c, v) in cols {
        update = update.col_expr(c, v);
    }
    let done = update
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in(from.iter().copied()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(None);
    }
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// A filing the caller wrote (with their account).
async fn authored(db: &DatabaseConnection, p: &Principal, id: i64) -> Result<Model, ApiError> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.user_id == Some(p.user_id))
        .ok_or(ApiError::NotFound)
}

/// A specialist or leader of the agency refuses a filing still open, with the reason the author
/// reads. It counts as handled when it was refused (the index's complaints answered on time).
///
/// # Errors
/// `NOT_FOUND` outside the agency, a database failure.
pub async fn refuse(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    reason: &str,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = own(db, p, id, &[OfficialRole::Specialist, OfficialRole::Leader]).await?;
    let open = [RECEIVED, INFO_REQUESTED];
    let closed = || {
        wrong_state(
            "Chỉ từ chối phản ánh đang chờ xử lý.",
            "Only a filing still waiting can be refused.",
        )
    };
    let mut problems = Vec::new();
    if !open.contains(&m.status.as_str()) {
        problems.push(closed());
    }
    let reason = sized(reason, 2_000);
    if reason.is_none() {
        problems.push(text_problem("reason", "INVALID_REASON", 2_000));
    }
    let (Some(reason), true) = (reason, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let cols = vec![
        (Column::Status, REFUSED.into()),
        (Column::RefusalReason, Some(reason).into()),
        (Column::AnsweredAt, Some(now).into()),
        (Column::AnsweredBy, Some(p.user_id).into()),
    ];
    Ok(guarded(db, id, &open, cols)
        .await?
        .ok_or_else(|| vec![closed()]))
}

/// A specialist or leader of the agency asks the author for information, once, while the filing
/// waits for an answer. Filings without an account are asked through their contact by the
/// official; the question is kept here either way.
///
/// # Errors
/// `NOT_FOUND` outside the agency, a database failure.
pub async fn request_info(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    question: &str,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = own(db, p, id, &[OfficialRole::Specialist, OfficialRole::Leader]).await?;
    let not_waiting = || {
        wrong_state(
            "Chỉ hỏi thêm thông tin một lần, khi phản ánh đang chờ trả lời.",
            "Information can be asked once, while the filing waits for an answer.",
        )
    };
    let mut problems = Vec::new();
    if m.status != RECEIVED || m.info_requested_at.is_some() {
        problems.push(not_waiting());
    }
    let question = sized(question, 2_000);
    if question.is_none() {
        problems.push(text_problem("question", "INVALID_QUESTION", 2_000));
    }
    let (Some(question), true) = (question, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let cols = vec![
        (Column::Status, INFO_REQUESTED.into()),
        (Column::InfoRequest, Some(question).into()),
        (Column::InfoRequestedAt, Some(now).into()),
    ];
    Ok(guarded(db, id, &[RECEIVED], cols)
        .await?
        .ok_or_else(|| vec![not_waiting()]))
}

/// The author replies to the agency's question; the filing waits for its answer again, due 15
/// working days after the reply (the core's deadlines).
///
/// # Errors
/// `NOT_FOUND` for anyone but the author, a database failure.
pub async fn reply_info(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    id: i64,
    reply: &str,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = authored(db, p, id).await?;
    let not_asked = || {
        wrong_state(
            "Cơ quan chưa hỏi thêm thông tin về phản ánh này.",
            "The agency has not asked for information on this filing.",
        )
    };
    let mut problems = Vec::new();
    if m.status != INFO_REQUESTED {
        problems.push(not_asked());
    }
    let reply = sized(reply, 5_000);
    if reply.is_none() {
        problems.push(text_problem("reply", "INVALID_REPLY", 5_000));
    }
    let (Some(reply), true) = (reply, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let calendar = cache.calendar(db).await?;
    let d = feedback::deadlines(&calendar, crate::clock::vn(now))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("deadlines: {e}")))?;
    let cols = vec![
        (Column::Status, RECEIVED.into()),
        (Column::InfoReply, Some(reply).into()),
        (Column::InfoRepliedAt, Some(now).into()),
        (Column::ResolveBy, d.resolve_by.timestamp().into()),
    ];
    Ok(guarded(db, id, &[INFO_REQUESTED], cols)
        .await?
        .ok_or_else(|| vec![not_asked()]))
}

/// The author rates the answer once: `VERY_SATISFIED`, `SATISFIED` or `UNSATISFIED` (the
/// survey's answers).
///
/// # Errors
/// `NOT_FOUND` for anyone but the author, a database failure.
pub async fn rate(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    rating: Answer,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = authored(db, p, id).await?;
    let not_rateable = || {
        wrong_state(
            "Chỉ đánh giá một lần, sau khi phản ánh được trả lời.",
            "An answer is rated once, after it is given.",
        )
    };
    if !matches!(m.status.as_str(), ANSWERED | PUBLISHED) || m.rating.is_some() {
        return Ok(Err(vec![not_rateable()]));
    }
    let done = Entity::update_many()
        .col_expr(Column::Rating, Some(rating.as_str().to_owned()).into())
        .col_expr(Column::RatedAt, Some(now).into())
        .filter(Column::Id.eq(id))
        .filter(Column::Rating.is_null())
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(Err(vec![not_rateable()]));
    }
    Ok(Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| vec![not_rateable()]))
}
