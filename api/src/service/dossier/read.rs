//! Reading dossiers: one dossier as the caller may see it (a forbidden one reads exactly like a
//! missing one, G5), its history and control sheet with the officials' side hidden from the
//! applicant (Z7), the applicant's list, the clerks' intake queue, and the public lookup. Every
//! official's read is audited (V5).

use motcua_core::dossier::{Status, access};
use serde_json::{Value, json};

use super::super::{accounts, audit, rate_limit};
use super::repo::{self, history, steps};
use super::rules::{caller, grants, parties};
use super::types::{Access, ListFilter};
use crate::auth::{AccountKind, OfficialRole, Principal, now};
use crate::db::entities::{dossier, dossier_history, dossier_step};
use crate::error::ApiError;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Public lookups per client address per minute.
pub const LOOKUPS_PER_IP_PER_MINUTE: i64 = 30;

/// The keys of a history row's detail that the applicant sees: dates, what is missing, amounts,
/// how the result comes back. Notes between officials and who they are stay internal (Z7).
const PUBLIC_DETAIL: &[&str] = &[
    "dueAt",
    "oldDueAt",
    "missing",
    "amount",
    "receiptNumber",
    "method",
    "trackingNumber",
    "pausedFrom",
    "cause",
];

/// What `p` may see of `d` (the core decides).
///
/// # Errors
/// A stored status the core does not know (internal).
pub fn access_to(p: &Principal, d: &dossier::Model) -> Result<Access, ApiError> {
    let grants = grants(p);
    Ok(access(&caller(p, &grants), &parties(d)?))
}

/// A dossier the caller may see; `NOT_FOUND` otherwise (a forbidden dossier reads exactly like a
/// missing one, G5).
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: &str,
) -> Result<(dossier::Model, Access), ApiError> {
    let d = repo::find(db, id).await?.ok_or(ApiError::NotFound)?;
    let a = access_to(p, &d)?;
    if !a.any() {
        return Err(ApiError::NotFound);
    }
    Ok((d, a))
}

/// A dossier read by `p` for `why` (`VIEW`, `DOWNLOAD`, …): like [`get`], and when the caller is
/// an official, one audit row — who, what, why, when and the outcome, refusals included
/// (SECURITY.md V5). The audit log cannot be changed or deleted by the application.
///
/// # Errors
/// `NOT_FOUND`, a database failure.
pub async fn read(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: &str,
    why: &str,
) -> Result<(dossier::Model, Access), ApiError> {
    let result = get(db, p, id).await;
    if p.kind == AccountKind::Official {
        let outcome = match &result {
            Ok(_) => "OK",
            Err(e) => e.code(),
        };
        audit::record(
            db,
            Some(p.user_id),
            "DOSSIER_READ",
            ("Dossier", id),
            &json!({ "why": why }),
            outcome,
        )
        .await?;
    }
    result
}

/// Records that an official listed dossiers (their ids), for the audit of personal-data reads.
///
/// # Errors
/// A database failure.
pub async fn audit_list(
    db: &impl ConnectionTrait,
    p: &Principal,
    what: &str,
    rows: &[dossier::Model],
) -> Result<(), ApiError> {
    if p.kind != AccountKind::Official || rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = rows.iter().map(|d| d.id.as_str()).collect();
    audit::record(
        db,
        Some(p.user_id),
        "DOSSIER_LIST",
        (what, ""),
        &json!({ "ids": ids }),
        "OK",
    )
    .await
}

/// A dossier's history, oldest first, whole (for the legal forms, which officials print).
///
/// # Errors
/// A database failure.
pub async fn history_of(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Vec<dossier_history::Model>, ApiError> {
    history::of(db, id).await
}

/// A dossier's history as `access` may see it: whole for its officials, the public part for the
/// applicant (Z7).
///
/// # Errors
/// A database failure.
pub async fn history_for(
    db: &impl ConnectionTrait,
    access: Access,
    id: &str,
) -> Result<Vec<dossier_history::Model>, ApiError> {
    let rows = history::of(db, id).await?;
    if access.internal() {
        return Ok(rows);
    }
    Ok(rows
        .into_iter()
        .map(|mut h| {
            let detail: Value = serde_json::from_str(&h.detail).unwrap_or_default();
            let public: serde_json::Map<String, Value> = detail
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| PUBLIC_DETAIL.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            h.detail = Value::Object(public).to_string();
            h.actor_user_id = None;
            h
        })
        .collect())
}

/// The control sheet of a dossier as `access` may see it: whole for its officials; for the
/// applicant, where it went and when, without the officials, their results and notes (Z7).
///
/// # Errors
/// A database failure.
pub async fn steps_for(
    db: &impl ConnectionTrait,
    access: Access,
    id: &str,
) -> Result<Vec<dossier_step::Model>, ApiError> {
    let rows = steps::of(db, id).await?;
    if access.internal() {
        return Ok(rows);
    }
    Ok(rows
        .into_iter()
        .map(|s| dossier_step::Model {
            from_user_id: None,
            to_user_id: None,
            result: None,
            note: None,
            ..s
        })
        .collect())
}

/// The caller's own dossiers, newest first.
///
/// # Errors
/// A database failure.
pub async fn mine(
    db: &impl ConnectionTrait,
    p: &Principal,
    f: &ListFilter,
) -> Result<Vec<dossier::Model>, ApiError> {
    repo::of_applicant(db, p.user_id, &f.statuses, f.after.as_ref(), f.limit).await
}

/// The intake queue of the caller's receiving units, oldest submission first (default: what is
/// waiting, `SUBMITTED`).
///
/// # Errors
/// `FORBIDDEN` for a caller who is no clerk (of the given agency), `INVALID_INPUT` for a draft or
/// unknown status, a database failure.
pub async fn queue(
    db: &impl ConnectionTrait,
    p: &Principal,
    f: &ListFilter,
) -> Result<Vec<dossier::Model>, ApiError> {
    let agencies: Vec<i64> = p
        .grants
        .iter()
        .filter(|g| g.role == OfficialRole::Clerk)
        .map(|g| g.agency_id)
        .filter(|a| f.receiving_agency_id.is_none_or(|x| x == *a))
        .collect();
    if agencies.is_empty() {
        return Err(ApiError::Forbidden);
    }
    let statuses = if f.statuses.is_empty() {
        vec![Status::Submitted.as_str().to_owned()]
    } else {
        f.statuses.clone()
    };
    // Only what has been filed reaches a desk: drafts are private (Z2), unknown names are errors.
    if statuses
        .iter()
        .any(|s| s.parse::<Status>().map_or(true, |s| s == Status::Draft))
    {
        return Err(ApiError::InvalidInput("status"));
    }
    let rows = repo::of_receiving(db, agencies, statuses, f.after.as_ref(), f.limit).await?;
    let shown = usize::try_from(f.limit)
        .unwrap_or(usize::MAX)
        .min(rows.len());
    audit_list(db, p, "IntakeQueue", rows.get(..shown).unwrap_or_default()).await?;
    Ok(rows)
}

/// Public lookup by dossier code and the applicant's ID number: only the status and due date, and
/// `NOT_FOUND` for any mismatch. Rate limited per client address.
///
/// # Errors
/// `RATE_LIMITED`, `NOT_FOUND`, a database failure.
pub async fn lookup(
    db: &DatabaseConnection,
    client_ip: &str,
    code: &str,
    id_number: &str,
) -> Result<dossier::Model, ApiError> {
    rate_limit::per_minute(
        db,
        &format!("lookup:ip:{client_ip}"),
        LOOKUPS_PER_IP_PER_MINUTE,
        now(),
    )
    .await?;
    let id_number = accounts::normalize_login(id_number);
    repo::by_code(db, code.trim())
        .await?
        .filter(|d| d.applicant_id_number == id_number)
        .ok_or(ApiError::NotFound)
}
