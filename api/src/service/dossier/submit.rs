//! Filing a dossier exactly once per idempotency key: online by its applicant, or at a desk or by
//! post by a clerk for a person. The core decides who may file and how (through the transition
//! table), routes it, validates the form and quotes the fee; the writer gives it its code and
//! commits it with its history row and the stored receipt.

use motcua_core::catalog::Procedure;
use motcua_core::deadline::Pauses;
use motcua_core::dossier::{
    Channel, Filing, Standing, competent_agency, entry_day, filing, receiving_unit,
};
use motcua_core::fee::QuoteContext;
use sea_orm::DatabaseConnection;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::super::cache::FilingCache;
use super::super::problem::{Outcome, Problem};
use super::super::{accounts, attachments};
use super::repo::filing::{Done, Job, replay};
use super::rules::{due_for, form_problems, invalid_id, is_uuid, local_now};
use super::types::{Receipt, SubmitInput};
use super::writer::Writer;
use crate::auth::{OfficialRole, Principal, now};
use crate::error::ApiError;

/// The longest idempotency key.
const MAX_KEY: usize = 128;

/// Files a dossier: the core validates the form and quotes the fee; the dossier gets its code and
/// status `SUBMITTED`, its history row and the idempotency record in one transaction. The same
/// key with the same input answers the original receipt; with another input `IDEMPOTENCY_KEY_REUSED`.
///
/// # Errors
/// `FORBIDDEN` (not an applicant or a clerk), `NOT_FOUND`, `IDEMPOTENCY_KEY_REUSED`, `CONFLICT`
/// (the dossier id is taken), a database failure. Fixable problems come back as `Ok(Err(_))`.
pub async fn submit(
    db: &DatabaseConnection,
    writer: &Writer,
    cache: &FilingCache,
    actor: &Principal,
    input: &SubmitInput,
    key: &str,
) -> Result<Outcome<Receipt>, ApiError> {
    let key = key.trim();
    if key.is_empty() || key.len() > MAX_KEY || key.chars().any(char::is_control) {
        return Ok(Err(vec![Problem::new(
            &["idempotencyKey"],
            "INVALID_IDEMPOTENCY_KEY",
            "Khóa chống gửi trùng phải có từ 1 đến 128 ký tự in được.",
            "The idempotency key must have 1 to 128 printable characters.",
        )]));
    }
    let hash = hex(&Sha256::digest(
        serde_json::to_vec(input).map_err(|e| ApiError::Internal(e.into()))?,
    ));
    let now = now();
    let today = local_now(now).date_naive();
    let (how, receiving_id) = filer(actor, input)?;
    let (version_id, procedure) = cache
        .procedure(db, &input.procedure_code, &today.to_string())
        .await?;
    let mut problems = Vec::new();
    problems.extend(tracking_problem(
        how.channel,
        input.postal_tracking_number.as_deref(),
    ));
    if let Some(id) = &input.dossier_id
        && !is_uuid(id)
    {
        problems.push(invalid_id(&["input", "dossierId"]));
    }
    let refs = cache.routing(db).await?;
    let receiving = receiving_unit(
        &refs,
        &procedure.agency_type,
        receiving_id,
        input.competent_agency_id,
    )
    .map_err(|_| ApiError::NotFound)?;
    let competent = competent_agency(
        &refs,
        &procedure.agency_type,
        receiving,
        input.competent_agency_id,
    )
    .map_err(|e| problems.push(Problem::from_core(&["input", "competentAgencyId"], &e)))
    .ok();
    problems.extend(form_problems(
        &procedure,
        &input.form_data,
        &today.to_string(),
        how.channel,
    ));
    let applicant = applicant(db, actor, how, &input.form_data).await?;
    if applicant.is_none() && problems.is_empty() {
        problems.push(Problem::new(
            &["formData", "applicant"],
            "APPLICANT_REQUIRED",
            "Biểu mẫu thiếu họ tên và số định danh của người nộp.",
            "The form lacks the applicant's name and ID number.",
        ));
    }
    let dossier_id = match &input.dossier_id {
        Some(id) => id.clone(),
        None => crate::auth::tokens::uuid()?,
    };
    // Online filers attach every required component before submitting.
    if how.channel == Channel::Online {
        problems.extend(missing_components(db, &procedure, &dossier_id).await?);
    }
    let quote = if problems.is_empty() {
        procedure
            .fees
            .quote(
                &input.form_data,
                &QuoteContext {
                    date: today,
                    channel: how.channel,
                    categories: Vec::new(),
                },
            )
            .map_err(|e| {
                problems.push(Problem::new(
                    &["formData"],
                    "FEE_NOT_COMPUTABLE",
                    format!("Không tính được phí, lệ phí: {e}"),
                    format!("The fee cannot be computed: {e}"),
                ));
            })
            .ok()
    } else {
        None
    };
    let (
        Some(competent),
        Some((applicant_name, applicant_id, applicant_account)),
        Some(quote),
        true,
    ) = (competent, applicant, quote, problems.is_empty())
    else {
        return Ok(Err(problems));
    };
    let calendar = cache.calendar(db).await?;
    let channel = i64::from(how.channel.national_code());
    let expected = due_for(&procedure, channel, now, &calendar, Pauses::default())?;
    let job = Job {
        user_id: actor.user_id,
        key: key.to_owned(),
        hash: hash.clone(),
        dossier_id,
        procedure_code: input.procedure_code.clone(),
        version_id,
        applicant_account,
        applicant_name,
        applicant_id,
        channel,
        receiving_id: receiving.id,
        receiving_code: agency_code(cache, db, receiving.id).await?,
        competent_id: competent.id,
        form_text: input.form_data.to_string(),
        fee_total: quote.total,
        quote_text: serde_json::to_string(&quote).map_err(|e| ApiError::Internal(e.into()))?,
        now,
        day: entry_day(local_now(now)),
        expected_due_at: expected.due_at.to_rfc3339(),
        intake_by: motcua_core::kpi::events::intake_deadline(&calendar, crate::clock::vn(now))
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("intake deadline: {e}")))?
            .timestamp(),
        postal_tracking_number: input
            .postal_tracking_number
            .as_deref()
            .map(str::trim)
            .map(str::to_owned),
        role: how.role,
        status: how.status,
    };
    match writer.file(job).await? {
        Done::Filed(receipt) => Ok(Ok(receipt)),
        Done::Replay => match replay(db, actor.user_id, key, &hash).await? {
            Some(r) => Ok(Ok(r)),
            None => Err(ApiError::Internal(anyhow::anyhow!(
                "an idempotency key was taken but is not readable"
            ))),
        },
        Done::Conflict => Err(ApiError::Conflict {
            current_version: None,
        }),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who files, how, and to which unit: an applicant account online (to the unit it chose, if
/// any); a clerk at one of their own desks (the one given, else their first), at the desk or by
/// post. The core's table decides; anyone else is `FORBIDDEN`.
fn filer(actor: &Principal, input: &SubmitInput) -> Result<(Filing, Option<i64>), ApiError> {
    if actor.is_applicant() {
        let standing = Standing {
            applicant: true,
            ..Standing::default()
        };
        let how = filing(standing, input.channel).map_err(|_| ApiError::Forbidden)?;
        return Ok((how, input.receiving_agency_id));
    }
    let desks: Vec<i64> = actor
        .grants
        .iter()
        .filter(|g| g.role == OfficialRole::Clerk)
        .map(|g| g.agency_id)
        .collect();
    let receiving = match (input.receiving_agency_id, desks.first()) {
        (_, None) => return Err(ApiError::Forbidden),
        (Some(id), _) if desks.contains(&id) => id,
        (Some(_), _) => return Err(ApiError::Forbidden),
        (None, Some(first)) => *first,
    };
    let standing = Standing {
        receiving_clerk: true,
        ..Standing::default()
    };
    let how = filing(standing, input.channel).map_err(|_| ApiError::Forbidden)?;
    Ok((how, Some(receiving)))
}

/// The applicant `(name, ID number, own account)`: the account itself online; the person named
/// in the form at a desk (their own account, if verified, is linked by the writer).
async fn applicant(
    db: &DatabaseConnection,
    actor: &Principal,
    how: Filing,
    data: &Value,
) -> Result<Option<(String, String, Option<i64>)>, ApiError> {
    if how.channel == Channel::Online {
        let u = match accounts::get(db, actor.user_id).await {
            Err(ApiError::NotFound) => return Err(ApiError::Unauthenticated),
            other => other?,
        };
        return Ok(Some((u.full_name, u.login, Some(u.id))));
    }
    Ok(named_in_form(data).map(|(name, id)| (name, accounts::normalize_login(&id), None)))
}

/// The applicant named in the form (`applicant` or, for businesses' forms, `owner`).
fn named_in_form(data: &Value) -> Option<(String, String)> {
    ["applicant", "owner"].into_iter().find_map(|key| {
        let a = data.get(key)?;
        Some((
            a.get("full_name")?.as_str()?.to_owned(),
            a.get("id_number")?.as_str()?.to_owned(),
        ))
    })
}

/// A problem for each required component not attached yet.
async fn missing_components(
    db: &DatabaseConnection,
    procedure: &Procedure,
    dossier_id: &str,
) -> Result<Vec<Problem>, ApiError> {
    let attached: Vec<String> = attachments::of_dossier(db, dossier_id)
        .await?
        .into_iter()
        .filter_map(|a| a.component_id)
        .collect();
    Ok(procedure
        .components
        .iter()
        .filter(|c| c.required && !attached.contains(&c.id))
        .map(|c| {
            Problem::new(
                &["attachments", c.id.as_str()],
                "COMPONENT_MISSING",
                format!("Thiếu thành phần hồ sơ bắt buộc: {}.", c.name.vi),
                format!("A required document is missing: {}.", c.name.en),
            )
        })
        .collect())
}

/// A postal tracking number is only for postal filings, and is 1–40 letters, digits or `-`.
fn tracking_problem(channel: Channel, tracking: Option<&str>) -> Option<Problem> {
    let tracking = tracking?.trim();
    if channel != Channel::Postal {
        return Some(Problem::new(
            &["input", "postalTrackingNumber"],
            "TRACKING_NUMBER_NOT_POSTAL",
            "Chỉ hồ sơ gửi qua bưu chính mới có mã bưu gửi.",
            "Only a postal filing has a tracking number.",
        ));
    }
    let valid = (1..=40).contains(&tracking.len())
        && tracking
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    (!valid).then(|| {
        Problem::new(
            &["input", "postalTrackingNumber"],
            "INVALID_TRACKING_NUMBER",
            "Mã bưu gửi gồm 1 đến 40 chữ cái, chữ số hoặc dấu gạch ngang.",
            "A tracking number has 1 to 40 letters, digits or hyphens.",
        )
    })
}

/// The electronic ID of a unit (what its dossiers' codes start with).
async fn agency_code(
    cache: &FilingCache,
    db: &DatabaseConnection,
    id: i64,
) -> Result<String, ApiError> {
    cache
        .agencies(db)
        .await?
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.code.clone())
        .ok_or(ApiError::NotFound)
}
