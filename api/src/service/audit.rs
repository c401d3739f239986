//! Writing the append-only audit log.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use crate::auth::now;
use crate::db::entities::audit;
use crate::error::ApiError;

/// Appends one audit row. `detail` must never hold a password, a token or an unmasked ID number.
///
/// # Errors
/// A database failure.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i64>,
    action: &str,
    object: (&str, &str),
    detail: &Value,
    outcome: &str,
) -> Result<(), ApiError> {
    audit::ActiveModel {
        at: Set(now()),
        actor_user_id: Set(actor),
        action: Set(action.to_owned()),
        object_type: Set(object.0.to_owned()),
        object_id: Set(object.1.to_owned()),
        detail: Set(detail.to_string()),
        outcome: Set(outcome.to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
