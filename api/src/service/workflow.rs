//! Moving a dossier after filing: intake, processing across officials and agencies, payment,
//! the result, withdrawal, stopping and re-dating — every step through the core's transition
//! table, with the optimistic version check, a history row, the control sheet (form 06) and the
//! notifications, in one transaction.

use chrono::{DateTime, FixedOffset};
use motcua_core::catalog::Procedure;
use motcua_core::deadline::{self, Pauses};
use motcua_core::dossier::{
    Action, Standing, Status, TransitionError, TransitionInput, acting_role, transition,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use serde_json::{Map, Value, json};

use super::cache::FilingCache;
use super::dossiers::{
    Access, channel_of, due_for, form_problems, get, history, local_now, problem, processing_time,
};
use super::notify::{self, Kind};
use super::problem::{Outcome, Problem};
use super::sql::statement;
use crate::auth::{OfficialRole, Principal, now};
use crate::db::entities::{attachment, dossier, dossier_step};
use crate::error::ApiError;

/// The component id of the electronic result file (kết quả giải quyết).
pub const RESULT_COMPONENT: &str = "KET_QUA";

/// How the result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnMethod {
    /// Downloaded from the portal (needs the electronic result file).
    Online,
    /// Collected at the one-stop desk.
    Desk,
    /// Sent by public postal service.
    Post,
}

impl ReturnMethod {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "ONLINE",
            Self::Desk => "DESK",
            Self::Post => "POST",
        }
    }
}

/// A hand-over (liên thông): to a named official, to an agency (any of its specialists picks it
/// up), or both.
#[derive(Debug, Clone, Default)]
pub struct HandOver {
    /// The receiving official.
    pub to_user_id: Option<i64>,
    /// The receiving agency (default: the official's agency).
    pub to_agency_id: Option<i64>,
    /// The step's deadline in working days from now (default: the dossier's due date).
    pub step_working_days: Option<u32>,
    /// What the giver did (the result column of form 06).
    pub result: Option<String>,
    /// A note for the receiver.
    pub note: Option<String>,
}

/// Something done to a dossier after filing.
#[derive(Debug, Clone)]
pub enum Act {
    /// Accept; the clock starts and the due date is fixed.
    Receive,
    /// Refuse with a reason.
    Refuse {
        /// Why.
        reason: String,
    },
    /// Ask for everything missing, once. During processing the clock stops until it arrives.
    RequestSupplement {
        /// Why.
        reason: String,
        /// Every missing or wrong document or field.
        missing: Vec<String>,
    },
    /// The supplement arrives (the applicant, or a clerk at the desk), with corrected form data.
    Supplement {
        /// New form data, if the form changes.
        form_data: Option<Value>,
    },
    /// A specialist of the agency holding the dossier starts processing.
    StartProcessing,
    /// Hand over to another official or agency.
    HandOver(HandOver),
    /// Ask the applicant to pay the quoted fees; the clock stops until paid.
    RequestPayment,
    /// A clerk records a payment made at the desk or by transfer.
    RecordPayment {
        /// Amount paid (VND); must be the amount asked for.
        amount: i64,
        /// The receipt (biên lai) number.
        receipt_number: String,
    },
    /// The leader approves the result, optionally with the electronic result file.
    Resolve {
        /// An attachment of this dossier with component `KET_QUA`.
        result_attachment_id: Option<String>,
    },
    /// A clerk of the receiving unit delivers the result.
    ReturnResult {
        /// How.
        method: ReturnMethod,
        /// The postal tracking number (by post).
        tracking_number: Option<String>,
    },
    /// The applicant withdraws, with a reason.
    Withdraw {
        /// Why.
        reason: String,
    },
    /// The leader stops processing, with a reason.
    Stop {
        /// Why.
        reason: String,
    },
    /// The leader apologises and sets a new due date, once (form 04).
    Redate {
        /// Why the dossier is late.
        reason: String,
        /// The new due date: RFC 3339, or `YYYY-MM-DD` for that day's closing time.
        new_due_at: String,
    },
}

impl Act {
    fn action(&self) -> (Action, Option<&str>) {
        match self {
            Self::Receive => (Action::Receive, None),
            Self::Refuse { reason } => (Action::Refuse, Some(reason)),
            Self::RequestSupplement { reason, .. } => (Action::RequestSupplement, Some(reason)),
            Self::Supplement { .. } => (Action::Supplement, None),
            Self::StartProcessing => (Action::StartProcessing, None),
            Self::HandOver(_) => (Action::HandOver, None),
            Self::RequestPayment => (Action::RequestPayment, None),
            Self::RecordPayment { .. } => (Action::RecordPayment, None),
            Self::Resolve { .. } => (Action::Resolve, None),
            Self::ReturnResult { .. } => (Action::ReturnResult, None),
            Self::Withdraw { reason } => (Action::Withdraw, Some(reason)),
            Self::Stop { reason } => (Action::Stop, Some(reason)),
            Self::Redate { reason, .. } => (Action::ApologizeAndRedate, Some(reason)),
        }
    }
}

/// What the caller holds for this dossier: its applicant (their own account only), a clerk of the
/// receiving unit, a specialist or leader of the agency holding it. The core picks the role.
fn standing(p: &Principal, d: &dossier::Model, access: Access) -> Standing {
    Standing {
        applicant: access.applicant,
        receiving_clerk: p.holds(OfficialRole::Clerk, d.receiving_agency_id),
        specialist: p.holds(OfficialRole::Specialist, d.handling_agency()),
        leader: p.holds(OfficialRole::Leader, d.handling_agency()),
    }
}

/// The explanation stored beside a due date (what the dossier page shows).
pub(crate) fn explain(procedure: &Procedure, channel: i64, due: &deadline::Due) -> Value {
    json!({
        "duration": processing_time(procedure, channel),
        "countingFrom": due.counting_from.to_rfc3339(),
        "skipped": due.skipped.iter().map(|s| json!({
            "date": s.date.to_string(),
            "vi": s.reason.name_vi(),
            "en": s.reason.name_en(),
        })).collect::<Vec<_>>(),
        "pausedSeconds": due.paused_seconds,
    })
}

/// The closed pauses of a dossier, as the core wants them.
pub(crate) fn pauses_of(stored: Option<&str>) -> (Vec<[i64; 2]>, Pauses) {
    let raw: Vec<[i64; 2]> = stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let pauses = Pauses(
        raw.iter()
            .map(|[from, to]| (local_now(*from), local_now(*to)))
            .collect(),
    );
    (raw, pauses)
}

/// An RFC 3339 instant, or a date meaning that day's closing time (17:00).
fn parse_due(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(17, 0, 0))
            .map(deadline::from_local)
    })
}

/// A new control-sheet row.
struct NewStep {
    from_agency: i64,
    to_user: Option<i64>,
    to_agency: i64,
    step_due: Option<String>,
    note: Option<String>,
}

/// What a change does to the control sheet.
#[derive(Default)]
struct SheetChange {
    /// Close the open row with this result.
    close: Option<String>,
    /// Name the receiver of the open row (a specialist picking up the dossier).
    pick_up: Option<i64>,
    /// Open a row.
    open: Option<NewStep>,
}

/// The pause being closed, the recomputed due date and its explanation (not for re-dated
/// dossiers, whose due date the leader set).
async fn resume(
    db: &impl ConnectionTrait,
    cache: &FilingCache,
    d: &dossier::Model,
    now: i64,
    set: &mut Vec<(&'static str, sea_orm::Value)>,
    detail: &mut Map<String, Value>,
) -> Result<(), ApiError> {
    let Some(since) = d.paused_since else {
        return Ok(());
    };
    let (mut raw, _) = pauses_of(d.pauses.as_deref());
    raw.push([since, now]);
    set.push(("paused_since", sea_orm::Value::BigInt(None)));
    set.push(("pauses", json!(raw).to_string().into()));
    detail.insert("pausedFrom".to_owned(), json!(crate::clock::rfc3339(since)));
    if d.redate_count > 0 {
        return Ok(());
    }
    let (Some(received), Some(old)) = (d.received_at, d.due_at.as_deref()) else {
        return Ok(());
    };
    let procedure = cache.version(db, d.procedure_version_id).await?;
    let calendar = cache.calendar(db).await?;
    let (_, pauses) = pauses_of(Some(&json!(raw).to_string()));
    let due = due_for(&procedure, d.channel, received, &calendar, pauses)?;
    let text = due.due_at.to_rfc3339();
    set.push((
        "due_detail",
        explain(&procedure, d.channel, &due).to_string().into(),
    ));
    if text != old {
        detail.insert("oldDueAt".to_owned(), json!(old));
        detail.insert("dueAt".to_owned(), json!(text));
        set.push(("due_at", text.into()));
    }
    Ok(())
}

/// Checks a hand-over's target: the official must be a specialist or leader of the receiving
/// agency; an agency alone must exist. Returns the receiving agency.
async fn handover_target(
    db: &impl ConnectionTrait,
    cache: &FilingCache,
    h: &HandOver,
    current: i64,
) -> Result<Result<i64, Problem>, ApiError> {
    let invalid = || {
        problem(
            &["toUserId"],
            "HANDOVER_TARGET_INVALID",
            "Người nhận không phải chuyên viên hoặc lãnh đạo của cơ quan nhận hồ sơ.",
            "The receiver is not a specialist or leader of the receiving agency.",
        )
    };
    match (h.to_user_id, h.to_agency_id) {
        (None, None) => Ok(Err(problem(
            &["toUserId"],
            "HANDOVER_TARGET_REQUIRED",
            "Hãy chọn cán bộ hoặc cơ quan nhận hồ sơ.",
            "Choose the official or agency to hand over to.",
        ))),
        (None, Some(agency)) => {
            let known = cache.agencies(db).await?.iter().any(|a| a.id == agency);
            Ok(if known {
                Ok(agency)
            } else {
                Err(problem(
                    &["toAgencyId"],
                    "AGENCY_NOT_FOUND",
                    "Không tìm thấy cơ quan nhận hồ sơ.",
                    "The receiving agency does not exist.",
                ))
            })
        }
        (Some(user), agency) => {
            let rows = db
                .query_all_raw(statement(
                    db,
                    "SELECT r.agency_id FROM user_roles r JOIN users u ON u.id = r.user_id \
                     WHERE r.user_id = ? AND r.role IN ('SPECIALIST', 'LEADER') \
                     AND u.disabled = ? AND r.agency_id IS NOT NULL ORDER BY r.agency_id",
                    vec![user.into(), false.into()],
                ))
                .await?;
            let agencies: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.try_get::<i64>("", "agency_id").ok())
                .collect();
            let chosen = match agency {
                Some(a) => agencies.contains(&a).then_some(a),
                None if agencies.contains(&current) => Some(current),
                None => agencies.first().copied(),
            };
            Ok(chosen.ok_or_else(invalid))
        }
    }
}

/// Applies `what` through the core's state machine, if `expected_version` is still the dossier's
/// version (otherwise `CONFLICT` with the current version).
///
/// # Errors
/// `NOT_FOUND`, `CONFLICT`, a database failure. Refusals of the state machine (a wrong status,
/// role, a missing reason) and input problems come back as problems.
#[expect(
    clippy::too_many_lines,
    reason = "one match over the actions keeps each action's effects together"
)]
pub async fn act(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    id: &str,
    expected_version: i64,
    what: Act,
) -> Result<Outcome<dossier::Model>, ApiError> {
    let (d, access) = get(db, p, id).await?;
    let status: Status = d
        .status
        .parse()
        .map_err(|()| ApiError::Internal(anyhow::anyhow!("stored status {}", d.status)))?;
    // A stale version is a conflict whatever else is wrong: the caller acted on an old view
    // (SECURITY.md D5).
    if d.version != expected_version {
        return Err(ApiError::Conflict {
            current_version: Some(d.version),
        });
    }
    let (action, reason) = what.action();
    // No fallback: a caller holding no role that may take this action is refused (Z1).
    let Some(role) = acting_role(action, d.received_at.is_some(), standing(p, &d, access)) else {
        return Ok(Err(vec![Problem::from_core(
            &["action"],
            &TransitionError::RoleNotAllowed,
        )]));
    };
    let next = match transition(&TransitionInput {
        status,
        action,
        role,
        received: d.received_at.is_some(),
        supplement_count: u32::try_from(d.supplement_count).unwrap_or(u32::MAX),
        redate_count: u32::try_from(d.redate_count).unwrap_or(u32::MAX),
        reason,
    }) {
        Ok(s) => s,
        Err(e) => return Ok(Err(vec![Problem::from_core(&["action"], &e)])),
    };
    let now = now();
    let mut set: Vec<(&'static str, sea_orm::Value)> = vec![
        ("status", next.as_str().into()),
        ("status_code", i64::from(next.national_code()).into()),
        ("updated_at", now.into()),
    ];
    let mut detail = Map::new();
    if let Some(r) = reason {
        detail.insert("reason".to_owned(), json!(r.trim()));
    }
    let mut sheet = SheetChange::default();
    let kind = match &what {
        Act::Receive => {
            let procedure = cache.version(db, d.procedure_version_id).await?;
            let calendar = cache.calendar(db).await?;
            let due = due_for(&procedure, d.channel, now, &calendar, Pauses::default())?;
            let due_text = due.due_at.to_rfc3339();
            set.push(("received_at", now.into()));
            set.push(("due_at", due_text.clone().into()));
            set.push((
                "due_detail",
                explain(&procedure, d.channel, &due).to_string().into(),
            ));
            set.push(("handling_agency_id", d.competent_agency_id.into()));
            detail.insert("dueAt".to_owned(), json!(due_text));
            sheet.open = Some(NewStep {
                from_agency: d.receiving_agency_id,
                to_user: None,
                to_agency: d.competent_agency_id,
                step_due: Some(due_text),
                note: None,
            });
            Kind::Received
        }
        Act::Refuse { .. } => Kind::Refused,
        Act::RequestSupplement { missing, .. } => {
            let missing: Vec<&str> = missing
                .iter()
                .map(|m| m.trim())
                .filter(|m| !m.is_empty())
                .collect();
            if missing.is_empty() {
                return Ok(Err(vec![problem(
                    &["missing"],
                    "MISSING_LIST_REQUIRED",
                    "Hãy liệt kê đầy đủ giấy tờ, thông tin cần bổ sung.",
                    "List everything that must be supplemented.",
                )]));
            }
            set.push(("supplement_count", (d.supplement_count + 1).into()));
            set.push(("missing", json!(missing).to_string().into()));
            if d.received_at.is_some() {
                // During processing the clock stops until the supplement arrives.
                set.push(("paused_since", now.into()));
            }
            detail.insert("missing".to_owned(), json!(missing));
            Kind::SupplementRequested
        }
        Act::Supplement { form_data } => {
            if let Some(data) = form_data {
                let procedure = cache.version(db, d.procedure_version_id).await?;
                let today = local_now(now).date_naive().to_string();
                let problems = form_problems(&procedure, data, &today, channel_of(d.channel));
                if !problems.is_empty() {
                    return Ok(Err(problems));
                }
                set.push(("form_data", data.to_string().into()));
            }
            resume(db, cache, &d, now, &mut set, &mut detail).await?;
            Kind::Supplemented
        }
        Act::StartProcessing => {
            set.push(("handler_user_id", p.user_id.into()));
            sheet.pick_up = Some(p.user_id);
            Kind::Processing
        }
        Act::HandOver(h) => {
            let to_agency = match handover_target(db, cache, h, d.handling_agency()).await? {
                Ok(a) => a,
                Err(problem) => return Ok(Err(vec![problem])),
            };
            let step_due = match h.step_working_days {
                Some(days) if days > 365 => {
                    return Ok(Err(vec![problem(
                        &["stepWorkingDays"],
                        "STEP_DEADLINE_TOO_LONG",
                        "Thời hạn của bước xử lý không quá 365 ngày làm việc.",
                        "A step's deadline is at most 365 working days.",
                    )]));
                }
                Some(days) => {
                    let calendar = cache.calendar(db).await?;
                    let due = deadline::due(
                        &deadline::DueRequest {
                            received_at: local_now(now),
                            duration: deadline::ProcessingTime {
                                value: days,
                                unit: deadline::DurationUnit::WorkingDays,
                            },
                            same_day_cutoff: deadline::DEFAULT_CUTOFF,
                            pauses: Pauses::default(),
                        },
                        &calendar,
                    )
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("step due date: {e}")))?;
                    Some(due.due_at.to_rfc3339())
                }
                None => d.due_at.clone(),
            };
            set.push(("handling_agency_id", to_agency.into()));
            set.push(("handler_user_id", h.to_user_id.into()));
            detail.insert("toAgencyId".to_owned(), json!(to_agency));
            if let Some(u) = h.to_user_id {
                detail.insert("toUserId".to_owned(), json!(u));
            }
            detail.insert("stepDueAt".to_owned(), json!(step_due));
            if let Some(n) = h.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                detail.insert("note".to_owned(), json!(n));
            }
            sheet.close = Some(
                h.result
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .unwrap_or("Đã xử lý, chuyển bước tiếp theo")
                    .to_owned(),
            );
            sheet.open = Some(NewStep {
                from_agency: d.handling_agency(),
                to_user: h.to_user_id,
                to_agency,
                step_due,
                note: h.note.clone().filter(|n| !n.trim().is_empty()),
            });
            Kind::HandedOver
        }
        Act::RequestPayment => {
            let amount = d.fee_total.unwrap_or(0);
            if amount <= 0 {
                return Ok(Err(vec![problem(
                    &["action"],
                    "NOTHING_TO_PAY",
                    "Thủ tục này không thu phí, lệ phí đối với hồ sơ này.",
                    "Nothing is due for this dossier.",
                )]));
            }
            set.push(("payment_amount", amount.into()));
            set.push(("paused_since", now.into()));
            detail.insert("amount".to_owned(), json!(amount));
            Kind::PaymentRequested
        }
        Act::RecordPayment {
            amount,
            receipt_number,
        } => {
            let mut problems = Vec::new();
            if Some(*amount) != d.payment_amount {
                problems.push(problem(
                    &["amount"],
                    "PAYMENT_AMOUNT_MISMATCH",
                    &format!(
                        "Số tiền phải đúng số đã đề nghị: {} đồng.",
                        notify::vnd(d.payment_amount.unwrap_or(0))
                    ),
                    &format!(
                        "The amount must be the one asked for: {} VND.",
                        notify::vnd(d.payment_amount.unwrap_or(0))
                    ),
                ));
            }
            let receipt = receipt_number.trim();
            if receipt.is_empty() || receipt.chars().count() > 64 {
                problems.push(problem(
                    &["receiptNumber"],
                    "RECEIPT_NUMBER_REQUIRED",
                    "Hãy nhập số biên lai (tối đa 64 ký tự).",
                    "Enter the receipt number (at most 64 characters).",
                ));
            }
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            set.push(("paid_at", now.into()));
            set.push(("payment_ref", receipt.to_owned().into()));
            detail.insert("amount".to_owned(), json!(amount));
            detail.insert("receiptNumber".to_owned(), json!(receipt));
            resume(db, cache, &d, now, &mut set, &mut detail).await?;
            Kind::Paid
        }
        Act::Resolve {
            result_attachment_id,
        } => {
            if let Some(file) = result_attachment_id {
                let ok = attachment::Entity::find_by_id(file.clone())
                    .one(db)
                    .await?
                    .is_some_and(|a| {
                        a.dossier_id.as_deref() == Some(id)
                            && a.component_id.as_deref() == Some(RESULT_COMPONENT)
                    });
                if !ok {
                    return Ok(Err(vec![problem(
                        &["resultAttachmentId"],
                        "RESULT_FILE_INVALID",
                        "Tệp kết quả phải là tệp KET_QUA đã tải lên cho hồ sơ này.",
                        "The result file must be a KET_QUA file uploaded for this dossier.",
                    )]));
                }
                set.push(("result_attachment_id", file.clone().into()));
                detail.insert("resultAttachmentId".to_owned(), json!(file));
            }
            sheet.close = Some("Đã phê duyệt kết quả".to_owned());
            sheet.open = Some(NewStep {
                from_agency: d.handling_agency(),
                to_user: None,
                to_agency: d.receiving_agency_id,
                step_due: d.due_at.clone(),
                note: Some("Trả kết quả cho người nộp".to_owned()),
            });
            Kind::Resolved
        }
        Act::ReturnResult {
            method,
            tracking_number,
        } => {
            let tracking = tracking_number
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            if *method == ReturnMethod::Online && d.result_attachment_id.is_none() {
                return Ok(Err(vec![problem(
                    &["method"],
                    "RESULT_FILE_REQUIRED",
                    "Trả kết quả trực tuyến cần có tệp kết quả điện tử.",
                    "Returning online needs the electronic result file.",
                )]));
            }
            if *method == ReturnMethod::Post && tracking.is_none() {
                return Ok(Err(vec![problem(
                    &["trackingNumber"],
                    "TRACKING_NUMBER_REQUIRED",
                    "Trả kết quả qua bưu chính cần số hiệu bưu gửi.",
                    "Returning by post needs the postal tracking number.",
                )]));
            }
            set.push(("return_method", method.as_str().into()));
            detail.insert("method".to_owned(), json!(method.as_str()));
            if let Some(t) = tracking {
                detail.insert("trackingNumber".to_owned(), json!(t));
            }
            sheet.close = Some(format!(
                "Đã trả kết quả ({})",
                match method {
                    ReturnMethod::Online => "trực tuyến",
                    ReturnMethod::Desk => "tại Bộ phận Một cửa",
                    ReturnMethod::Post => "qua bưu chính",
                }
            ));
            Kind::Returned
        }
        Act::Withdraw { .. } => {
            sheet.close = Some("Người nộp rút hồ sơ".to_owned());
            set.push(("paused_since", sea_orm::Value::BigInt(None)));
            Kind::Withdrawn
        }
        Act::Stop { .. } => {
            sheet.close = Some("Dừng xử lý".to_owned());
            set.push(("paused_since", sea_orm::Value::BigInt(None)));
            Kind::Stopped
        }
        Act::Redate { new_due_at, .. } => {
            let old = d.due_at.as_deref().and_then(parse_due);
            let new = parse_due(new_due_at);
            let Some(new) = new.filter(|n| old.is_none_or(|o| *n > o) && n.timestamp() > now)
            else {
                return Ok(Err(vec![problem(
                    &["newDueAt"],
                    "REDATE_NOT_LATER",
                    "Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm này.",
                    "The new due date must be after the current one and after now.",
                )]));
            };
            let new_text = new.with_timezone(&deadline::VN_OFFSET).to_rfc3339();
            set.push(("redate_count", (d.redate_count + 1).into()));
            set.push(("due_at", new_text.clone().into()));
            set.push(("deadline_state", "ON_TRACK".into()));
            if d.original_due_at.is_none() {
                set.push(("original_due_at", d.due_at.clone().into()));
            }
            detail.insert("oldDueAt".to_owned(), json!(d.due_at));
            detail.insert("dueAt".to_owned(), json!(new_text));
            Kind::Redated
        }
    };
    let assignments: Vec<String> = set.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let mut values: Vec<sea_orm::Value> = set.into_iter().map(|(_, v)| v).collect();
    values.push(id.into());
    values.push(expected_version.into());
    let txn = db.begin().await?;
    let updated = txn
        .execute_raw(statement(
            &txn,
            &format!(
                "UPDATE dossiers SET {}, version = version + 1 WHERE id = ? AND version = ?",
                assignments.join(", ")
            ),
            values,
        ))
        .await?
        .rows_affected();
    if updated == 0 {
        txn.rollback().await?;
        let current = dossier::Entity::find_by_id(id.to_owned())
            .one(db)
            .await?
            .map(|d| d.version);
        return Err(ApiError::Conflict {
            current_version: current,
        });
    }
    let detail = Value::Object(detail);
    history(
        &txn,
        id,
        p.user_id,
        role,
        action,
        (status, next),
        reason.map(str::trim),
        &detail,
    )
    .await?;
    apply_sheet(&txn, id, p.user_id, now, sheet).await?;
    let after = dossier::Entity::find_by_id(id.to_owned())
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound)?;
    notify::record(&txn, &after, kind, &detail).await?;
    txn.commit().await?;
    Ok(Ok(after))
}

/// Writes a change to the control sheet.
async fn apply_sheet(
    db: &impl ConnectionTrait,
    dossier_id: &str,
    actor: i64,
    now: i64,
    change: SheetChange,
) -> Result<(), ApiError> {
    if let Some(user) = change.pick_up {
        db.execute_raw(statement(
            db,
            "UPDATE dossier_steps SET to_user_id = ? \
             WHERE dossier_id = ? AND completed_at IS NULL AND to_user_id IS NULL",
            vec![user.into(), dossier_id.into()],
        ))
        .await?;
    }
    if let Some(result) = change.close {
        let open = db
            .query_all_raw(statement(
                db,
                "SELECT id, step_due_at FROM dossier_steps \
                 WHERE dossier_id = ? AND completed_at IS NULL",
                vec![dossier_id.into()],
            ))
            .await?;
        for row in open {
            let step: i64 = row.try_get("", "id")?;
            let due: Option<String> = row.try_get("", "step_due_at")?;
            let outcome = due
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|due| deadline::timeliness(local_now(now), due).as_str());
            db.execute_raw(statement(
                db,
                "UPDATE dossier_steps SET completed_at = ?, result = ?, outcome = ? WHERE id = ?",
                vec![
                    now.into(),
                    result.clone().into(),
                    outcome.map(str::to_owned).into(),
                    step.into(),
                ],
            ))
            .await?;
        }
    }
    if let Some(step) = change.open {
        db.execute_raw(statement(
            db,
            "INSERT INTO dossier_steps (dossier_id, from_user_id, from_agency_id, to_user_id, \
             to_agency_id, handed_at, step_due_at, completed_at, result, note, outcome) \
             VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL)",
            vec![
                dossier_id.into(),
                actor.into(),
                step.from_agency.into(),
                step.to_user.into(),
                step.to_agency.into(),
                now.into(),
                step.step_due.into(),
                step.note.into(),
            ],
        ))
        .await?;
    }
    Ok(())
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
    let steps = steps_of(db, id).await?;
    if access.internal() {
        return Ok(steps);
    }
    Ok(steps
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

/// The control sheet of a dossier, oldest first.
///
/// # Errors
/// A database failure.
pub async fn steps_of(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Vec<dossier_step::Model>, ApiError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    Ok(dossier_step::Entity::find()
        .filter(dossier_step::Column::DossierId.eq(id))
        .order_by_asc(dossier_step::Column::Id)
        .all(db)
        .await?)
}
