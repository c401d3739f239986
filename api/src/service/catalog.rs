//! The procedure catalogue: seeding from `catalog/procedures`, searching, reading a procedure with
//! its current published version. Every entry goes through the core's loader before it is stored.

use crate::service::sql::is_unique_violation;
use anyhow::Context;
use motcua_core::catalog::Procedure;
use motcua_core::text::fold;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::Value;
use std::path::Path;

use super::audit;
use super::problem::{Outcome, Problem};
use crate::auth::{OfficialRole, Principal, now};
use crate::db::entities::{agency, procedure, procedure_version};
use crate::error::ApiError;
use sea_orm::sea_query::Expr;
use serde_json::json;

/// Filters of a catalogue search.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Words to find in the name or field, diacritics and case ignored.
    pub text: Option<String>,
    /// Words of the field (lĩnh vực), diacritics and case ignored.
    pub field: Option<String>,
    /// The competent agency type.
    pub agency_type: Option<String>,
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
    let mut entries = Vec::new();
    for (file, text) in super::json_documents(dir, "MOTCUA_CATALOG")? {
        let value: Value =
            serde_json::from_str(&text).with_context(|| format!("{file} is not JSON"))?;
        let procedure = Procedure::load(&value).with_context(|| format!("{file} is refused"))?;
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

/// The catalogue's list rows, held in memory for a few seconds: searching 20 (or 2,000) rows in
/// memory costs microseconds, a database round trip per search costs most of a request. Another
/// instance's additions appear here within [`CatalogCache::TTL`]; nothing else changes the rows.
#[derive(Debug, Default)]
pub struct CatalogCache {
    rows: std::sync::RwLock<Option<(std::time::Instant, std::sync::Arc<Vec<procedure::Model>>)>>,
}

impl CatalogCache {
    /// How long a loaded list is used.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(5);

    /// The rows, by code (loaded again when older than the TTL).
    ///
    /// # Errors
    /// A database failure.
    pub async fn rows(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<std::sync::Arc<Vec<procedure::Model>>, ApiError> {
        if let Ok(guard) = self.rows.read()
            && let Some((at, rows)) = guard.as_ref()
            && at.elapsed() < Self::TTL
        {
            return Ok(rows.clone());
        }
        let rows = std::sync::Arc::new(
            procedure::Entity::find()
                .order_by_asc(procedure::Column::Code)
                .all(db)
                .await?,
        );
        if let Ok(mut guard) = self.rows.write() {
            *guard = Some((std::time::Instant::now(), rows.clone()));
        }
        Ok(rows)
    }
}

/// Searches the catalogue, ordered by code. Returns one row more than `limit` when there are more.
///
/// # Errors
/// A database failure.
pub async fn search(
    db: &impl ConnectionTrait,
    cache: &CatalogCache,
    s: &Search,
) -> Result<Vec<procedure::Model>, ApiError> {
    let rows = cache.rows(db).await?;
    let words = |t: &Option<String>| -> Vec<String> {
        t.as_deref()
            .map(fold)
            .map(|f| {
                f.split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let text = words(&s.text);
    let field = words(&s.field);
    let take = usize::try_from(s.limit + 1).unwrap_or(usize::MAX);
    Ok(rows
        .iter()
        .filter(|r| s.after.as_deref().is_none_or(|a| r.code.as_str() > a))
        .filter(|r| s.level.as_deref().is_none_or(|l| r.level == l))
        .filter(|r| s.online_mode.as_deref().is_none_or(|m| r.online_mode == m))
        .filter(|r| s.agency_type.as_deref().is_none_or(|t| r.agency_type == t))
        .filter(|r| text.iter().all(|w| r.search_text.contains(w.as_str())))
        .filter(|r| {
            field.is_empty() || {
                let f = fold(&format!("{} {}", r.field_vi, r.field_en));
                field.iter().all(|w| f.contains(w.as_str()))
            }
        })
        .take(take)
        .cloned()
        .collect())
}

/// A stored procedure version by id.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn version_row(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<procedure_version::Model, ApiError> {
    procedure_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A procedure's catalogue row.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn get_row(db: &impl ConnectionTrait, code: &str) -> Result<procedure::Model, ApiError> {
    procedure::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The version in force on `today`: published, effective on or before `today`, the latest
/// effective date winning (then the latest created).
///
/// # Errors
/// A database failure.
pub async fn current_version(
    db: &impl ConnectionTrait,
    code: &str,
    today: &str,
) -> Result<Option<procedure_version::Model>, ApiError> {
    Ok(procedure_version::Entity::find()
        .filter(procedure_version::Column::ProcedureCode.eq(code))
        .filter(procedure_version::Column::Published.eq(true))
        .filter(procedure_version::Column::EffectiveFrom.lte(today))
        .order_by_desc(procedure_version::Column::EffectiveFrom)
        .order_by_desc(procedure_version::Column::Id)
        .one(db)
        .await?)
}

/// A procedure with the version in force on `today`, loaded by the core.
///
/// # Errors
/// `NOT_FOUND`, or a stored entry the core no longer accepts (internal).
pub async fn get(
    db: &impl ConnectionTrait,
    code: &str,
    today: &str,
) -> Result<(procedure::Model, Procedure, Value), ApiError> {
    let row = procedure::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let version = current_version(db, code, today)
        .await?
        .ok_or(ApiError::NotFound)?;
    let value: Value =
        serde_json::from_str(&version.definition).context("a stored definition is not JSON")?;
    let loaded = Procedure::load(&value).context("a stored definition no longer loads")?;
    Ok((row, loaded, value))
}

/// Whether `actor` manages the catalogue entry of a procedure: a province administrator, or the
/// administrator of the one agency the procedure applies to. A version applies to every agency of
/// the procedure's competent type, so where several agencies share that type (the wards and
/// communes) only the province may change it: an agency's rights end at its own agency (Z3).
///
/// # Errors
/// A database failure.
pub async fn may_manage(
    db: &impl ConnectionTrait,
    actor: &Principal,
    procedure: &procedure::Model,
) -> Result<bool, ApiError> {
    if actor.is_province_admin() {
        return Ok(true);
    }
    let of_type = agency::Entity::find()
        .filter(agency::Column::AgencyType.eq(procedure.agency_type.as_str()))
        .all(db)
        .await?;
    let [only] = of_type.as_slice() else {
        return Ok(false);
    };
    Ok(actor.holds(OfficialRole::AgencyAdmin, only.id))
}

/// Stores a new, unpublished version of a procedure's entry after the core has accepted it (form,
/// fee schedule, samples).
///
/// # Errors
/// `NOT_FOUND` (unknown procedure), `FORBIDDEN`, a database failure. What the core refuses comes
/// back as problems with the JSON Pointer of the fault.
pub async fn create_version(
    db: &DatabaseConnection,
    actor: &Principal,
    code: &str,
    definition: &Value,
) -> Result<Outcome<procedure_version::Model>, ApiError> {
    let row = procedure::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_manage(db, actor, &row).await? {
        return Err(ApiError::Forbidden);
    }
    let loaded = match Procedure::load(definition) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Err(vec![Problem::new(
                &["definition"],
                e.code,
                format!("Định nghĩa thủ tục bị từ chối tại {}: {}", e.path, e.reason),
                format!("The definition is refused at {}: {}", e.path, e.reason),
            )]));
        }
    };
    let mut problems: Vec<Problem> = loaded
        .check_samples()
        .into_iter()
        .map(|p| {
            Problem::new(
                &["definition", "samples"],
                "SAMPLE_MISMATCH",
                format!("Mẫu dữ liệu không khớp với biểu mẫu: {p}"),
                format!("A sample does not agree with the form: {p}"),
            )
        })
        .collect();
    if loaded.code != row.code {
        problems.push(Problem::new(
            &["definition", "code"],
            "MISMATCH",
            "Mã thủ tục trong định nghĩa khác mã được chọn.",
            "The definition's procedure code differs from the chosen procedure.",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let txn = db.begin().await?;
    let inserted = procedure_version::ActiveModel {
        procedure_code: Set(row.code.clone()),
        version: Set(loaded.form.version.clone()),
        effective_from: Set(String::new()),
        published: Set(false),
        definition: Set(definition.to_string()),
        created_at: Set(crate::clock::rfc3339(now())),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let version = match inserted {
        Ok(v) => v,
        Err(e) if is_unique_violation(&e) => {
            return Ok(Err(vec![Problem::new(
                &["definition", "form", "version"],
                "VERSION_EXISTS",
                "Phiên bản biểu mẫu này đã có; hãy đặt tên phiên bản mới.",
                "This form version exists already; name a new version.",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &txn,
        Some(actor.user_id),
        "PROCEDURE_VERSION_CREATED",
        ("ProcedureVersion", &version.id.to_string()),
        &json!({"procedure": row.code, "version": version.version}),
        "OK",
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(version))
}

/// Publishes a version with the date it takes effect (today or later, Asia/Ho_Chi_Minh).
///
/// # Errors
/// `NOT_FOUND`, `FORBIDDEN`, a database failure; a bad or past date, or an already published
/// version, comes back as a problem.
pub async fn publish_version(
    db: &DatabaseConnection,
    actor: &Principal,
    version_id: i64,
    effective_from: &str,
    today: &str,
) -> Result<Outcome<procedure_version::Model>, ApiError> {
    let version = procedure_version::Entity::find_by_id(version_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let row = procedure::Entity::find_by_id(version.procedure_code.clone())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_manage(db, actor, &row).await? {
        return Err(ApiError::Forbidden);
    }
    let Some(date) = motcua_core::calendar::parse_iso_date(effective_from.trim()) else {
        return Ok(Err(vec![Problem::new(
            &["effectiveFrom"],
            "INVALID_DATE",
            "Ngày hiệu lực phải có dạng YYYY-MM-DD.",
            "The effective date must be YYYY-MM-DD.",
        )]));
    };
    let date = date.to_string();
    if date.as_str() < today {
        return Ok(Err(vec![Problem::new(
            &["effectiveFrom"],
            "DATE_IN_PAST",
            "Ngày hiệu lực không được ở quá khứ.",
            "The effective date cannot be in the past.",
        )]));
    }
    if version.published {
        return Ok(Err(vec![Problem::new(
            &["id"],
            "ALREADY_PUBLISHED",
            "Phiên bản này đã được công bố.",
            "This version is already published.",
        )]));
    }
    let txn = db.begin().await?;
    let updated = procedure_version::Entity::update_many()
        .col_expr(procedure_version::Column::Published, Expr::value(true))
        .col_expr(
            procedure_version::Column::EffectiveFrom,
            Expr::value(date.clone()),
        )
        .filter(procedure_version::Column::Id.eq(version.id))
        .filter(procedure_version::Column::Published.eq(false))
        .exec(&txn)
        .await?
        .rows_affected;
    if updated == 0 {
        return Ok(Err(vec![Problem::new(
            &["id"],
            "ALREADY_PUBLISHED",
            "Phiên bản này đã được công bố.",
            "This version is already published.",
        )]));
    }
    audit::record(
        &txn,
        Some(actor.user_id),
        "PROCEDURE_VERSION_PUBLISHED",
        ("ProcedureVersion", &version.id.to_string()),
        &json!({"procedure": row.code, "version": version.version, "effectiveFrom": date}),
        "OK",
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(procedure_version::Entity::find_by_id(version.id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?))
}

/// The versions of a procedure, newest first (administrators).
///
/// # Errors
/// A database failure.
pub async fn versions(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Vec<procedure_version::Model>, ApiError> {
    Ok(procedure_version::Entity::find()
        .filter(procedure_version::Column::ProcedureCode.eq(code))
        .order_by_desc(procedure_version::Column::Id)
        .all(db)
        .await?)
}
