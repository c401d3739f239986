//! Dossiers: drafts, filing (online, at a desk, by post) exactly once per idempotency key,
//! intake through the core's state machine with optimistic locking, and what applicants and
//! officials may see. Every rule comes from the core: form validation, the fee quote, the due
//! date and the transition table.

use chrono::Datelike;
use motcua_core::catalog::Procedure;
use motcua_core::deadline::{self, DueRequest, Pauses, ProcessingTime};
use motcua_core::dossier::{Role, Status};
use motcua_core::fee::{Channel, QuoteContext};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cache::FilingCache;
use super::problem::{Outcome, Problem};
use super::sql::statement;
use crate::auth::{OfficialRole, Principal, now};
use crate::db::entities::{agency, attachment, dossier, dossier_history, user};
use crate::error::ApiError;

/// What a client sends to file a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct SubmitInput {
    /// The dossier's UUID, possibly made offline (a draft with this id is submitted).
    pub dossier_id: Option<String>,
    /// The procedure.
    pub procedure_code: String,
    /// Where it is filed (a clerk's agency; for online filing the unit chosen by the applicant).
    pub receiving_agency_id: Option<i64>,
    /// The competent agency, when routing cannot tell.
    pub competent_agency_id: Option<i64>,
    /// Desk or postal (clerks); online filers always file online.
    pub channel: Option<Channel>,
    /// The form data.
    pub form_data: Value,
}

/// What a successful submission answered, stored with its idempotency key and replayed verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The dossier.
    pub dossier_id: String,
    /// Its code.
    pub code: String,
    /// `SUBMITTED`.
    pub status: String,
    /// Unix seconds.
    pub submitted_at: i64,
    /// The fee quoted (VND).
    pub fee_total: i64,
    /// The due date intake would give now (RFC 3339), for the applicant's information.
    pub expected_due_at: String,
}

/// The longest idempotency key.
const MAX_KEY: usize = 128;

/// A UUID in its canonical text form (what clients may choose as a dossier id).
#[must_use]
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
            }
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn problem(path: &[&str], code: &str, vi: &str, en: &str) -> Problem {
    Problem::new(path, code, vi, en)
}

/// The local date and time now.
pub(crate) fn local_now(secs: i64) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .with_timezone(&deadline::VN_OFFSET)
}

/// Form-data violations as problems under `formData` (the JSON Pointer's segments follow).
pub(crate) fn form_problems(
    p: &Procedure,
    data: &Value,
    today: &str,
    channel: Channel,
) -> Vec<Problem> {
    let context = json!({ "today": today, "channel": channel.as_str() });
    let v = p.form.validate(data, &context);
    v.violations
        .into_iter()
        .map(|x| {
            let mut path = vec!["formData".to_owned()];
            path.extend(
                x.path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.replace("~1", "/").replace("~0", "~")),
            );
            Problem {
                path,
                code: x.code,
                vi: x.message_vi,
                en: x.message_en,
            }
        })
        .collect()
}

/// The applicant named in the form (`applicant` or, for businesses' forms, `owner`).
fn applicant_of(data: &Value) -> Option<(String, String)> {
    for key in ["applicant", "owner"] {
        let Some(a) = data.get(key) else { continue };
        if let (Some(name), Some(id)) = (
            a.get("full_name").and_then(Value::as_str),
            a.get("id_number").and_then(Value::as_str),
        ) {
            return Some((name.to_owned(), id.to_owned()));
        }
    }
    None
}

/// The processing time for a channel.
pub(crate) fn processing_time(p: &Procedure, channel: i64) -> ProcessingTime {
    if channel == i64::from(Channel::Online.national_code()) {
        p.time_online
    } else {
        p.time_in_person
    }
}

pub(crate) fn channel_of(code: i64) -> Channel {
    match code {
        2 => Channel::Online,
        3 => Channel::Postal,
        _ => Channel::InPerson,
    }
}

/// The due date of a dossier received at `received` (Unix seconds), with its explanation.
pub(crate) fn due_for(
    p: &Procedure,
    channel: i64,
    received: i64,
    calendar: &motcua_core::calendar::WorkingCalendar,
    pauses: Pauses,
) -> Result<deadline::Due, ApiError> {
    let cutoff = p
        .same_day_cutoff
        .as_deref()
        .and_then(|c| chrono::NaiveTime::parse_from_str(c, "%H:%M").ok())
        .unwrap_or(deadline::DEFAULT_CUTOFF);
    deadline::due(
        &DueRequest {
            received_at: local_now(received),
            duration: processing_time(p, channel),
            same_day_cutoff: cutoff,
            pauses,
        },
        calendar,
    )
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("due date: {e}")))
}

/// Chooses the competent agency: the one given (of the procedure's agency type), else one of that
/// type serving the receiving unit, else one of that type serving the whole province.
fn route(
    agencies: &[agency::Model],
    p: &Procedure,
    receiving: &agency::Model,
    given: Option<i64>,
) -> Result<agency::Model, Problem> {
    let candidates = agencies.iter().filter(|a| a.agency_type == p.agency_type);
    if let Some(id) = given {
        return candidates
            .clone()
            .find(|a| a.id == id)
            .cloned()
            .ok_or_else(|| {
                problem(
                    &["input", "competentAgencyId"],
                    "NOT_COMPETENT",
                    "Cơ quan được chọn không có thẩm quyền giải quyết thủ tục này.",
                    "The chosen agency is not competent for this procedure.",
                )
            });
    }
    let province = receiving.unit_code.get(..2).unwrap_or_default();
    candidates
        .clone()
        .find(|a| a.unit_code == receiving.unit_code)
        .or_else(|| candidates.clone().find(|a| a.unit_code == province))
        .cloned()
        .ok_or_else(|| {
            problem(
                &["input", "competentAgencyId"],
                "COMPETENT_AGENCY_REQUIRED",
                "Vui lòng chọn cơ quan có thẩm quyền giải quyết.",
                "Please choose the competent agency.",
            )
        })
}

/// The stored answer for `(user, key)`, if any.
async fn replay(
    db: &impl ConnectionTrait,
    user_id: i64,
    key: &str,
    hash: &str,
) -> Result<Option<Receipt>, ApiError> {
    let row = db
        .query_one_raw(statement(
            db,
            "SELECT request_hash, response FROM idempotency_keys WHERE user_id = ? AND key = ?",
            vec![user_id.into(), key.into()],
        ))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored_hash: String = row.try_get("", "request_hash")?;
    if stored_hash != hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    let response: String = row.try_get("", "response")?;
    serde_json::from_str(&response)
        .map(Some)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored receipt: {e}")))
}

/// Files a dossier: the core validates the form and quotes the fee; the dossier gets its code and
/// status `SUBMITTED`, its history row and the idempotency record in one transaction. The same
/// key with the same input answers the original receipt; with another input `IDEMPOTENCY_KEY_REUSED`.
///
/// # Errors
/// `FORBIDDEN` (not an applicant or a clerk), `NOT_FOUND`, `IDEMPOTENCY_KEY_REUSED`, `CONFLICT`
/// (the dossier id is taken), a database failure. Fixable problems come back as `Ok(Err(_))`.
pub async fn submit(
    db: &DatabaseConnection,
    writer: &super::writer::Writer,
    cache: &FilingCache,
    actor: &Principal,
    input: &SubmitInput,
    key: &str,
) -> Result<Outcome<Receipt>, ApiError> {
    let key = key.trim();
    if key.is_empty() || key.len() > MAX_KEY || key.chars().any(|c| c.is_control()) {
        return Ok(Err(vec![problem(
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
    let today_text = today.to_string();
    // Who files, how, and where.
    let (channel, receiving_id, applicant_user) = if actor.is_applicant() {
        (
            Channel::Online,
            input.receiving_agency_id,
            Some(actor.user_id),
        )
    } else {
        let clerk_agencies: Vec<i64> = actor
            .grants
            .iter()
            .filter(|g| g.role == OfficialRole::Clerk)
            .map(|g| g.agency_id)
            .collect();
        let Some(first) = clerk_agencies.first() else {
            return Err(ApiError::Forbidden);
        };
        let receiving = match input.receiving_agency_id {
            Some(id) if clerk_agencies.contains(&id) => id,
            Some(_) => return Err(ApiError::Forbidden),
            None => *first,
        };
        let channel = match input.channel {
            Some(Channel::Postal) => Channel::Postal,
            _ => Channel::InPerson,
        };
        (channel, Some(receiving), None)
    };
    let (version_id, procedure) = cache
        .procedure(db, &input.procedure_code, &today_text)
        .await?;
    let mut problems = Vec::new();
    if let Some(id) = &input.dossier_id
        && !is_uuid(id)
    {
        problems.push(problem(
            &["input", "dossierId"],
            "INVALID_ID",
            "Mã hồ sơ tạm phải là UUID dạng chữ thường.",
            "The dossier id must be a lower-case UUID.",
        ));
    }
    // Online filers choose the receiving unit, or file to the competent agency.
    let agencies = cache.agencies(db).await?;
    let by_id = |id: i64| agencies.iter().find(|a| a.id == id).cloned();
    let receiving = match (receiving_id, input.competent_agency_id) {
        (Some(id), _) | (None, Some(id)) => by_id(id).ok_or(ApiError::NotFound)?,
        (None, None) => agencies
            .iter()
            .find(|a| a.agency_type == procedure.agency_type)
            .cloned()
            .ok_or(ApiError::NotFound)?,
    };
    let competent = match route(&agencies, &procedure, &receiving, input.competent_agency_id) {
        Ok(a) => Some(a),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    problems.extend(form_problems(
        &procedure,
        &input.form_data,
        &today_text,
        channel,
    ));
    // The applicant: the account itself online; the person named in the form at a desk.
    let applicant = if let Some(user_id) = applicant_user {
        let u = user::Entity::find_by_id(user_id)
            .one(db)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        Some((u.full_name, u.login, Some(u.id)))
    } else {
        match applicant_of(&input.form_data) {
            // The person's own account, if any, is linked inside the transaction.
            Some((name, id)) => Some((name, super::accounts::normalize_login(&id), None)),
            None => {
                if problems.is_empty() {
                    problems.push(problem(
                        &["formData", "applicant"],
                        "APPLICANT_REQUIRED",
                        "Biểu mẫu thiếu họ tên và số định danh của người nộp.",
                        "The form lacks the applicant's name and ID number.",
                    ));
                }
                None
            }
        }
    };
    let dossier_id = match &input.dossier_id {
        Some(id) => id.clone(),
        None => crate::auth::tokens::uuid()?,
    };
    // Online filers attach every required component before submitting.
    if channel == Channel::Online {
        let attached: Vec<String> = attachment::Entity::find()
            .filter(attachment::Column::DossierId.eq(dossier_id.as_str()))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|a| a.component_id)
            .collect();
        for c in procedure.components.iter().filter(|c| c.required) {
            if !attached.contains(&c.id) {
                problems.push(Problem::new(
                    &["attachments", c.id.as_str()],
                    "COMPONENT_MISSING",
                    format!("Thiếu thành phần hồ sơ bắt buộc: {}.", c.name.vi),
                    format!("A required document is missing: {}.", c.name.en),
                ));
            }
        }
    }
    let quote = if problems.is_empty() {
        match procedure.fees.quote(
            &input.form_data,
            &QuoteContext {
                date: today,
                channel,
                categories: Vec::new(),
            },
        ) {
            Ok(q) => Some(q),
            Err(e) => {
                problems.push(Problem::new(
                    &["formData"],
                    "FEE_NOT_COMPUTABLE",
                    format!("Không tính được phí, lệ phí: {e}"),
                    format!("The fee cannot be computed: {e}"),
                ));
                None
            }
        }
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
    let channel_code = i64::from(channel.national_code());
    let expected = due_for(&procedure, channel_code, now, &calendar, Pauses::default())?;
    let day = format!(
        "{:02}{:02}{:02}",
        today.year() % 100,
        today.month(),
        today.day()
    );
    let job = super::writer::Job {
        user_id: actor.user_id,
        key: key.to_owned(),
        hash: hash.clone(),
        dossier_id: dossier_id.clone(),
        procedure_code: input.procedure_code.clone(),
        version_id,
        applicant_account,
        applicant_name,
        applicant_id,
        channel: channel_code,
        receiving_id: receiving.id,
        receiving_code: receiving.code.clone(),
        competent_id: competent.id,
        form_text: input.form_data.to_string(),
        fee_total: quote.total,
        quote_text: serde_json::to_string(&quote).map_err(|e| ApiError::Internal(e.into()))?,
        now,
        day,
        expected_due_at: expected.due_at.to_rfc3339(),
        role: if actor.is_applicant() {
            Role::Applicant
        } else {
            Role::Clerk
        },
    };
    match writer.file(job).await? {
        super::writer::Done::Filed(receipt) => Ok(Ok(receipt)),
        super::writer::Done::Replay => match replay(db, actor.user_id, key, &hash).await? {
            Some(r) => Ok(Ok(r)),
            None => Err(ApiError::Internal(anyhow::anyhow!(
                "an idempotency key was taken but is not readable"
            ))),
        },
        super::writer::Done::Conflict => Err(ApiError::Conflict {
            current_version: None,
        }),
    }
}

/// Appends a history row.
#[expect(clippy::too_many_arguments, reason = "a history row has these columns")]
pub(crate) async fn history(
    db: &impl ConnectionTrait,
    dossier_id: &str,
    actor: i64,
    role: Role,
    action: impl Into<super::deadlines::HistoryAction>,
    (from, to): (Status, Status),
    reason: Option<&str>,
    detail: &Value,
) -> Result<(), ApiError> {
    db.execute_raw(statement(
        db,
        "INSERT INTO dossier_history (dossier_id, at, actor_user_id, role, action, from_status, \
         to_status, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            dossier_id.into(),
            now().into(),
            actor.into(),
            role.as_str().into(),
            action.into().as_str().into(),
            from.as_str().into(),
            to.as_str().into(),
            reason.map(str::to_owned).into(),
            detail.to_string().into(),
        ],
    ))
    .await?;
    Ok(())
}

/// How the caller relates to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// The applicant (owner) or the person who filed it.
    pub applicant: bool,
    /// A clerk of the receiving unit.
    pub clerk: bool,
    /// An official of the competent agency or of the agency holding it now (liên thông).
    pub processing: bool,
}

impl Access {
    /// Whether the caller may see the dossier at all.
    #[must_use]
    pub fn any(self) -> bool {
        self.applicant || self.clerk || self.processing
    }

    /// Whether the caller sees the officials' side: internal notes, who handled each step (Z7).
    #[must_use]
    pub fn internal(self) -> bool {
        self.clerk || self.processing
    }
}

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
    let rows = history_of(db, id).await?;
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

/// What `p` may do with `d`.
#[must_use]
pub fn access(p: &Principal, d: &dossier::Model) -> Access {
    let holds_any = |agency: i64, roles: &[OfficialRole]| {
        p.grants
            .iter()
            .any(|g| g.agency_id == agency && roles.contains(&g.role))
    };
    let applicant = d.applicant_user_id == Some(p.user_id)
        || (d.filed_by_user_id == p.user_id && p.is_applicant());
    // A draft is its author's alone until it is submitted (Z2).
    if d.status == Status::Draft.as_str() {
        return Access {
            applicant,
            clerk: false,
            processing: false,
        };
    }
    Access {
        applicant,
        clerk: holds_any(d.receiving_agency_id, &[OfficialRole::Clerk]),
        processing: [d.competent_agency_id, d.handling_agency()]
            .into_iter()
            .any(|agency| {
                holds_any(
                    agency,
                    &[
                        OfficialRole::Specialist,
                        OfficialRole::Leader,
                        OfficialRole::Clerk,
                    ],
                )
            }),
    }
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
    let d = dossier::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let a = access(p, &d);
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
    if p.kind == crate::auth::AccountKind::Official {
        let outcome = match &result {
            Ok(_) => "OK",
            Err(e) => e.code(),
        };
        super::audit::record(
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
    if p.kind != crate::auth::AccountKind::Official || rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = rows.iter().map(|d| d.id.as_str()).collect();
    super::audit::record(
        db,
        Some(p.user_id),
        "DOSSIER_LIST",
        (what, ""),
        &json!({ "ids": ids }),
        "OK",
    )
    .await
}

/// Its history, oldest first.
///
/// # Errors
/// A database failure.
pub async fn history_of(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Vec<dossier_history::Model>, ApiError> {
    Ok(dossier_history::Entity::find()
        .filter(dossier_history::Column::DossierId.eq(id))
        .order_by_asc(dossier_history::Column::Id)
        .all(db)
        .await?)
}

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
        Some(_) => {
            return Ok(Err(vec![problem(
                &["dossierId"],
                "INVALID_ID",
                "Mã hồ sơ tạm phải là UUID dạng chữ thường.",
                "The dossier id must be a lower-case UUID.",
            )]));
        }
        None => crate::auth::tokens::uuid()?,
    };
    let u = user::Entity::find_by_id(p.user_id)
        .one(db)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
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
    let receiving = agency::Entity::find()
        .filter(agency::Column::AgencyType.eq(procedure.agency_type.as_str()))
        .order_by_asc(agency::Column::Code)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let inserted = dossier::ActiveModel {
        id: Set(id.clone()),
        code: Set(None),
        procedure_code: Set(procedure_code.to_owned()),
        procedure_version_id: Set(version_id),
        applicant_user_id: Set(Some(u.id)),
        applicant_name: Set(u.full_name.clone()),
        applicant_id_number: Set(u.login.clone()),
        filed_by_user_id: Set(u.id),
        channel: Set(i64::from(Channel::Online.national_code())),
        receiving_agency_id: Set(receiving.id),
        competent_agency_id: Set(receiving.id),
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
        deadline_state: Set("ON_TRACK".to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(d) => Ok(Ok(d)),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Err(ApiError::Conflict {
                current_version: None,
            })
        }
        Err(e) => Err(e.into()),
    }
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
    let updated = db
        .execute_raw(statement(
            db,
            "UPDATE dossiers SET form_data = ?, version = version + 1, updated_at = ? \
             WHERE id = ? AND version = ? AND status = 'DRAFT'",
            vec![
                data.to_string().into(),
                now().into(),
                id.into(),
                expected_version.into(),
            ],
        ))
        .await?
        .rows_affected();
    if updated == 0 {
        return Err(ApiError::Conflict {
            current_version: Some(d.version),
        });
    }
    dossier::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Filters of a dossier list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only these statuses.
    pub statuses: Vec<String>,
    /// Only this receiving agency (intake queues).
    pub receiving_agency_id: Option<i64>,
    /// Continue after this `(sort key, id)` cursor.
    pub after: Option<(i64, String)>,
    /// Page size.
    pub limit: u64,
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
    let mut q = dossier::Entity::find()
        .filter(dossier::Column::ApplicantUserId.eq(p.user_id))
        .order_by_desc(dossier::Column::CreatedAt)
        .order_by_desc(dossier::Column::Id);
    if !f.statuses.is_empty() {
        q = q.filter(dossier::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some((at, id)) = &f.after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(dossier::Column::CreatedAt.lt(*at))
                .add(
                    sea_orm::Condition::all()
                        .add(dossier::Column::CreatedAt.eq(*at))
                        .add(dossier::Column::Id.lt(id.as_str())),
                ),
        );
    }
    Ok(q.limit(f.limit + 1).all(db).await?)
}

/// The intake queue of the caller's receiving units, oldest submission first (default: what is
/// waiting, `SUBMITTED`).
///
/// # Errors
/// `FORBIDDEN` for a caller who is no clerk (of the given agency), a database failure.
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
    let mut q = dossier::Entity::find()
        .filter(dossier::Column::ReceivingAgencyId.is_in(agencies))
        .filter(dossier::Column::Status.is_in(statuses))
        .order_by_asc(dossier::Column::SubmittedAt)
        .order_by_asc(dossier::Column::Id);
    if let Some((at, id)) = &f.after {
        q = q.filter(
            sea_orm::Condition::any()
                .add(dossier::Column::SubmittedAt.gt(*at))
                .add(
                    sea_orm::Condition::all()
                        .add(dossier::Column::SubmittedAt.eq(*at))
                        .add(dossier::Column::Id.gt(id.as_str())),
                ),
        );
    }
    let rows = q.limit(f.limit + 1).all(db).await?;
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
    super::rate_limit::per_minute(
        db,
        &format!("lookup:ip:{client_ip}"),
        LOOKUPS_PER_IP_PER_MINUTE,
        now(),
    )
    .await?;
    let id_number = super::accounts::normalize_login(id_number);
    dossier::Entity::find()
        .filter(dossier::Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .filter(|d| d.applicant_id_number == id_number)
        .ok_or(ApiError::NotFound)
}

/// Public lookups per client address per minute.
pub const LOOKUPS_PER_IP_PER_MINUTE: i64 = 30;
