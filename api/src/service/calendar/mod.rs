//! The province's calendar adjustments (extra days off, make-up working days) on top of the
//! core's rules and official schedules. Changes are audited; only a province administrator makes
//! them.

pub mod spec;

pub use spec::{DAY_OFF, WORKING_DAY, adjustments, spec};

use motcua_core::calendar::parse_iso_date;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};
use serde_json::json;

use super::audit;
use super::problem::{Outcome, Problem};
use crate::auth::{Principal, now};
use crate::db::entities::calendar_adjustment;
use crate::error::ApiError;

fn date_problem() -> Problem {
    Problem::new(
        &["date"],
        "INVALID_DATE",
        "Ngày phải có dạng YYYY-MM-DD, trong các năm 1900–2199.",
        "The date must be YYYY-MM-DD within 1900–2199.",
    )
}

/// Sets `date` as an extra day off or a working day, with its reason.
///
/// # Errors
/// `FORBIDDEN` unless the actor is a province administrator; a database failure. A bad date or
/// reason comes back as a problem.
pub async fn set_day(
    db: &DatabaseConnection,
    cache: &super::cache::FilingCache,
    actor: &Principal,
    date: &str,
    day_off: bool,
    name_vi: &str,
    name_en: &str,
) -> Result<Outcome<(calendar_adjustment::Model, u64)>, ApiError> {
    if !actor.is_province_admin() {
        return Err(ApiError::Forbidden);
    }
    let mut problems = Vec::new();
    let parsed =
        parse_iso_date(date.trim()).filter(|d| (1900..=2199).contains(&chrono::Datelike::year(d)));
    if parsed.is_none() {
        problems.push(date_problem());
    }
    let name_vi = name_vi.trim();
    let name_en = name_en.trim();
    for (field, name) in [("nameVi", name_vi), ("nameEn", name_en)] {
        if !(2..=200).contains(&name.chars().count()) || name.chars().any(char::is_control) {
            problems.push(Problem::new(
                &[field],
                "INVALID_REASON",
                "Lý do phải có từ 2 đến 200 ký tự.",
                "The reason must have 2 to 200 characters.",
            ));
        }
    }
    let Some(date) = parsed.filter(|_| problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let key = date.to_string();
    let kind = if day_off { DAY_OFF } else { WORKING_DAY };
    let txn = db.begin().await?;
    let before = calendar_adjustment::Entity::find_by_id(key.clone())
        .one(&txn)
        .await?;
    let model = calendar_adjustment::ActiveModel {
        date: Set(key.clone()),
        kind: Set(kind.to_owned()),
        name_vi: Set(name_vi.to_owned()),
        name_en: Set(name_en.to_owned()),
        created_by: Set(actor.user_id),
        created_at: Set(now()),
    };
    let saved = if before.is_some() {
        model.update(&txn).await?
    } else {
        model.insert(&txn).await?
    };
    audit::record(
        &txn,
        Some(actor.user_id),
        "CALENDAR_DAY_SET",
        ("CalendarDay", &key),
        &json!({
            "before": before.as_ref().map(|b| json!({"kind": b.kind, "nameVi": b.name_vi})),
            "after": {"kind": kind, "nameVi": name_vi},
        }),
        "OK",
    )
    .await?;
    let moved = recompute(
        &txn,
        cache,
        actor,
        &json!({"date": key, "kind": kind, "nameVi": name_vi}),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok((saved, moved)))
}

/// Removes the adjustment of `date`. Returns whether there was one.
///
/// # Errors
/// `FORBIDDEN` unless the actor is a province administrator; a database failure.
pub async fn remove_day(
    db: &DatabaseConnection,
    cache: &super::cache::FilingCache,
    actor: &Principal,
    date: &str,
) -> Result<Outcome<(bool, u64)>, ApiError> {
    if !actor.is_province_admin() {
        return Err(ApiError::Forbidden);
    }
    let Some(date) = parse_iso_date(date.trim()) else {
        return Ok(Err(vec![date_problem()]));
    };
    let key = date.to_string();
    let txn = db.begin().await?;
    let before = calendar_adjustment::Entity::find_by_id(key.clone())
        .one(&txn)
        .await?;
    let mut moved = 0;
    if let Some(b) = &before {
        calendar_adjustment::Entity::delete_by_id(key.clone())
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(actor.user_id),
            "CALENDAR_DAY_REMOVED",
            ("CalendarDay", &key),
            &json!({"before": {"kind": b.kind, "nameVi": b.name_vi}}),
            "OK",
        )
        .await?;
        moved = recompute(
            &txn,
            cache,
            actor,
            &json!({"date": key, "kind": "REMOVED", "nameVi": b.name_vi}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Ok((before.is_some(), moved)))
}

/// Recomputes open dossiers' due dates with the calendar as changed in `txn` (rulebook section 3:
/// changing the calendar must be able to recompute them, with the change logged).
async fn recompute(
    txn: &impl ConnectionTrait,
    cache: &super::cache::FilingCache,
    actor: &Principal,
    cause: &serde_json::Value,
) -> Result<u64, ApiError> {
    let calendar = motcua_core::calendar::WorkingCalendar::new(&spec(txn, false).await?)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("calendar: {e}")))?;
    super::dossier::deadlines::recompute_open(txn, cache, &calendar, actor.user_id, cause).await
}
