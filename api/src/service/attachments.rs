//! Attachments: judged by their bytes, stored under server-made keys (local disk by default,
//! S3-compatible storage when configured, through `object_store`), recorded with their SHA-256,
//! and reusable from the applicant's earlier dossiers without uploading again (Kho dữ liệu).

use object_store::ObjectStore;
use object_store::path::Path as StorePath;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use super::cache::FilingCache;
use super::dossiers;
use super::problem::{Outcome, Problem};
use super::workflow::RESULT_COMPONENT;
use crate::auth::OfficialRole;
use crate::auth::{Principal, now};
use crate::db::entities::{attachment, dossier};
use crate::error::ApiError;
use motcua_core::dossier::Status;
use motcua_core::file as files;

/// Largest file (SECURITY.md A2).
pub const MAX_FILE: usize = 10 << 20;
/// Most files per dossier.
pub const MAX_FILES: u64 = 20;
/// Most bytes per dossier.
pub const MAX_TOTAL: i64 = 50 << 20;

/// Where files live.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Storage({})", self.store)
    }
}

impl Storage {
    /// A folder on the local disk (created if missing).
    ///
    /// # Errors
    /// The folder cannot be created.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            store: Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// An S3-compatible bucket; endpoint and credentials from the usual `AWS_*` variables.
    ///
    /// # Errors
    /// An incomplete configuration.
    pub fn s3(bucket: &str) -> anyhow::Result<Self> {
        let store = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// In memory (tests of a single process).
    #[must_use]
    pub fn memory() -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        self.store
            .put(&StorePath::from(key), bytes.into())
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))?;
        Ok(())
    }

    /// The bytes stored under `key`.
    ///
    /// # Errors
    /// A storage failure.
    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, ApiError> {
        self.store
            .get(&StorePath::from(key))
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))?
            .bytes()
            .await
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("storage: {e}")))
    }
}

/// A file name fit for display: the last path segment, without control characters, at most
/// 200 characters (never used as a path).
#[must_use]
pub fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() {
        "tep".to_owned()
    } else {
        clean
    }
}

/// A dossier the caller may attach to: an applicant's draft or a dossier awaiting a supplement,
/// or what a clerk filed at the desk and has not yet received.
async fn attachable(
    db: &DatabaseConnection,
    p: &Principal,
    dossier_id: &str,
    component_id: &str,
) -> Result<dossier::Model, ApiError> {
    let (d, access) = dossiers::get(db, p, dossier_id).await?;
    let ok = (access.applicant
        && component_id != RESULT_COMPONENT
        && (d.status == Status::Draft.as_str()
            || d.status == Status::SupplementRequested.as_str()))
        || (access.clerk
            && component_id != RESULT_COMPONENT
            && (d.status == Status::Submitted.as_str()
                || d.status == Status::SupplementRequested.as_str()))
        // The electronic result, by the specialists and leaders processing it.
        || (component_id == RESULT_COMPONENT
            && d.status == Status::Processing.as_str()
            && (p.holds(OfficialRole::Specialist, d.handling_agency())
                || p.holds(OfficialRole::Leader, d.handling_agency())));
    if !ok {
        return Err(ApiError::Forbidden);
    }
    Ok(d)
}

async fn check_room(
    db: &DatabaseConnection,
    cache: &FilingCache,
    d: &dossier::Model,
    component_id: &str,
    adding: i64,
) -> Result<Vec<Problem>, ApiError> {
    let procedure = cache.version(db, d.procedure_version_id).await?;
    let mut problems = Vec::new();
    if component_id != RESULT_COMPONENT
        && !procedure.components.iter().any(|c| c.id == component_id)
    {
        problems.push(Problem::new(
            &["componentId"],
            "UNKNOWN_COMPONENT",
            "Thủ tục không có thành phần hồ sơ này.",
            "The procedure has no such dossier component.",
        ));
    }
    let existing = attachment::Entity::find()
        .filter(attachment::Column::DossierId.eq(d.id.as_str()))
        .all(db)
        .await?;
    if existing.len() as u64 >= MAX_FILES {
        problems.push(Problem::new(
            &["file"],
            "TOO_MANY_FILES",
            format!("Mỗi hồ sơ có tối đa {MAX_FILES} tệp."),
            format!("A dossier holds at most {MAX_FILES} files."),
        ));
    }
    if existing.iter().map(|a| a.size).sum::<i64>() + adding > MAX_TOTAL {
        problems.push(Problem::new(
            &["file"],
            "DOSSIER_TOO_LARGE",
            "Tổng dung lượng tệp của hồ sơ vượt quá 50 MB.",
            "The dossier's files exceed 50 MB in total.",
        ));
    }
    Ok(problems)
}

/// Uploads a file for a dossier component.
///
/// # Errors
/// `NOT_FOUND`, `FORBIDDEN` (a dossier past the point of attaching), a storage or database
/// failure; a refused file or a full dossier comes back as problems.
pub async fn upload(
    db: &DatabaseConnection,
    cache: &FilingCache,
    storage: &Storage,
    p: &Principal,
    dossier_id: &str,
    component_id: &str,
    (filename, bytes): (&str, &[u8]),
) -> Result<Outcome<attachment::Model>, ApiError> {
    let d = attachable(db, p, dossier_id, component_id).await?;
    if bytes.len() > MAX_FILE {
        return Ok(Err(vec![Problem::new(
            &["file"],
            "FILE_TOO_LARGE",
            "Tệp vượt quá 10 MB.",
            "The file exceeds 10 MB.",
        )]));
    }
    let (kind, cleaned) = match files::accept(bytes, filename) {
        Ok(x) => x,
        Err(e) => return Ok(Err(vec![Problem::from_core(&["file"], &e)])),
    };
    let size = i64::try_from(cleaned.len()).unwrap_or(i64::MAX);
    let problems = check_room(db, cache, &d, component_id, size).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let sha = Sha256::digest(&cleaned)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let key = crate::auth::tokens::uuid()?;
    storage.put(&key, cleaned).await?;
    let row = attachment::ActiveModel {
        id: Set(crate::auth::tokens::uuid()?),
        owner_user_id: Set(p.user_id),
        dossier_id: Set(Some(d.id.clone())),
        component_id: Set(Some(component_id.to_owned())),
        content_type: Set(kind.mime().to_owned()),
        size: Set(size),
        sha256: Set(sha),
        original_name: Set(display_name(filename)),
        storage_key: Set(key),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok(Ok(row))
}

/// Attaches a document the caller uploaded for an earlier dossier, without uploading it again.
///
/// # Errors
/// `NOT_FOUND` (not the caller's document or dossier), `FORBIDDEN`, a database failure.
pub async fn reuse(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    dossier_id: &str,
    component_id: &str,
    document_id: &str,
) -> Result<Outcome<attachment::Model>, ApiError> {
    let d = attachable(db, p, dossier_id, component_id).await?;
    let doc = attachment::Entity::find_by_id(document_id.to_owned())
        .one(db)
        .await?
        .filter(|a| a.owner_user_id == p.user_id)
        .ok_or(ApiError::NotFound)?;
    let problems = check_room(db, cache, &d, component_id, doc.size).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let row = attachment::ActiveModel {
        id: Set(crate::auth::tokens::uuid()?),
        owner_user_id: Set(p.user_id),
        dossier_id: Set(Some(d.id.clone())),
        component_id: Set(Some(component_id.to_owned())),
        content_type: Set(doc.content_type),
        size: Set(doc.size),
        sha256: Set(doc.sha256),
        original_name: Set(doc.original_name),
        storage_key: Set(doc.storage_key),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok(Ok(row))
}

/// The caller's documents (their personal data store), newest first, one per content.
///
/// # Errors
/// A database failure.
pub async fn mine(
    db: &DatabaseConnection,
    p: &Principal,
) -> Result<Vec<attachment::Model>, ApiError> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerUserId.eq(p.user_id))
        .order_by_desc(attachment::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|a| seen.insert(a.sha256.clone()))
        .collect())
}

/// The attachments of a dossier.
///
/// # Errors
/// A database failure.
pub async fn of_dossier(
    db: &DatabaseConnection,
    dossier_id: &str,
) -> Result<Vec<attachment::Model>, ApiError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::DossierId.eq(dossier_id))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?)
}

/// An attachment the caller may download (anyone who may see its dossier, or its owner).
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn downloadable(
    db: &DatabaseConnection,
    p: &Principal,
    id: &str,
) -> Result<attachment::Model, ApiError> {
    let a = attachment::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if a.owner_user_id == p.user_id {
        return Ok(a);
    }
    let dossier_id = a.dossier_id.clone().ok_or(ApiError::NotFound)?;
    let (d, access) = dossiers::read(db, p, &dossier_id, "DOWNLOAD").await?;
    // The applicant gets the electronic result once it is returned to them.
    if a.component_id.as_deref() == Some(RESULT_COMPONENT)
        && !access.clerk
        && !access.processing
        && d.status != Status::Returned.as_str()
    {
        return Err(ApiError::NotFound);
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn names_are_display_only() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\x\\giay to.pdf"), "giay to.pdf");
        assert_eq!(display_name("..\u{0}\n"), "tep");
        assert_eq!(display_name(".htaccess"), "htaccess");
        assert_eq!(display_name("Giấy khai sinh.pdf"), "Giấy khai sinh.pdf");
    }
}
