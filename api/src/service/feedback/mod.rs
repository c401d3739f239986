//! Complaints and feedback (PAKN): filed by anyone — with an account, or with a name and a
//! contact — checked by the core, routed to the competent agency (a dossier's own agency, or the
//! one chosen), its deadlines counted by the core at receipt; answered by the agency, then
//! published without personal data.

use motcua_core::feedback::{self, About, Filing};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::cache::FilingCache;
use super::problem::{Outcome, Problem};
use super::rate_limit;
use crate::auth::{OfficialRole, Principal};
use crate::db::entities::feedback::{self as row, Column, Entity, Model};
use crate::db::entities::{agency, dossier};
use crate::error::ApiError;

/// Waiting for an answer.
pub const RECEIVED: &str = "RECEIVED";
/// Answered to the author.
pub const ANSWERED: &str = "ANSWERED";
/// Published.
pub const PUBLISHED: &str = "PUBLISHED";
/// Refused (not for this agency, abusive, already answered elsewhere), with the reason.
pub const REFUSED: &str = "REFUSED";
/// Waiting for the author's reply to the agency's question.
pub const INFO_REQUESTED: &str = "INFO_REQUESTED";

mod handling;

pub use handling::{rate, refuse, reply_info, request_info};

/// Filings one address may send per hour (a citizen sends a few; a flood is cut off).
const PER_HOUR: i64 = 10;

/// A filing as the API receives it.
#[derive(Debug, Clone)]
pub struct NewFeedback {
    /// What it is about.
    pub about: About,
    /// The dossier's or procedure's code, or who.
    pub reference: String,
    /// The agency, unless it is about a dossier (then the dossier's).
    pub agency_id: Option<i64>,
    /// Subject.
    pub subject: String,
    /// Content.
    pub content: String,
    /// The author's name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
}

fn message(code: &str) -> (&'static str, &'static str) {
    match code {
        "REQUIRED" => ("Vui lòng nhập thông tin này.", "Please fill this in."),
        "TOO_SHORT" => ("Nội dung quá ngắn.", "Too short."),
        "TOO_LONG" => ("Nội dung quá dài.", "Too long."),
        "INVALID_PHONE" => ("Số điện thoại không hợp lệ.", "Invalid phone number."),
        "INVALID_EMAIL" => (
            "Địa chỉ thư điện tử không hợp lệ.",
            "Invalid e-mail address.",
        ),
        _ => (
            "Hãy để lại số điện thoại hoặc thư điện tử để nhận trả lời.",
            "Leave a phone number or an e-mail address for the answer.",
        ),
    }
}

/// The stored code of `about`.
#[must_use]
pub fn about_code(about: About) -> &'static str {
    match about {
        About::Dossier => "DOSSIER",
        About::Procedure => "PROCEDURE",
        About::Official => "OFFICIAL",
        About::Other => "OTHER",
    }
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Files a complaint or feedback.
///
/// # Errors
/// `RATE_LIMITED` past the address's budget, a database failure.
pub async fn submit(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: Option<&Principal>,
    input: &NewFeedback,
    ip: &str,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let filing = Filing {
        about: input.about,
        reference: input.reference.clone(),
        subject: input.subject.clone(),
        content: input.content.clone(),
        name: input.name.clone(),
        phone: input.phone.clone(),
        email: input.email.clone(),
        signed_in: p.is_some(),
    };
    let mut problems: Vec<Problem> = feedback::check(&filing)
        .iter()
        .map(|v| {
            let (vi, en) = message(v.code);
            Problem::new(&["input", v.path.trim_start_matches('/')], v.code, vi, en)
        })
        .collect();
    // Routing: a dossier's own agency, or the agency chosen.
    let mut dossier_id = None;
    let agency = if input.about == About::Dossier {
        match dossier::Entity::find()
            .filter(dossier::Column::Code.eq(input.reference.trim()))
            .one(db)
            .await?
        {
            Some(d) => {
                dossier_id = Some(d.id.clone());
                Some(d.handling_agency())
            }
            None => {
                if !input.reference.trim().is_empty() {
                    problems.push(Problem::new(
                        &["input", "reference"],
                        "DOSSIER_NOT_FOUND",
                        "Không tìm thấy hồ sơ có mã này.",
                        "No dossier has this code.",
                    ));
                }
                None
            }
        }
    } else {
        match input.agency_id {
            Some(id) if agency::Entity::find_by_id(id).one(db).await?.is_some() => Some(id),
            _ => {
                problems.push(Problem::new(
                    &["input", "agencyId"],
                    "AGENCY_REQUIRED",
                    "Hãy chọn cơ quan tiếp nhận phản ánh.",
                    "Choose the agency the feedback is for.",
                ));
                None
            }
        }
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let Some(agency_id) = agency else {
        return Err(ApiError::Internal(anyhow::anyhow!("routed nowhere")));
    };
    let (count, retry_after) = rate_limit::hit(db, &format!("feedback:{ip}"), 3_600, now).await?;
    if count > PER_HOUR {
        return Err(ApiError::RateLimited { retry_after });
    }
    let calendar = cache.calendar(db).await?;
    let received = crate::clock::vn(now);
    let d = feedback::deadlines(&calendar, received)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("deadlines: {e}")))?;
    let m = row::ActiveModel {
        about: Set(about_code(input.about).to_owned()),
        reference: Set(input.reference.trim().to_owned()),
        dossier_id: Set(dossier_id),
        agency_id: Set(agency_id),
        user_id: Set(p.map(|p| p.user_id)),
        name: Set(input.name.trim().to_owned()),
        phone: Set(none_if_empty(&input.phone)),
        email: Set(none_if_empty(&input.email)),
        subject: Set(input.subject.trim().to_owned()),
        content: Set(input.content.trim().to_owned()),
        status: Set(RECEIVED.to_owned()),
        received_at: Set(now),
        refuse_by: Set(d.refuse_by.timestamp()),
        info_by: Set(d.request_info_by.timestamp()),
        resolve_by: Set(d.resolve_by.timestamp()),
        client_ip: Set(Some(ip.to_owned())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Ok(m))
}

/// The filings of agency `agency_id` for its officials, oldest deadline first.
///
/// # Errors
/// `NOT_FOUND` for someone outside the agency, a database failure.
pub async fn queue(
    db: &impl ConnectionTrait,
    p: &Principal,
    agency_id: i64,
) -> Result<Vec<Model>, ApiError> {
    if !p.is_province_admin() && !p.grants.iter().any(|g| g.agency_id == agency_id) {
        return Err(ApiError::NotFound);
    }
    Ok(Entity::find()
        .filter(Column::AgencyId.eq(agency_id))
        .order_by_asc(Column::ResolveBy)
        .limit(500)
        .all(db)
        .await?)
}

fn already_answered() -> Problem {
    Problem::new(
        &["input", "id"],
        "ALREADY_ANSWERED",
        "Phản ánh này đã được trả lời.",
        "This feedback has already been answered.",
    )
}

fn not_answered() -> Problem {
    Problem::new(
        &["input", "id"],
        "NOT_ANSWERED",
        "Chỉ công khai phản ánh đã được trả lời (và chưa công khai).",
        "Only an answered, unpublished feedback can be published.",
    )
}

/// A filing the caller's agency may act on as `roles`.
pub(super) async fn own(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i64,
    roles: &[OfficialRole],
) -> Result<Model, ApiError> {
    let m = Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if roles.iter().any(|r| p.holds(*r, m.agency_id)) {
        Ok(m)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A specialist or leader of the agency answers a filing.
///
/// # Errors
/// `NOT_FOUND` outside the agency, a database failure.
pub async fn answer(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    id: i64,
    text: &str,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = own(db, p, id, &[OfficialRole::Specialist, OfficialRole::Leader]).await?;
    let text = text.trim();
    let mut problems = Vec::new();
    if m.status != RECEIVED {
        problems.push(already_answered());
    }
    if !(10..=5_000).contains(&text.chars().count()) {
        problems.push(Problem::new(
            &["input", "answer"],
            "INVALID_ANSWER",
            "Câu trả lời từ 10 đến 5.000 ký tự.",
            "An answer is 10 to 5,000 characters.",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let calendar = cache.calendar(db).await?;
    let publish_by = feedback::publish_by(&calendar, crate::clock::vn(now))
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("deadlines: {e}")))?;
    let cols = vec![
        (Column::Status, ANSWERED.into()),
        (Column::Answer, Some(text.to_owned()).into()),
        (Column::AnsweredAt, Some(now).into()),
        (Column::AnsweredBy, Some(p.user_id).into()),
        (Column::PublishBy, Some(publish_by.timestamp()).into()),
    ];
    Ok(handling::guarded(db, id, &[RECEIVED], cols)
        .await?
        .ok_or_else(|| vec![already_answered()]))
}

/// A leader of the agency publishes an answered filing: the question and the answer, without
/// personal data (the core's `redact`).
///
/// # Errors
/// `NOT_FOUND` outside the agency, a database failure.
pub async fn publish(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    now: i64,
) -> Result<Outcome<Model>, ApiError> {
    let m = own(db, p, id, &[OfficialRole::Leader]).await?;
    if m.status != ANSWERED {
        return Ok(Err(vec![not_answered()]));
    }
    let personal: Vec<&str> = [
        Some(m.name.as_str()),
        m.phone.as_deref(),
        m.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let public = format!(
        "{}\n\n{}\n\n{}",
        feedback::redact(&m.subject, &personal),
        feedback::redact(&m.content, &personal),
        feedback::redact(m.answer.as_deref().unwrap_or(""), &personal)
    );
    let cols = vec![
        (Column::Status, PUBLISHED.into()),
        (Column::PublishedAt, Some(now).into()),
        (Column::PublicText, Some(public).into()),
    ];
    Ok(handling::guarded(db, id, &[ANSWERED], cols)
        .await?
        .ok_or_else(|| vec![not_answered()]))
}

/// The published answers, newest first.
///
/// # Errors
/// A database failure.
pub async fn published(db: &impl ConnectionTrait, first: u64) -> Result<Vec<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::Status.eq(PUBLISHED))
        .order_by_desc(Column::PublishedAt)
        .limit(first.min(100))
        .all(db)
        .await?)
}

/// The caller's own filings, newest first.
///
/// # Errors
/// A database failure.
pub async fn mine(db: &impl ConnectionTrait, p: &Principal) -> Result<Vec<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(p.user_id))
        .order_by_desc(Column::ReceivedAt)
        .limit(100)
        .all(db)
        .await?)
}
