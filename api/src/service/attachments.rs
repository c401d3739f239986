//! Attachments: sniffed by their bytes (the core), then judged by the server — PDFs parsed and
//! refused when active ([`pdf`]), photos and scans re-encoded to their pixels ([`images`]) —
//! stored under server-made keys ([`Storage`]) only while the dossier has room for them
//! (`room`, atomic), recorded with their SHA-256, and reusable from the applicant's earlier
//! dossiers without uploading again (Kho dữ liệu).

pub mod images;
pub mod pdf;
mod room;
mod storage;

pub use storage::Storage;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

use super::cache::FilingCache;
use super::dossier::{self as dossiers, RESULT_COMPONENT};
use super::problem::{Outcome, Problem};
use crate::auth::OfficialRole;
use crate::auth::{Principal, now};
use crate::db::entities::{attachment, dossier};
use crate::error::ApiError;
use motcua_core::dossier::Status;
use motcua_core::file as files;

/// Largest file (SECURITY.md A2): the core's, which phones check too.
pub const MAX_FILE: usize = files::MAX_BYTES;
/// Most files per dossier.
pub const MAX_FILES: u64 = 20;
/// Most bytes per dossier.
pub const MAX_TOTAL: i64 = 50 << 20;

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

/// Whether the procedure has the component (or it is the electronic result), and whether the
/// dossier seems to have room (the insert decides; see `room`).
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
    problems.extend(room::check(db, &d.id, adding).await?);
    Ok(problems)
}

/// The pool that parses PDFs and re-encodes images: one per core at once, each holding up to a
/// few hundred megabytes while it runs; further uploads wait their turn.
fn pool() -> &'static crate::pool::Pool {
    static POOL: OnceLock<crate::pool::Pool> = OnceLock::new();
    POOL.get_or_init(|| crate::pool::Pool::start("files"))
}

/// The server's judgement after the core's sniffing, on the file pool: a PDF is parsed and kept
/// as sent (A4), an image is re-encoded (A3). Returns the bytes to store.
async fn judge(kind: files::Kind, bytes: &[u8]) -> Result<Result<Vec<u8>, Problem>, ApiError> {
    let bytes = bytes.to_vec();
    Ok(pool()
        .run(move || match kind {
            files::Kind::Pdf => pdf::inspect(&bytes)
                .map(|()| bytes)
                .map_err(|e| Problem::from_core(&["file"], &e)),
            files::Kind::Jpeg | files::Kind::Png => {
                images::reencode(&bytes, kind).map_err(|e| Problem::from_core(&["file"], &e))
            }
        })
        .await?)
}

/// Stores the file and records its row if the dossier has room; a refused or failed insert
/// leaves no stored file behind.
async fn store(
    db: &DatabaseConnection,
    storage: &Storage,
    row: attachment::Model,
    bytes: Vec<u8>,
) -> Result<Outcome<attachment::Model>, ApiError> {
    storage.put(&row.storage_key, bytes).await?;
    let inserted = room::insert(db, &row).await;
    if !matches!(inserted, Ok(Ok(()))) {
        storage.delete(&row.storage_key).await;
    }
    Ok(inserted?.map(|()| row))
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
    // The core's sniffing (kind, extension, polyglots) first; its metadata stripping is
    // superseded by the re-encoding, which starts from the bytes as sent so that the EXIF
    // orientation can still turn the photo upright.
    let kind = match files::accept(bytes, filename) {
        Ok((kind, _)) => kind,
        Err(e) => return Ok(Err(vec![Problem::from_core(&["file"], &e)])),
    };
    let stored = match judge(kind, bytes).await? {
        Ok(stored) => stored,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let size = i64::try_from(stored.len()).unwrap_or(i64::MAX);
    let problems = check_room(db, cache, &d, component_id, size).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let sha = Sha256::digest(&stored)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let row = attachment::Model {
        id: crate::auth::tokens::uuid()?,
        owner_user_id: p.user_id,
        dossier_id: Some(d.id.clone()),
        component_id: Some(component_id.to_owned()),
        content_type: kind.mime().to_owned(),
        size,
        sha256: sha,
        original_name: display_name(filename),
        storage_key: crate::auth::tokens::uuid()?,
        created_at: now(),
    };
    // In a task of its own: a request cancelled at its timeout must not stop between storing
    // the file and recording it (or removing it again).
    let (db, storage) = (db.clone(), storage.clone());
    tokio::spawn(async move { store(&db, &storage, row, stored).await })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
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
    let row = attachment::Model {
        id: crate::auth::tokens::uuid()?,
        owner_user_id: p.user_id,
        dossier_id: Some(d.id.clone()),
        component_id: Some(component_id.to_owned()),
        content_type: doc.content_type,
        size: doc.size,
        sha256: doc.sha256,
        original_name: doc.original_name,
        storage_key: doc.storage_key,
        created_at: now(),
    };
    // The stored file is shared with the earlier attachment: nothing to delete on refusal.
    Ok(room::insert(db, &row).await?.map(|()| row))
}

/// A page of the caller's documents (their personal data store), newest first, one per content:
/// a file uploaded again is listed once, at its newest upload (`limit + 1` rows).
///
/// # Errors
/// A database failure.
pub async fn mine(
    db: &DatabaseConnection,
    p: &Principal,
    after: Option<(i64, String)>,
    limit: u64,
) -> Result<Vec<attachment::Model>, ApiError> {
    use sea_orm::sea_query::Expr;
    let newest_of_its_content = Expr::cust(
        "NOT EXISTS (SELECT 1 FROM attachments b WHERE b.owner_user_id = attachments.owner_user_id \
         AND b.sha256 = attachments.sha256 AND (b.created_at > attachments.created_at \
         OR (b.created_at = attachments.created_at AND b.id > attachments.id)))",
    );
    let mut q = attachment::Entity::find()
        .filter(attachment::Column::OwnerUserId.eq(p.user_id))
        .filter(newest_of_its_content);
    if let Some(cursor) = &after {
        q = q.filter(super::sql::past_cursor(
            (attachment::Column::CreatedAt, attachment::Column::Id),
            cursor,
            true,
        ));
    }
    Ok(q.order_by_desc(attachment::Column::CreatedAt)
        .order_by_desc(attachment::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?)
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

/// Whether `file` is an electronic result (`KET_QUA`) uploaded for `dossier_id`.
///
/// # Errors
/// A database failure.
pub async fn is_result_of(
    db: &DatabaseConnection,
    file: &str,
    dossier_id: &str,
) -> Result<bool, ApiError> {
    Ok(attachment::Entity::find_by_id(file.to_owned())
        .one(db)
        .await?
        .is_some_and(|a| {
            a.dossier_id.as_deref() == Some(dossier_id)
                && a.component_id.as_deref() == Some(RESULT_COMPONENT)
        }))
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
