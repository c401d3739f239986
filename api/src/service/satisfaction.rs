//! Satisfaction surveys: once per dossier, by its applicant, once the dossier is over for them
//! (the core's `rateable`), checked by the core's `check_answer`, kept with the agencies and the
//! officials who acted on the dossier.

use motcua_core::kpi::survey;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use super::dossier::rules::status_of;
use super::problem::{Outcome, Problem};
use super::sql::{is_unique_violation, statement};
use crate::auth::Principal;
use crate::db::entities::agency;
use crate::db::entities::satisfaction_survey::{self, Column, Entity, Model};
use crate::error::ApiError;

/// An applicant's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The nine indicators, 2, 1 or 0.
    pub indicators: Vec<i64>,
    /// Convenience: `VERY_SATISFIED`, `SATISFIED` or `UNSATISFIED`.
    pub convenience: String,
    /// Overall, the same.
    pub overall: String,
    /// Free words (at most 1,000 characters).
    pub comment: Option<String>,
}

/// The longest comment kept.
const COMMENT_MAX: usize = 1_000;

fn violation(v: &survey::Violation) -> Problem {
    let path: Vec<&str> = std::iter::once("input")
        .chain(v.path.split('/').filter(|s| !s.is_empty()))
        .collect();
    let (vi, en) = match v.code {
        "COUNT" => ("Hãy chấm đủ 9 tiêu chí.", "Score all nine indicators."),
        "SCORE" => (
            "Mỗi tiêu chí được chấm 2, 1 hoặc 0 điểm.",
            "Each indicator is scored 2, 1 or 0.",
        ),
        _ => (
            "Hãy chọn Rất hài lòng, Hài lòng hoặc Không hài lòng.",
            "Choose very satisfied, satisfied or unsatisfied.",
        ),
    };
    Problem::new(&path, v.code, vi, en)
}

/// The applicant rates dossier `dossier_id`.
///
/// # Errors
/// `NOT_FOUND` (not a dossier the caller may see), a database failure.
pub async fn rate(
    db: &DatabaseConnection,
    p: &Principal,
    dossier_id: &str,
    answer: &Answer,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let (d, _) = super::dossier::read(db, p, dossier_id, "RATE").await?;
    if d.applicant_user_id != Some(p.user_id) {
        return Ok(Err(vec![Problem::new(
            &["input", "dossierId"],
            "NOT_APPLICANT",
            "Chỉ người nộp hồ sơ mới đánh giá được.",
            "Only the applicant can rate a dossier.",
        )]));
    }
    let mut problems: Vec<Problem> =
        survey::check_answer(&answer.indicators, &answer.convenience, &answer.overall)
            .iter()
            .map(violation)
            .collect();
    let comment = answer
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if comment.is_some_and(|c| {
        c.chars().count() > COMMENT_MAX || c.chars().any(|ch| ch.is_control() && ch != '\n')
    }) {
        problems.push(Problem::new(
            &["input", "comment"],
            "INVALID_COMMENT",
            "Ý kiến tối đa 1.000 ký tự, không chứa ký tự điều khiển.",
            "A comment is at most 1,000 characters, without control characters.",
        ));
    }
    if !survey::rateable(status_of(&d)?) {
        problems.push(Problem::new(
            &["input", "dossierId"],
            "NOT_FINISHED",
            "Hồ sơ chưa có kết quả: bạn đánh giá được sau khi nhận kết quả.",
            "The dossier has no result yet: you can rate it once you have received it.",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let officials: Vec<i64> = db
        .query_all_raw(statement(
            db,
            "SELECT DISTINCT actor_user_id FROM dossier_history WHERE dossier_id = ? \
             AND actor_user_id IS NOT NULL AND role IN ('CLERK', 'SPECIALIST', 'LEADER') \
             ORDER BY actor_user_id",
            vec![d.id.clone().into()],
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<i64>("", "actor_user_id"))
        .collect::<Result<_, _>>()?;
    let unit_code = agency::Entity::find_by_id(d.receiving_agency_id)
        .one(db)
        .await?
        .map(|a| a.unit_code)
        .unwrap_or_default();
    let row = satisfaction_survey::ActiveModel {
        dossier_id: Set(d.id.clone()),
        user_id: Set(p.user_id),
        receiving_agency_id: Set(d.receiving_agency_id),
        competent_agency_id: Set(d.competent_agency_id),
        unit_code: Set(unit_code),
        officials: Set(serde_json::to_string(&officials).unwrap_or_else(|_| "[]".to_owned())),
        indicators: Set(
            serde_json::to_string(&answer.indicators).unwrap_or_else(|_| "[]".to_owned())
        ),
        points: Set(i64::from(survey::points(&answer.indicators))),
        convenience: Set(answer.convenience.clone()),
        overall: Set(answer.overall.clone()),
        comment: Set(comment.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    };
    match row.insert(db).await {
        Ok(m) => Ok(Ok(m)),
        Err(e) if is_unique_violation(&e) => Ok(Err(vec![Problem::new(
            &["input", "dossierId"],
            "ALREADY_RATED",
            "Hồ sơ này đã được đánh giá.",
            "This dossier has already been rated.",
        )])),
        Err(e) => Err(e.into()),
    }
}

/// The survey of dossier `dossier_id`, if answered.
///
/// # Errors
/// A database failure.
pub async fn of_dossier(
    db: &impl ConnectionTrait,
    dossier_id: &str,
) -> Result<Option<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::DossierId.eq(dossier_id))
        .one(db)
        .await?)
}
