//! The dossier's history: one row per transition (who, when, from, to, why), and the bookkeeping
//! events that are not transitions (a due date recomputed after a calendar change).

use motcua_core::dossier::{Action, Role, Status};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

use crate::db::entities::dossier_history::{self, Column, Entity, Model};
use crate::error::ApiError;

/// A history row's action: a core action, or a named bookkeeping event.
#[derive(Debug, Clone, Copy)]
pub enum HistoryAction {
    /// A transition of the core's table.
    Core(Action),
    /// Something that is not a transition (a recomputed due date).
    Named(&'static str),
}

impl HistoryAction {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Core(a) => a.as_str(),
            Self::Named(n) => n,
        }
    }
}

impl From<Action> for HistoryAction {
    fn from(a: Action) -> Self {
        Self::Core(a)
    }
}

/// One history row to append.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The dossier.
    pub dossier_id: &'a str,
    /// When (Unix seconds).
    pub at: i64,
    /// Who (none for the system: a verified payment callback).
    pub actor: Option<i64>,
    /// In which role of the transition table.
    pub role: Role,
    /// What.
    pub action: HistoryAction,
    /// Status before and after.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// The reason, where required.
    pub reason: Option<&'a str>,
    /// Details (due date fixed, missing documents, …).
    pub detail: &'a Value,
}

/// Appends a history row.
///
/// # Errors
/// A database failure.
pub async fn append(db: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), ApiError> {
    Entity::insert(dossier_history::ActiveModel {
        dossier_id: Set(e.dossier_id.to_owned()),
        at: Set(e.at),
        actor_user_id: Set(e.actor),
        role: Set(e.role.as_str().to_owned()),
        action: Set(e.action.as_str().to_owned()),
        from_status: Set(e.from.as_str().to_owned()),
        to_status: Set(e.to.as_str().to_owned()),
        reason: Set(e.reason.map(str::to_owned)),
        detail: Set(e.detail.to_string()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    // The index's facts follow every event, in the same transaction.
    crate::service::kpi::facts::refresh(db, e.dossier_id).await
}

/// A dossier's history, oldest first.
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
