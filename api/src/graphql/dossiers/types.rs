//! The dossier's GraphQL output types (DTOs of the service's rows) and its enums.

use crate::service::dossier::rules::channel_of;
use async_graphql::{Enum, ID, Json, SimpleObject};
use motcua_core::Lang;
use motcua_core::dossier::Status;
use serde_json::Value;

use super::super::ids;
use super::*;
use crate::db::entities::{attachment, dossier, dossier_history};
use crate::service::dossier::ReturnMethod;

/// A day the due date skipped.
#[derive(SimpleObject, Debug, Clone)]
pub struct SkippedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Why it was not worked, in the request's language.
    pub reason: String,
}

/// How the due date was reached.
#[derive(SimpleObject, Debug, Clone)]
pub struct DueExplanation {
    /// The due instant (RFC 3339, +07:00).
    pub due_at: String,
    /// When counting started.
    pub counting_from: String,
    /// The processing time, e.g. `3`.
    pub duration_value: i64,
    /// `WORKING_DAYS`, `WORKING_HOURS` or `CALENDAR_DAYS`.
    pub duration_unit: String,
    /// Days off skipped on the way.
    pub skipped_days: Vec<SkippedDay>,
    /// Office time the clock was stopped, in seconds.
    pub paused_seconds: i64,
}

/// One transition of a dossier.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct DossierEvent {
    /// When (RFC 3339).
    pub at: String,
    /// The core action (`SUBMIT`, `RECEIVE`, …).
    pub action: String,
    /// The core role it was done in.
    pub role: String,
    /// Status before.
    pub from_status: DossierStatus,
    /// Status after.
    pub to_status: DossierStatus,
    /// The reason, where required.
    pub reason: Option<String>,
    /// Details (due date fixed, missing documents, …).
    pub detail: Json<Value>,
}

impl From<dossier_history::Model> for DossierEvent {
    fn from(h: dossier_history::Model) -> Self {
        Self {
            at: crate::clock::rfc3339(h.at),
            action: h.action,
            role: h.role,
            from_status: DossierStatus::stored(&h.from_status),
            to_status: DossierStatus::stored(&h.to_status),
            reason: h.reason,
            detail: Json(serde_json::from_str(&h.detail).unwrap_or_default()),
        }
    }
}

/// A legal form of a dossier, printable as PDF.
#[derive(SimpleObject, Debug, Clone)]
pub struct PrintableForm {
    /// `01` receipt, `02` supplement request, `03` refusal, `04` apology, `06` control sheet.
    pub number: String,
    /// Its Vietnamese title.
    pub title: String,
    /// `GET` it with the bearer token.
    pub download_path: String,
}

/// One row of the control sheet (form 06).
#[derive(SimpleObject, Debug, Clone)]
pub struct ControlStep {
    /// The official who handed it over.
    pub from_user_id: Option<ID>,
    /// The giving agency.
    pub from_agency_id: ID,
    /// The receiving official, once named.
    pub to_user_id: Option<ID>,
    /// The receiving agency.
    pub to_agency_id: ID,
    /// When (RFC 3339).
    pub handed_at: String,
    /// The step's deadline (RFC 3339).
    pub due_at: Option<String>,
    /// When the receiver finished the step.
    pub completed_at: Option<String>,
    /// What the step produced.
    pub result: Option<String>,
    /// The giver's note.
    pub note: Option<String>,
    /// `EARLY`, `ON_TIME` or `LATE`, once completed.
    pub outcome: Option<String>,
    /// The outcome in the request's language ("Trước hạn", "Đúng hạn", "Quá hạn").
    pub outcome_name: Option<String>,
}

impl ControlStep {
    pub(super) fn from_row(s: crate::db::entities::dossier_step::Model, l: Lang) -> Self {
        use motcua_core::deadline::Timeliness;
        let user = |u: i64| ids::encode("User", &u.to_string());
        let agency = |a: i64| ids::encode("Agency", &a.to_string());
        let named = s
            .outcome
            .as_deref()
            .and_then(Timeliness::parse)
            .map(|t| match l {
                Lang::Vi => t.name_vi().to_owned(),
                Lang::En => t.name_en().to_owned(),
            });
        Self {
            from_user_id: s.from_user_id.map(user),
            from_agency_id: agency(s.from_agency_id),
            to_user_id: s.to_user_id.map(user),
            to_agency_id: agency(s.to_agency_id),
            handed_at: crate::clock::rfc3339(s.handed_at),
            due_at: s.step_due_at,
            completed_at: rfc3339(s.completed_at),
            result: s.result,
            note: s.note,
            outcome: s.outcome,
            outcome_name: named,
        }
    }
}

/// A file attached to a dossier.
#[derive(SimpleObject, Debug, Clone)]
pub struct Attachment {
    /// Its id (for reuse and download).
    pub id: ID,
    /// The dossier component it satisfies.
    pub component_id: Option<String>,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// The uploaded file's name (display only).
    pub file_name: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// `GET` it with the bearer token: served as an attachment, never rendered.
    pub download_path: String,
}

impl From<attachment::Model> for Attachment {
    fn from(a: attachment::Model) -> Self {
        Self {
            download_path: format!("/attachments/{}", a.id),
            id: ID(a.id),
            component_id: a.component_id,
            content_type: a.content_type,
            size: a.size,
            sha256: a.sha256,
            file_name: a.original_name,
            created_at: crate::clock::rfc3339(a.created_at),
        }
    }
}

/// A dossier (hồ sơ).
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Dossier {
    /// Global ID.
    pub id: ID,
    /// The UUID (what the client may have made offline).
    pub uuid: String,
    /// The dossier code (from submission on), e.g. `000.00.51.H42-261122-0001`.
    pub code: Option<String>,
    /// The procedure's national code.
    pub procedure_code: String,
    /// Its status.
    pub status: DossierStatus,
    /// National status code (0–10).
    pub status_code: i64,
    /// How it was filed.
    pub channel: DossierChannel,
    /// National channel code: 1 desk, 2 online, 3 postal.
    pub channel_code: i64,
    /// The applicant.
    pub applicant_name: String,
    /// The applicant's personal ID or tax code.
    pub applicant_id_number: String,
    /// The form data.
    pub form_data: Json<Value>,
    /// The fee quoted at submission (VND).
    pub fee_total: Option<i64>,
    /// The quote's lines.
    pub fee_quote: Option<Json<Value>>,
    /// RFC 3339.
    pub submitted_at: Option<String>,
    /// RFC 3339; the deadline clock starts.
    pub received_at: Option<String>,
    /// RFC 3339.
    pub due_at: Option<String>,
    /// What a supplement request listed.
    pub missing: Vec<String>,
    /// Supplement requests so far.
    pub supplement_count: i64,
    /// The version to send back with the next action (optimistic lock).
    pub version: i64,
    /// Due-date re-sets so far (at most one, form 04).
    pub redate_count: i64,
    /// The due date given at intake, when it was re-set.
    pub original_due_at: Option<String>,
    /// Whether it will be late: due within one working day, or overdue.
    pub deadline_state: DeadlineState,
    /// Since when the clock has been stopped (supplement during processing, payment), if it is.
    pub paused_since: Option<String>,
    /// The official holding it now, when one was named.
    pub handler_id: Option<ID>,
    /// Amount asked for (VND), from the quote.
    pub payment_amount: Option<i64>,
    /// When the payment was recorded.
    pub paid_at: Option<String>,
    /// The payment's receipt number.
    pub payment_receipt_number: Option<String>,
    /// The electronic result file's id.
    pub result_attachment_id: Option<ID>,
    /// How the result was delivered.
    pub return_method: Option<ResultDelivery>,
    #[graphql(skip)]
    pub(super) handling_agency_id: i64,
    #[graphql(skip)]
    pub(super) receiving_agency_id: i64,
    #[graphql(skip)]
    pub(super) competent_agency_id: i64,
    #[graphql(skip)]
    pub(super) due_detail: Option<String>,
    #[graphql(skip)]
    pub(super) applicant_user_id: Option<i64>,
}

impl From<dossier::Model> for Dossier {
    fn from(d: dossier::Model) -> Self {
        let handling_agency_id = d.handling_agency();
        Self {
            id: ids::encode("Dossier", &d.id),
            uuid: d.id,
            code: d.code,
            procedure_code: d.procedure_code,
            status: DossierStatus::stored(&d.status),
            status_code: d.status_code,
            channel: channel_of(d.channel).into(),
            channel_code: d.channel,
            applicant_name: d.applicant_name,
            applicant_id_number: d.applicant_id_number,
            form_data: Json(serde_json::from_str(&d.form_data).unwrap_or_default()),
            fee_total: d.fee_total,
            fee_quote: d
                .fee_quote
                .and_then(|q| serde_json::from_str(&q).ok())
                .map(Json),
            submitted_at: rfc3339(d.submitted_at),
            received_at: rfc3339(d.received_at),
            due_at: d.due_at,
            missing: d
                .missing
                .clone()
                .and_then(|m| serde_json::from_str(&m).ok())
                .unwrap_or_default(),
            supplement_count: d.supplement_count,
            version: d.version,
            redate_count: d.redate_count,
            original_due_at: d.original_due_at.clone(),
            deadline_state: motcua_core::deadline::DeadlineState::parse(&d.deadline_state).into(),
            paused_since: rfc3339(d.paused_since),
            handler_id: d
                .handler_user_id
                .map(|u| ids::encode("User", &u.to_string())),
            payment_amount: d.payment_amount,
            paid_at: rfc3339(d.paid_at),
            payment_receipt_number: d.payment_ref.clone(),
            result_attachment_id: d.result_attachment_id.clone().map(ID),
            return_method: d.return_method.as_deref().and_then(ResultDelivery::stored),
            handling_agency_id,
            receiving_agency_id: d.receiving_agency_id,
            competent_agency_id: d.competent_agency_id,
            due_detail: d.due_detail,
            applicant_user_id: d.applicant_user_id,
        }
    }
}

/// A dossier's status (rulebook section 2); `statusCode` carries the national code.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "motcua_core::dossier::Status")]
pub enum DossierStatus {
    /// Being filled in by its applicant; never synchronised.
    Draft,
    /// Mới đăng ký: filed, not yet accepted.
    Submitted,
    /// Được tiếp nhận: accepted; the clock runs.
    Received,
    /// Không được tiếp nhận: refused at intake.
    Refused,
    /// Đang xử lý.
    Processing,
    /// Yêu cầu bổ sung giấy tờ.
    SupplementRequested,
    /// Yêu cầu thực hiện nghĩa vụ tài chính.
    AwaitingPayment,
    /// Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// Dừng xử lý.
    Stopped,
    /// Đã xử lý xong: the result is ready.
    Resolved,
    /// Đã trả kết quả.
    Returned,
}

impl DossierStatus {
    /// Its name in `lang` ("Mới đăng ký", …).
    pub(crate) fn name(self, lang: Lang) -> &'static str {
        let s = Status::from(self);
        match lang {
            Lang::Vi => s.name_vi(),
            Lang::En => s.name_en(),
        }
    }

    /// A stored status. Rows hold only the core's names (written through it); anything else
    /// would be a corrupt row, shown as a draft (the status that reveals least) and logged.
    pub(crate) fn stored(name: &str) -> Self {
        name.parse::<Status>().map(Into::into).unwrap_or_else(|()| {
            tracing::error!(
                status = name,
                "a stored dossier status the core does not know"
            );
            Self::Draft
        })
    }
}

/// How a dossier was filed; `channelCode` carries the national code.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "motcua_core::dossier::Channel")]
pub enum DossierChannel {
    /// At the one-stop desk (1).
    InPerson,
    /// Online (2).
    Online,
    /// By public postal service (3).
    Postal,
}

/// Whether a running dossier will be late, as the marking job last saw it.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "motcua_core::deadline::DeadlineState")]
pub enum DeadlineState {
    /// Due later than one working day from now (or paused, or closed).
    OnTrack,
    /// Due within one working day.
    DueSoon,
    /// Past its due date.
    Overdue,
}

/// How the result is delivered.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ResultDelivery {
    /// Downloaded from the portal (needs the electronic result file).
    Online,
    /// Collected at the one-stop desk.
    Desk,
    /// Sent by post (with the tracking number).
    Post,
}

impl ResultDelivery {
    fn stored(name: &str) -> Option<Self> {
        [Self::Online, Self::Desk, Self::Post]
            .into_iter()
            .find(|m| ReturnMethod::from(*m).as_str() == name)
    }
}

impl From<ResultDelivery> for ReturnMethod {
    fn from(m: ResultDelivery) -> Self {
        match m {
            ResultDelivery::Online => Self::Online,
            ResultDelivery::Desk => Self::Desk,
            ResultDelivery::Post => Self::Post,
        }
    }
}

/// How many dossiers wait in each of the caller's queues.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct QueueCounts {
    /// Filed and not yet received at the caller's desks (clerks; 0 otherwise).
    pub intake: u64,
    /// Open in the caller's agencies and on track (specialists and leaders; 0 otherwise).
    pub on_track: u64,
    /// Open in the caller's agencies and due within one working day.
    pub due_soon: u64,
    /// Open in the caller's agencies and overdue.
    pub overdue: u64,
}
