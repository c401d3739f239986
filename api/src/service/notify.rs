//! Telling people about a dossier's changes: in-app notifications, e-mail and SMS through the
//! outbox, and the change feed that subscriptions read — all written in the transaction of the
//! change itself, so a change is never told without happening, nor happens without being told.

use sea_orm::ConnectionTrait;
use serde_json::Value;

use super::sql::statement;
use crate::auth::tokens::uuid;
use crate::auth::{OfficialRole, now};
use crate::db::entities::dossier;
use crate::error::ApiError;

/// What happened to a dossier, as told to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Accepted at intake; the due date is set.
    Received,
    /// Refused at intake.
    Refused,
    /// Something is missing.
    SupplementRequested,
    /// The supplement arrived (told to the officials).
    Supplemented,
    /// Processing started.
    Processing,
    /// Handed to another official or agency (told to the receivers).
    HandedOver,
    /// Fees are due.
    PaymentRequested,
    /// The payment was recorded.
    Paid,
    /// The result is ready.
    Resolved,
    /// The result was delivered.
    Returned,
    /// Withdrawn by the applicant (told to the officials).
    Withdrawn,
    /// Processing stopped.
    Stopped,
    /// The agency apologised and set a new due date (form 04).
    Redated,
    /// The due date moved (a calendar change, a pause).
    DueChanged,
    /// Due within one working day (told to the officials).
    DueSoon,
    /// Past its due date (told to the officials).
    Overdue,
}

impl Kind {
    /// The stable name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "RECEIVED",
            Self::Refused => "REFUSED",
            Self::SupplementRequested => "SUPPLEMENT_REQUESTED",
            Self::Supplemented => "SUPPLEMENTED",
            Self::Processing => "PROCESSING",
            Self::HandedOver => "HANDED_OVER",
            Self::PaymentRequested => "PAYMENT_REQUESTED",
            Self::Paid => "PAID",
            Self::Resolved => "RESOLVED",
            Self::Returned => "RETURNED",
            Self::Withdrawn => "WITHDRAWN",
            Self::Stopped => "STOPPED",
            Self::Redated => "REDATED",
            Self::DueChanged => "DUE_CHANGED",
            Self::DueSoon => "DUE_SOON",
            Self::Overdue => "OVERDUE",
        }
    }

    /// Whether the applicant is told (by every channel they have).
    fn tells_applicant(self) -> bool {
        !matches!(
            self,
            Self::Supplemented | Self::HandedOver | Self::DueSoon | Self::Overdue | Self::Withdrawn
        )
    }

    /// Whether the officials holding the dossier are told (in the portal).
    fn tells_officials(self) -> bool {
        matches!(
            self,
            Self::Supplemented
                | Self::HandedOver
                | Self::Paid
                | Self::Withdrawn
                | Self::DueSoon
                | Self::Overdue
        )
    }
}

/// `2026-11-23T17:00:00+07:00` → `17:00 ngày 23/11/2026`.
#[must_use]
pub fn vn_datetime(rfc3339: &str) -> String {
    local_format(rfc3339, "%H:%M ngày %d/%m/%Y")
}

/// `2026-11-23T17:00:00+07:00` → `17:00 on 23/11/2026`.
fn en_datetime(rfc3339: &str) -> String {
    local_format(rfc3339, "%H:%M on %d/%m/%Y")
}

/// An instant in local (UTC+7) time with `format`; the text itself if it is not RFC 3339.
fn local_format(rfc3339: &str, format: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        |t| {
            t.with_timezone(&motcua_core::deadline::VN_OFFSET)
                .format(format)
                .to_string()
        },
    )
}

/// `1200000` → `1.200.000`.
#[must_use]
pub fn vnd(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Title (e-mail subject), Vietnamese.
    pub title_vi: String,
    /// Text, Vietnamese.
    pub body_vi: String,
    /// Title, English.
    pub title_en: String,
    /// Text, English.
    pub body_en: String,
}

/// The words for an event. `detail` is the history row's detail (reason, due dates, amount).
#[must_use]
pub fn message(kind: Kind, d: &dossier::Model, detail: &Value) -> Message {
    let code = d.code.as_deref().unwrap_or("");
    let due = d.due_at.as_deref().unwrap_or("");
    let reason = detail.get("reason").and_then(Value::as_str).unwrap_or("");
    let (title_vi, body_vi, title_en, body_en) = match kind {
        Kind::Received => (
            format!("Hồ sơ {code} đã được tiếp nhận"),
            format!(
                "Hồ sơ {code} của {} đã được tiếp nhận. Ngày hẹn trả kết quả: {}.",
                d.applicant_name,
                vn_datetime(due)
            ),
            format!("Dossier {code} was received"),
            format!(
                "Dossier {code} was received. The result is due at {}.",
                en_datetime(due)
            ),
        ),
        Kind::Refused => (
            format!("Hồ sơ {code} không được tiếp nhận"),
            format!("Hồ sơ {code} không được tiếp nhận. Lý do: {reason}."),
            format!("Dossier {code} was refused"),
            format!("Dossier {code} was refused. Reason: {reason}."),
        ),
        Kind::SupplementRequested => {
            let missing: Vec<&str> = detail
                .get("missing")
                .and_then(Value::as_array)
                .map(|m| m.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            (
                format!("Hồ sơ {code} cần bổ sung"),
                format!(
                    "Hồ sơ {code} cần bổ sung, hoàn thiện: {}. Lý do: {reason}. Vui lòng bổ sung \
                     một lần đầy đủ các nội dung trên.",
                    missing.join("; ")
                ),
                format!("Dossier {code} needs a supplement"),
                format!(
                    "Dossier {code} needs: {}. Reason: {reason}. Please supply everything at once.",
                    missing.join("; ")
                ),
            )
        }
        Kind::Supplemented => (
            format!("Hồ sơ {code} đã được bổ sung"),
            format!("Hồ sơ {code} đã được bổ sung; tiếp tục giải quyết."),
            format!("Dossier {code} was supplemented"),
            format!("Dossier {code} was supplemented; processing continues."),
        ),
        Kind::Processing => (
            format!("Hồ sơ {code} đang được xử lý"),
            format!("Hồ sơ {code} đang được cơ quan có thẩm quyền xử lý."),
            format!("Dossier {code} is being processed"),
            format!("Dossier {code} is being processed by the competent agency."),
        ),
        Kind::HandedOver => (
            format!("Nhận hồ sơ {code}"),
            format!(
                "Hồ sơ {code} đã được chuyển đến đồng chí/đơn vị để xử lý. Hạn xử lý bước: {}.",
                vn_datetime(
                    detail
                        .get("stepDueAt")
                        .and_then(Value::as_str)
                        .unwrap_or(due)
                )
            ),
            format!("Dossier {code} handed to you"),
            format!(
                "Dossier {code} was handed to you or your unit. Step due at {}.",
                en_datetime(
                    detail
                        .get("stepDueAt")
                        .and_then(Value::as_str)
                        .unwrap_or(due)
                )
            ),
        ),
        Kind::PaymentRequested => {
            let amount = d.payment_amount.unwrap_or(0);
            (
                format!("Hồ sơ {code}: đề nghị thực hiện nghĩa vụ tài chính"),
                format!(
                    "Hồ sơ {code}: vui lòng nộp phí, lệ phí {} đồng để tiếp tục giải quyết.",
                    vnd(amount)
                ),
                format!("Dossier {code}: payment due"),
                format!(
                    "Dossier {code}: please pay {} VND for processing to continue.",
                    vnd(amount)
                ),
            )
        }
        Kind::Paid => (
            format!("Hồ sơ {code} đã nộp phí, lệ phí"),
            format!("Hồ sơ {code} đã được ghi nhận nộp phí, lệ phí; tiếp tục giải quyết."),
            format!("Dossier {code}: payment recorded"),
            format!("Dossier {code}: the payment was recorded; processing continues."),
        ),
        Kind::Resolved => (
            format!("Hồ sơ {code} đã có kết quả"),
            format!(
                "Hồ sơ {code} đã giải quyết xong. Kết quả sẽ được trả theo hình thức đã đăng ký."
            ),
            format!("Dossier {code} is resolved"),
            format!("Dossier {code} is resolved; the result will be delivered as chosen."),
        ),
        Kind::Returned => (
            format!("Hồ sơ {code} đã trả kết quả"),
            // The satisfaction survey's invitation (issue 17) goes out with the result.
            format!(
                "Kết quả hồ sơ {code} đã được trả. Cảm ơn ông/bà đã sử dụng dịch vụ. Mời ông/bà \
                 đánh giá mức độ hài lòng tại mục Hồ sơ của tôi trên Cổng dịch vụ công."
            ),
            format!("Dossier {code}: result delivered"),
            format!(
                "The result of dossier {code} was delivered. Thank you. Please rate your \
                 satisfaction under My dossiers on the public service portal."
            ),
        ),
        Kind::Withdrawn => (
            format!("Hồ sơ {code} đã được rút"),
            format!("Người nộp đã rút hồ sơ {code}. Lý do: {reason}."),
            format!("Dossier {code} was withdrawn"),
            format!("The applicant withdrew dossier {code}. Reason: {reason}."),
        ),
        Kind::Stopped => (
            format!("Hồ sơ {code} bị dừng xử lý"),
            format!("Hồ sơ {code} đã dừng xử lý. Lý do: {reason}."),
            format!("Dossier {code} was stopped"),
            format!("Processing of dossier {code} stopped. Reason: {reason}."),
        ),
        Kind::Redated => (
            format!("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}"),
            format!(
                "Cơ quan giải quyết chân thành xin lỗi ông/bà vì hồ sơ {code} chưa giải quyết \
                 kịp thời hạn. Lý do: {reason}. Ngày hẹn trả kết quả mới: {}.",
                vn_datetime(due)
            ),
            format!("Apology and new due date for dossier {code}"),
            format!(
                "We apologise that dossier {code} could not be finished on time. Reason: {reason}. \
                 The new due date is {}.",
                en_datetime(due)
            ),
        ),
        Kind::DueChanged => (
            format!("Hồ sơ {code}: thay đổi ngày hẹn trả kết quả"),
            format!(
                "Ngày hẹn trả kết quả hồ sơ {code} được tính lại: {}.",
                vn_datetime(due)
            ),
            format!("Dossier {code}: new due date"),
            format!(
                "The due date of dossier {code} was recalculated: {}.",
                en_datetime(due)
            ),
        ),
        Kind::DueSoon => (
            format!("Hồ sơ {code} sắp đến hạn"),
            format!(
                "Hồ sơ {code} đến hạn trả kết quả lúc {}, còn dưới 01 ngày làm việc.",
                vn_datetime(due)
            ),
            format!("Dossier {code} is due soon"),
            format!(
                "Dossier {code} is due at {}, within one working day.",
                en_datetime(due)
            ),
        ),
        Kind::Overdue => (
            format!("Hồ sơ {code} đã quá hạn"),
            format!(
                "Hồ sơ {code} đã quá hạn trả kết quả ({}). Đề nghị xử lý và gửi phiếu xin lỗi, \
                 hẹn lại ngày trả kết quả cho người nộp.",
                vn_datetime(due)
            ),
            format!("Dossier {code} is overdue"),
            format!(
                "Dossier {code} is past its due date ({}). Finish it and send the applicant an \
                 apology with a new date.",
                en_datetime(due)
            ),
        ),
    };
    Message {
        title_vi,
        body_vi,
        title_en,
        body_en,
    }
}

/// The applicant's e-mail and phone: their account's, else those written in the form (a person
/// filed for at the desk may have no account).
async fn applicant_contacts(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let mut email = None;
    let mut phone = None;
    if let Some(user) = d.applicant_user_id {
        let row = db
            .query_one_raw(statement(
                db,
                "SELECT email, phone FROM users WHERE id = ?",
                vec![user.into()],
            ))
            .await?;
        if let Some(row) = row {
            email = row.try_get::<Option<String>>("", "email")?;
            phone = row.try_get::<Option<String>>("", "phone")?;
        }
    }
    let form: Value = serde_json::from_str(&d.form_data).unwrap_or_default();
    let from_form = |key: &str| {
        ["applicant", "owner"].iter().find_map(|who| {
            form.get(*who)
                .and_then(|a| a.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
        })
    };
    Ok((
        email
            .filter(|e| !e.is_empty())
            .or_else(|| from_form("email")),
        phone
            .filter(|p| !p.is_empty())
            .or_else(|| from_form("phone")),
    ))
}

/// The officials to tell: the named handler, else the specialists and leaders of the agency
/// holding the dossier (for a dossier back at the desk: its clerks).
async fn officials(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    detail: &Value,
) -> Result<Vec<i64>, ApiError> {
    if let Some(user) = detail
        .get("toUserId")
        .and_then(Value::as_i64)
        .or(d.handler_user_id)
    {
        return Ok(vec![user]);
    }
    let (agency, roles) = if d.status == "SUBMITTED" || d.status == "RESOLVED" {
        (d.receiving_agency_id, vec![OfficialRole::Clerk])
    } else {
        (
            d.handling_agency(),
            vec![OfficialRole::Specialist, OfficialRole::Leader],
        )
    };
    let placeholders = vec!["?"; roles.len()].join(", ");
    let mut values: Vec<sea_orm::Value> = vec![agency.into()];
    values.extend(roles.iter().map(|r| sea_orm::Value::from(r.as_str())));
    let rows = db
        .query_all_raw(statement(
            db,
            &format!(
                "SELECT DISTINCT r.user_id FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.agency_id = ? AND r.role IN ({placeholders}) AND u.disabled = ? \
                 ORDER BY r.user_id"
            ),
            {
                values.push(false.into());
                values
            },
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<i64>("", "user_id").map_err(ApiError::from))
        .collect()
}

/// Records the event `kind` of dossier `d` (as it is after the change) in the same transaction:
/// a change-feed row, in-app notifications, and outbox rows for e-mail and SMS. Each outbox row
/// has a unique event key (dossier, version, kind, channel), so retrying a change can never queue
/// a message twice.
///
/// # Errors
/// A database failure.
pub async fn record(
    db: &impl ConnectionTrait,
    d: &dossier::Model,
    kind: Kind,
    detail: &Value,
) -> Result<(), ApiError> {
    let at = now();
    db.execute_raw(statement(
        db,
        "INSERT INTO dossier_events (dossier_id, applicant_user_id, handling_agency_id, \
         receiving_agency_id, kind, status, version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            d.id.clone().into(),
            d.applicant_user_id.into(),
            d.handling_agency().into(),
            d.receiving_agency_id.into(),
            kind.as_str().into(),
            d.status.clone().into(),
            d.version.into(),
            at.into(),
        ],
    ))
    .await?;
    let m = message(kind, d, detail);
    let mut bells: Vec<i64> = Vec::new();
    if kind.tells_applicant() {
        bells.extend(d.applicant_user_id);
        let (email, phone) = applicant_contacts(db, d).await?;
        let key = format!("{}:{}:{}", d.id, d.version, kind.as_str());
        if let Some(email) = email {
            queue(
                db,
                (&format!("{key}:EMAIL"), &d.id),
                "EMAIL",
                &email,
                &m.title_vi,
                &format!("{}\n\n{}", m.body_vi, m.body_en),
                at,
            )
            .await?;
        }
        if let Some(phone) = phone {
            queue(
                db,
                (&format!("{key}:SMS"), &d.id),
                "SMS",
                &phone,
                "",
                &m.body_vi,
                at,
            )
            .await?;
        }
    }
    if kind.tells_officials() {
        bells.extend(officials(db, d, detail).await?);
    }
    bells.sort_unstable();
    bells.dedup();
    for user in bells {
        db.execute_raw(statement(
            db,
            "INSERT INTO notifications (id, user_id, dossier_id, kind, title_vi, body_vi, \
             title_en, body_en, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            vec![
                uuid()?.into(),
                user.into(),
                d.id.clone().into(),
                kind.as_str().into(),
                m.title_vi.clone().into(),
                m.body_vi.clone().into(),
                m.title_en.clone().into(),
                m.body_en.clone().into(),
                at.into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// Queues one message; a second row for the same event key is ignored.
async fn queue(
    db: &impl ConnectionTrait,
    (event_key, dossier_id): (&str, &str),
    channel: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    at: i64,
) -> Result<(), ApiError> {
    db.execute_raw(statement(
        db,
        "INSERT INTO outbox (id, event_key, dossier_id, channel, recipient, subject, body, \
         created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) \
         ON CONFLICT (event_key) DO NOTHING",
        vec![
            uuid()?.into(),
            event_key.into(),
            dossier_id.into(),
            channel.into(),
            recipient.into(),
            subject.into(),
            body.into(),
            at.into(),
            at.into(),
        ],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_dates_read_the_vietnamese_way() {
        assert_eq!(vnd(1_200_000), "1.200.000");
        assert_eq!(vnd(0), "0");
        assert_eq!(vnd(999), "999");
        assert_eq!(vnd(-50_000), "-50.000");
        assert_eq!(vn_datetime("2026-11-23T10:00:00Z"), "17:00 ngày 23/11/2026");
    }
}
