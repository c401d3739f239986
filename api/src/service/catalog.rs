//! The procedure catalogue: seeding from `catalog/procedures`, searching, reading a procedure with
//! its current published version. Every entry goes through the core's loader before it is stored.

use anyhow::Context;
use motcua_core::catalog::Procedure;
use motcua_core::text::fold;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::Value;
use std::path::Path;

use crate::db::entities::{procedure, procedure_version};
use crate::error::ApiError;

/// Filters of a catalogue search.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words to find in the name or field, diacritics and case ignored.
    pub text: Option<String>,
    /// `CENTRAL`, `PROVINCE`, `COMMUNE`.
    pub level: Option<String>,
    /// `FULL`, `PARTIAL`, `NONE`.
    pub online_mode: Option<String>,
    /// Return codes after this one (a Relay cursor).
    pub after: Option<String>,
    /// At most this many.
    pub limit: u64,
}

/// Loads every procedure file of `dir` that is not in the database yet. Returns how many were added.
///
/// # Errors
/// An unreadable folder, a file the core refuses, or a database failure. Nothing is stored when a
/// file is refused.
pub async fn seed(db: &DatabaseConnection, dir: &Path, today: &str) -> Result<usize, ApiError> {
    let files = super::json_files(dir)?;
    let mut entries = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", file.display()))?;
        let procedure =
            Procedure::load(&value).with_context(|| format!("{} is refused", file.display()))?;
        entries.push((procedure, value));
    }
    let txn = db.begin().await?;
    let mut added = 0;
    for (p, value) in entries {
        let search_text = fold(&format!(
            "{} {} {} {} {}",
            p.code, p.name.vi, p.name.en, p.field.vi, p.field.en
        ));
        let row = procedure::ActiveModel {
            code: Set(p.code.clone()),
            name_vi: Set(p.name.vi.clone()),
            name_en: Set(p.name.en.clone()),
            field_vi: Set(p.field.vi.clone()),
            field_en: Set(p.field.en.clone()),
            level: Set(enum_name(&p.level)),
            agency_type: Set(p.agency_type.clone()),
            online_mode: Set(enum_name(&p.online_mode)),
            search_text: Set(search_text),
        };
        // Several instances may start at once: whoever inserts the procedure first seeds it, the
        // others skip it (no error, no duplicate version).
        let inserted = procedure::Entity::insert(row)
            .on_conflict(
                OnConflict::column(procedure::Column::Code)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 0 {
            continue;
        }
        procedure_version::ActiveModel {
            procedure_code: Set(p.code.clone()),
            version: Set(p.form.version.clone()),
            effective_from: Set(today.to_owned()),
            published: Set(true),
            definition: Set(value.to_string()),
            created_at: Set(today.to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        added += 1;
    }
    txn.commit().await?;
    Ok(added)
}

/// The wire name of a core enum (its serde name).
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Searches the catalogue, ordered by code. Returns one row more than `limit` when there are more.
///
/// # Errors
/// A database failure.
pub async fn search(
    db: &impl ConnectionTrait,
    s: &Search,
) -> Result<Vec<procedure::Model>, ApiError> {
    let mut q = procedure::Entity::find().order_by_asc(procedure::Column::Code);
    if let Some(text) = s.text.as_deref().map(fold).filter(|t| !t.is_empty()) {
        for word in text.split(' ') {
            q = q.filter(procedure::Column::SearchText.contains(word));
        }
    }
    if let Some(level) = &s.level {
        q = q.filter(procedure::Column::Level.eq(level.as_str()));
    }
    if let Some(mode) = &s.online_mode {
        q = q.filter(procedure::Column::OnlineMode.eq(mode.as_str()));
    }
    if let Some(after) = &s.after {
        q = q.filter(procedure::Column::Code.gt(after.as_str()));
    }
    Ok(q.limit(s.limit + 1).all(db).await?)
}

/// How many procedures the catalogue holds.
///
/// # Errors
/// A database failure.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, ApiError> {
    Ok(procedure::Entity::find().count(db).await?)
}

/// A procedure with its newest published version, loaded by the core.
///
/// # Errors
/// `NOT_FOUND`, or a stored entry the core no longer accepts (internal).
pub async fn get(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<(procedure::Model, Procedure, Value), ApiError> {
    let row = procedure::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let version = procedure_version::Entity::find()
        .filter(procedure_version::Column::ProcedureCode.eq(code))
        .filter(procedure_version::Column::Published.eq(true))
        .order_by_desc(procedure_version::Column::Id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let value: Value =
        serde_json::from_str(&version.definition).context("a stored definition is not JSON")?;
    let loaded = Procedure::load(&value).context("a stored definition no longer loads")?;
    Ok((row, loaded, value))
}
