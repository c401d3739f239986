//! Drafts: an applicant's dossier before filing, private to its author (Z2), prefilled from the
//! profile, saved as often as the applicant likes without validation (a draft may be incomplete).

use motcua_core::deadline::DeadlineState;
use motcua_core::dossier::{Channel, Status, receiving_unit};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, Set};
use serde_json::{Value, json};

use super::super::accounts;
use super::super::cache::FilingCache;
use super::super::problem::Outcome;
use super::read::get;
use super::repo;
use super::rules::{invalid_id, is_uuid, local_now};
use crate::auth::{Principal, now};
use crate::db::entities::dossier;
use crate::error::ApiError;

/// Starts a draft for a procedure, prefilled from the applicant's profile (name, ID number,
/// phone, e-mail where the form has those fields).
///
/// # Errors
/// `FORBIDDEN` (only applicants keep drafts), `NOT_FOUND`, `CONFLICT` (the id is taken), a
/// database failure.
pub async fn create_draft(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    procedure_code: &str,
    dossier_id: Option<&str>,
) -> Result<Outcome<dossier::Model>, ApiError> {
    if !p.is_applicant() {
        return Err(ApiError::Forbidden);
    }
    let now = now();
    let today = local_now(now).date_naive().to_string();
    let (version_id, procedure) = cache.procedure(db, procedure_code, &today).await?;
    let id = match dossier_id {
        Some(id) if is_uuid(id) => id.to_owned(),
        Some(_) => return Ok(Err(vec![invalid_id(&["dossierId"])])),
        None => crate::auth::tokens::uuid()?,
    };
    let u = match accounts::get(db, p.user_id).await {
        Err(ApiError::NotFound) => return Err(ApiError::Unauthenticated),
        other => other?,
    };
    let fields = procedure.form.applicant_fields();
    let mut applicant = serde_json::Map::new();
    for (field, value) in [
        ("full_name", Some(u.full_name.clone())),
        ("id_number", Some(u.login.clone())),
        ("phone", u.phone.clone()),
        ("email", u.email.clone()),
    ] {
        if let Some(v) = value
            && fields.contains(&field)
        {
            applicant.insert(field.to_owned(), Value::String(v));
        }
    }
    let data = if applicant.is_empty() {
        json!({})
    } else {
        json!({ "applicant": applicant })
    };
    let refs = cache.routing(db).await?;
    let receiving = receiving_unit(&refs, &procedure.agency_type, None, None)
        .map_err(|_| ApiError::NotFound)?
        .id;
    let row = dossier::ActiveModel {
        id: Set(id),
        code: Set(None),
        procedure_code: Set(procedure_code.to_owned()),
        procedure_version_id: Set(version_id),
        applicant_user_id: Set(Some(u.id)),
        applicant_name: Set(u.full_name.clone()),
        applicant_search: Set(motcua_core::text::fold(&u.full_name)),
        applicant_id_number: Set(u.login.clone()),
        filed_by_user_id: Set(u.id),
        channel: Set(i64::from(Channel::Online.national_code())),
        receiving_agency_id: Set(receiving),
        competent_agency_id: Set(receiving),
        status: Set(Status::Draft.as_str().to_owned()),
        status_code: Set(i64::from(Status::Draft.national_code())),
        form_data: Set(data.to_string()),
        fee_total: Set(None),
        fee_quote: Set(None),
        submitted_at: Set(None),
        received_at: Set(None),
        due_at: Set(None),
        due_detail: Set(None),
        supplement_count: Set(0),
        redate_count: Set(0),
        missing: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deadline_state: Set(DeadlineState::OnTrack.as_str().to_owned()),
        ..Default::default()
    };
    repo::insert(db, row)
        .await?
        .map(Ok)
        .ok_or(ApiError::Conflict {
            current_version: None,
        })
}

/// Saves a draft's form data (no validation yet: drafts may be incomplete).
///
/// # Errors
/// `NOT_FOUND` (not the caller's draft), `CONFLICT` (stale version), a database failure.
pub async fn save_draft(
    db: &DatabaseConnection,
    p: &Principal,
    id: &str,
    expected_version: i64,
    data: &Value,
) -> Result<dossier::Model, ApiError> {
    let (d, access) = get(db, p, id).await?;
    if !access.applicant || d.status != Status::Draft.as_str() {
        return Err(ApiError::NotFound);
    }
    let change = dossier::ActiveModel {
        form_data: Set(data.to_string()),
        updated_at: Set(now()),
        ..Default::default()
    };
    let still_draft = Condition::all().add(dossier::Column::Status.eq(Status::Draft.as_str()));
    if !repo::update(db, id, Some(expected_version), change, still_draft).await? {
        return Err(ApiError::Conflict {
            current_version: Some(d.version),
        });
    }
    repo::find(db, id).await?.ok_or(ApiError::NotFound)
}
