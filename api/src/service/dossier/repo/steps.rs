//! The control sheet (form 06, phiếu kiểm soát quá trình giải quyết hồ sơ): one row per
//! hand-over, closed with its result and whether the step was early, on time or late.

use chrono::DateTime;
use motcua_core::deadline;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::db::entities::dossier_step::{self, Column, Entity, Model};
use crate::error::ApiError;

/// A new control-sheet row.
#[derive(Debug, Clone)]
pub struct NewStep {
    /// The giving agency.
    pub from_agency: i64,
    /// The receiving official, when named.
    pub to_user: Option<i64>,
    /// The receiving agency.
    pub to_agency: i64,
    /// The step's deadline (RFC 3339).
    pub step_due: Option<String>,
    /// The giver's note.
    pub note: Option<String>,
}

/// What a change does to the control sheet.
#[derive(Debug, Clone, Default)]
pub struct SheetChange {
    /// Close the open row with this result.
    pub close: Option<String>,
    /// Name the receiver of the open row (a specialist picking up the dossier).
    pub pick_up: Option<i64>,
    /// Open a row.
    pub open: Option<NewStep>,
}

/// Writes a change to the control sheet at `now` by `actor`.
///
/// # Errors
/// A database failure.
pub async fn apply(
    db: &impl ConnectionTrait,
    dossier_id: &str,
    actor: i64,
    now: i64,
    change: SheetChange,
) -> Result<(), ApiError> {
    if let Some(user) = change.pick_up {
        Entity::update_many()
            .col_expr(Column::ToUserId, Expr::value(user))
            .filter(Column::DossierId.eq(dossier_id))
            .filter(Column::CompletedAt.is_null())
            .filter(Column::ToUserId.is_null())
            .exec(db)
            .await?;
    }
    if let Some(result) = change.close {
        let finished = chrono::DateTime::from_timestamp(now, 0)
            .unwrap_or_default()
            .with_timezone(&deadline::VN_OFFSET);
        let open = Entity::find()
            .filter(Column::DossierId.eq(dossier_id))
            .filter(Column::CompletedAt.is_null())
            .all(db)
            .await?;
        for step in open {
            let outcome = step
                .step_due_at
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|due| deadline::timeliness(finished, due).as_str().to_owned());
            Entity::update_many()
                .col_expr(Column::CompletedAt, Expr::value(now))
                .col_expr(Column::Result, Expr::value(result.clone()))
                .col_expr(Column::Outcome, Expr::value(outcome))
                .filter(Column::Id.eq(step.id))
                .exec(db)
                .await?;
        }
    }
    if let Some(step) = change.open {
        Entity::insert(dossier_step::ActiveModel {
            dossier_id: Set(dossier_id.to_owned()),
            from_user_id: Set(Some(actor)),
            from_agency_id: Set(step.from_agency),
            to_user_id: Set(step.to_user),
            to_agency_id: Set(step.to_agency),
            handed_at: Set(now),
            step_due_at: Set(step.step_due),
            completed_at: Set(None),
            result: Set(None),
            note: Set(step.note),
            outcome: Set(None),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The control sheet of a dossier, oldest first.
///
/// # Errors
/// A database failure.
pub async fn of(db: &impl ConnectionTrait, id: &str) -> Result<Vec<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::DossierId.eq(id))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}
