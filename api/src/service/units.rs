//! Administrative units: seeded from `catalog/units` (provinces, and the communes of the demo
//! province), listed by parent.

use anyhow::Context;
use motcua_core::text::fold;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use std::path::Path;

use crate::db::entities::administrative_unit as unit;
use crate::error::ApiError;

#[derive(Deserialize)]
struct Entry {
    code: String,
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    kind: String,
}

#[derive(Deserialize)]
struct File {
    valid_from: String,
    #[serde(default)]
    province: Option<String>,
    #[serde(default)]
    provinces: Vec<Entry>,
    #[serde(default)]
    communes: Vec<Entry>,
}

/// Loads `provinces.json` and every `communes-*.json` of `dir`; existing codes are kept.
///
/// # Errors
/// An unreadable or malformed file, or a database failure.
pub async fn seed(db: &impl ConnectionTrait, dir: &Path) -> Result<usize, ApiError> {
    let mut files = super::json_documents(dir, "MOTCUA_UNITS")?;
    // Provinces first, so that communes find their parent.
    files.sort_by_key(|(name, _)| (name != "provinces.json", name.clone()));
    let mut added = 0;
    for (path, text) in files {
        let file: File =
            serde_json::from_str(&text).with_context(|| format!("{path} is malformed"))?;
        let entries = file
            .provinces
            .iter()
            .map(|e| (e, None))
            .chain(file.communes.iter().map(|e| (e, file.province.clone())));
        for (e, parent) in entries {
            let row = unit::ActiveModel {
                code: Set(e.code.clone()),
                name: Set(e.name.clone()),
                name_en: Set(e.name_en.clone().unwrap_or_else(|| fold(&e.name))),
                kind: Set(e.kind.clone()),
                parent_code: Set(parent),
                valid_from: Set(file.valid_from.clone()),
                search_text: Set(fold(&e.name)),
            };
            added += unit::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(unit::Column::Code)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(usize::try_from(added).unwrap_or(usize::MAX))
}

/// The provinces (no `parent`) or the communes of a province, by code; `search` ignores diacritics.
///
/// # Errors
/// A database failure.
pub async fn list(
    db: &impl ConnectionTrait,
    parent: Option<&str>,
    search: Option<&str>,
) -> Result<Vec<unit::Model>, ApiError> {
    let mut q = unit::Entity::find().order_by_asc(unit::Column::Code);
    q = match parent {
        Some(p) => q.filter(unit::Column::ParentCode.eq(p)),
        None => q.filter(unit::Column::ParentCode.is_null()),
    };
    if let Some(text) = search.map(fold).filter(|t| !t.is_empty()) {
        q = q.filter(unit::Column::SearchText.contains(text.as_str()));
    }
    Ok(q.all(db).await?)
}

/// One unit by code.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn get(db: &impl ConnectionTrait, code: &str) -> Result<unit::Model, ApiError> {
    unit::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The Vietnamese and English names of the units `codes` (those found), by code.
///
/// # Errors
/// A database failure.
pub async fn names(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
) -> Result<std::collections::BTreeMap<String, (String, String)>, ApiError> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, (u.name, u.name_en)))
        .collect())
}
