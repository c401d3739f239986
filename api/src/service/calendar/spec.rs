//! The stored calendar adjustments and the calendar specification they make for the core: what
//! the filing cache loads, apart from the changes (in the parent module) so that the cache and the
//! changes that invalidate it do not import each other.

use motcua_core::calendar::{CalendarSpec, parse_iso_date};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::db::entities::calendar_adjustment;
use crate::error::ApiError;

/// An extra day off.
pub const DAY_OFF: &str = "DAY_OFF";
/// A make-up working day.
pub const WORKING_DAY: &str = "WORKING_DAY";

/// Every adjustment, by date.
///
/// # Errors
/// A database failure.
pub async fn adjustments(
    db: &impl ConnectionTrait,
) -> Result<Vec<calendar_adjustment::Model>, ApiError> {
    Ok(calendar_adjustment::Entity::find()
        .order_by_asc(calendar_adjustment::Column::Date)
        .all(db)
        .await?)
}

/// The calendar specification with the stored adjustments, for the core.
///
/// # Errors
/// A database failure.
pub async fn spec(db: &impl ConnectionTrait, rules_only: bool) -> Result<CalendarSpec, ApiError> {
    let mut spec = CalendarSpec {
        rules_only,
        ..CalendarSpec::default()
    };
    for a in adjustments(db).await? {
        let Some(date) = parse_iso_date(&a.date) else {
            continue;
        };
        if a.kind == DAY_OFF {
            spec.extra_days_off.push(date);
        } else {
            spec.extra_working_days.push(date);
        }
    }
    Ok(spec)
}
