//! Agencies: seeded from the province's file, listed and read.

use anyhow::Context;
use motcua_core::text::fold;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::Deserialize;
use std::path::Path;

use crate::db::entities::agency;
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    source: String,
    agencies: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    name_vi: String,
    name_en: String,
    agency_type: String,
    level: String,
    unit_code: String,
    parent: Option<String>,
}

/// Whether `code` has the QCVN 102:2016 shape `NNN.NN.NN.XNN` (digits, and a letter before the
/// last group).
#[must_use]
pub fn is_electronic_id(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    let [a, b, c, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let mut last = d.chars();
    digits(a, 3)
        && digits(b, 2)
        && digits(c, 2)
        && last.next().is_some_and(|ch| ch.is_ascii_uppercase())
        && digits(last.as_str(), 2)
}

/// Seeds `agencies.json` of `dir` (missing file: nothing to do). Existing agencies are kept.
/// Returns how many were added.
///
/// # Errors
/// An unreadable or invalid file, a database failure.
pub async fn seed(db: &DatabaseConnection, dir: &Path) -> Result<usize, ApiError> {
    let path = dir.join("agencies.json");
    let Some((_, text)) = super::json_documents(dir, "MOTCUA_DEMO")?
        .into_iter()
        .find(|(name, _)| name == "agencies.json")
    else {
        return Ok(0);
    };
    let file: File = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a valid agency list", path.display()))?;
    for e in &file.agencies {
        if !is_electronic_id(&e.code) {
            return Err(anyhow::anyhow!(
                "{}: {} is not an electronic ID like 000.00.00.H42",
                path.display(),
                e.code
            )
            .into());
        }
    }
    let txn = db.begin().await?;
    let mut added = 0;
    for e in &file.agencies {
        added += agency::Entity::insert(agency::ActiveModel {
            code: Set(e.code.clone()),
            name_vi: Set(e.name_vi.clone()),
            name_en: Set(e.name_en.clone()),
            agency_type: Set(e.agency_type.clone()),
            level: Set(e.level.clone()),
            unit_code: Set(e.unit_code.clone()),
            parent_id: Set(None),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(agency::Column::Code)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    for e in &file.agencies {
        let Some(parent) = &e.parent else { continue };
        let parent = agency::Entity::find()
            .filter(agency::Column::Code.eq(parent.as_str()))
            .one(&txn)
            .await?
            .with_context(|| format!("{}: unknown parent {parent}", e.code))?;
        agency::Entity::update_many()
            .col_expr(agency::Column::ParentId, Expr::value(parent.id))
            .filter(agency::Column::Code.eq(e.code.as_str()))
            .filter(agency::Column::ParentId.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(usize::try_from(added).unwrap_or(0))
}

/// Agencies by code, optionally of one level, one administrative unit, or matching `search`
/// (diacritics-insensitive). The list is small (one province): filtered in memory.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &impl ConnectionTrait,
    level: Option<&str>,
    unit_code: Option<&str>,
    search: Option<&str>,
) -> Result<Vec<agency::Model>, ApiError> {
    let mut q = agency::Entity::find().order_by_asc(agency::Column::Code);
    if let Some(level) = level {
        q = q.filter(agency::Column::Level.eq(level));
    }
    if let Some(unit) = unit_code {
        q = q.filter(agency::Column::UnitCode.eq(unit));
    }
    let rows = q.limit(1000).all(db).await?;
    let Some(words) = search.map(fold).filter(|w| !w.is_empty()) else {
        return Ok(rows);
    };
    Ok(rows
        .into_iter()
        .filter(|a| {
            let hay = fold(&format!("{} {} {}", a.code, a.name_vi, a.name_en));
            words.split(' ').all(|w| hay.contains(w))
        })
        .collect())
}

/// The agencies with these ids (unknown ids are left out).
///
/// # Errors
/// A database failure.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<agency::Model>, ApiError> {
    Ok(agency::Entity::find()
        .filter(agency::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// One agency by id.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<agency::Model, ApiError> {
    agency::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The enabled specialists and leaders of agency `id`: (user id, full name, roles), by name.
///
/// # Errors
/// `NOT_FOUND` for an unknown agency, a database failure.
pub async fn staff(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Vec<(i64, String, Vec<String>)>, ApiError> {
    get(db, id).await?;
    let rows = db
        .query_all_raw(super::sql::statement(
            db,
            "SELECT u.id, u.full_name, r.role FROM user_roles r JOIN users u ON u.id = r.user_id \
             WHERE r.agency_id = ? AND r.role IN ('SPECIALIST', 'LEADER') AND u.disabled = ? \
             ORDER BY u.full_name, u.id, r.role",
            vec![id.into(), false.into()],
        ))
        .await?;
    let mut out: Vec<(i64, String, Vec<String>)> = Vec::new();
    for row in rows {
        let user: i64 = row.try_get("", "id")?;
        let role: String = row.try_get("", "role")?;
        match out.last_mut() {
            Some(last) if last.0 == user => last.2.push(role),
            _ => out.push((user, row.try_get("", "full_name")?, vec![role])),
        }
    }
    Ok(out)
}

/// The ids of the agencies in administrative unit `unit_code`.
///
/// # Errors
/// A database failure.
pub async fn in_unit(db: &impl ConnectionTrait, unit_code: &str) -> Result<Vec<i64>, ApiError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(agency::Entity::find()
        .filter(agency::Column::UnitCode.eq(unit_code))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::is_electronic_id;

    #[test]
    fn electronic_ids() {
        assert!(is_electronic_id("000.00.38.H56"));
        assert!(is_electronic_id("000.01.51.H42"));
        for bad in [
            "000.00.38.56",
            "00.00.38.H56",
            "000.00.38",
            "000.0a.38.H56",
            "000.00.38.h56",
        ] {
            assert!(!is_electronic_id(bad), "{bad}");
        }
    }
}
