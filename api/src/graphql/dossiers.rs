//! Dossiers in GraphQL: drafts, filing with an idempotency key, attachments, intake, tracking and
//! the public lookup.

use async_graphql::connection::{Connection, Edge, EmptyFields, query};
use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, Json, Object, Result, SimpleObject, Upload,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use motcua_core::Lang;
use motcua_core::dossier::Status;
use motcua_core::fee::Channel;
use serde_json::Value;
use std::io::Read;
use std::sync::Arc;

use super::agencies::Agency;
use super::guard::{client, principal};
use super::user_error::UserError;
use super::{db, ids, lang};
use crate::db::entities::{attachment, dossier, dossier_history};
use crate::error::ApiError;
use crate::service::attachments::{self, Storage};
use crate::service::cache::FilingCache;
use crate::service::dossier::{
    self as dossiers, Act, ListFilter, Receipt, ReturnMethod, SubmitInput,
};
use crate::service::problem::Outcome;

pub(crate) fn cache<'a>(ctx: &Context<'a>) -> Result<&'a Arc<FilingCache>> {
    ctx.data::<Arc<FilingCache>>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no filing cache")).into_graphql(lang(ctx)))
}

fn storage<'a>(ctx: &Context<'a>) -> Result<&'a Storage> {
    ctx.data::<Storage>()
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("no storage")).into_graphql(lang(ctx)))
}

/// A dossier id: its global ID, or the raw UUID a client made offline.
pub(crate) fn dossier_key(id: &str, lang: Lang) -> Result<String> {
    if dossiers::is_uuid(id) {
        return Ok(id.to_owned());
    }
    ids::decode(id)
        .filter(|(t, k)| t == "Dossier" && dossiers::is_uuid(k))
        .map(|(_, k)| k)
        .ok_or_else(|| ApiError::NotFound.into_graphql(lang))
}

fn rfc3339(secs: Option<i64>) -> Option<String> {
    secs.map(crate::clock::rfc3339)
}

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
pub struct DossierEvent {
    /// When (RFC 3339).
    pub at: String,
    /// The core action (`SUBMIT`, `RECEIVE`, …).
    pub action: String,
    /// The core role it was done in.
    pub role: String,
    /// Status before.
    pub from_status: String,
    /// Status after.
    pub to_status: String,
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
            from_status: h.from_status,
            to_status: h.to_status,
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
    fn from_row(s: crate::db::entities::dossier_step::Model, l: Lang) -> Self {
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
    /// Status name (`SUBMITTED`, `RECEIVED`, …).
    pub status: String,
    /// National status code (0–10).
    pub status_code: i64,
    /// National channel code: 1 desk, 2 online, 3 postal.
    pub channel: i64,
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
    /// `ON_TRACK`, `DUE_SOON` (due within one working day) or `OVERDUE`.
    pub deadline_state: String,
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
    /// How the result was delivered: `ONLINE`, `DESK` or `POST`.
    pub return_method: Option<String>,
    #[graphql(skip)]
    handling_agency_id: i64,
    #[graphql(skip)]
    receiving_agency_id: i64,
    #[graphql(skip)]
    competent_agency_id: i64,
    #[graphql(skip)]
    due_detail: Option<String>,
}

impl From<dossier::Model> for Dossier {
    fn from(d: dossier::Model) -> Self {
        let handling_agency_id = d.handling_agency();
        Self {
            id: ids::encode("Dossier", &d.id),
            uuid: d.id,
            code: d.code,
            procedure_code: d.procedure_code,
            status: d.status,
            status_code: d.status_code,
            channel: d.channel,
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
            deadline_state: d.deadline_state.clone(),
            paused_since: rfc3339(d.paused_since),
            handler_id: d
                .handler_user_id
                .map(|u| ids::encode("User", &u.to_string())),
            payment_amount: d.payment_amount,
            paid_at: rfc3339(d.paid_at),
            payment_receipt_number: d.payment_ref.clone(),
            result_attachment_id: d.result_attachment_id.clone().map(ID),
            return_method: d.return_method.clone(),
            handling_agency_id,
            receiving_agency_id: d.receiving_agency_id,
            competent_agency_id: d.competent_agency_id,
            due_detail: d.due_detail,
        }
    }
}

#[ComplexObject]
impl Dossier {
    /// The status in the request's language.
    async fn status_name(&self, ctx: &Context<'_>) -> String {
        let status: Option<Status> = self.status.parse().ok();
        match (status, lang(ctx)) {
            (Some(s), Lang::Vi) => s.name_vi().to_owned(),
            (Some(s), Lang::En) => s.name_en().to_owned(),
            (None, _) => self.status.clone(),
        }
    }

    /// The unit it was filed to.
    async fn receiving_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        let l = lang(ctx);
        let a = crate::service::agencies::get(db(ctx)?, self.receiving_agency_id)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(Agency::from_row(a, l))
    }

    /// The agency competent to process it.
    async fn competent_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        let l = lang(ctx);
        let a = crate::service::agencies::get(db(ctx)?, self.competent_agency_id)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(Agency::from_row(a, l))
    }

    /// The agency holding it now (liên thông); the competent agency until handed over.
    async fn handling_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        let l = lang(ctx);
        let a = crate::service::agencies::get(db(ctx)?, self.handling_agency_id)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(Agency::from_row(a, l))
    }

    /// The legal forms that exist for it so far (01, 02, 03, 04, 06), as PDF downloads.
    async fn forms(&self, ctx: &Context<'_>) -> Result<Vec<PrintableForm>> {
        use crate::service::printing::{FormKind, available};
        let l = lang(ctx);
        let history = dossiers::history_of(db(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(FormKind::ALL
            .into_iter()
            .filter(|k| available(&history, *k))
            .map(|k| PrintableForm {
                number: k.number().to_owned(),
                title: k.title().to_owned(),
                download_path: format!("/dossiers/{}/forms/{}.pdf", self.uuid, k.number()),
            })
            .collect())
    }

    /// The control sheet (form 06): every hand-over, oldest first.
    async fn control_sheet(&self, ctx: &Context<'_>) -> Result<Vec<ControlStep>> {
        let l = lang(ctx);
        let db = db(ctx)?;
        let (_, access) = dossiers::get(db, principal(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(dossiers::steps_for(db, access, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(|s| ControlStep::from_row(s, l))
            .collect())
    }

    /// How the due date was reached (after intake).
    async fn due_explanation(&self, ctx: &Context<'_>) -> Option<DueExplanation> {
        let l = lang(ctx);
        let v: Value = serde_json::from_str(self.due_detail.as_deref()?).ok()?;
        Some(DueExplanation {
            due_at: self.due_at.clone()?,
            counting_from: v.pointer("/countingFrom")?.as_str()?.to_owned(),
            duration_value: v.pointer("/duration/value")?.as_i64()?,
            duration_unit: v.pointer("/duration/unit")?.as_str()?.to_owned(),
            skipped_days: v
                .pointer("/skipped")?
                .as_array()?
                .iter()
                .filter_map(|s| {
                    Some(SkippedDay {
                        date: s.get("date")?.as_str()?.to_owned(),
                        reason: s
                            .get(if l == Lang::En { "en" } else { "vi" })?
                            .as_str()?
                            .to_owned(),
                    })
                })
                .collect(),
            paused_seconds: v
                .pointer("/pausedSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        })
    }

    /// Every transition, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<DossierEvent>> {
        let l = lang(ctx);
        let db = db(ctx)?;
        let (_, access) = dossiers::get(db, principal(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(dossiers::history_for(db, access, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(DossierEvent::from)
            .collect())
    }

    /// The attached files.
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let l = lang(ctx);
        Ok(attachments::of_dossier(db(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(Attachment::from)
            .collect())
    }
}

/// How a clerk files on behalf of a person.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum FilingChannel {
    /// At the one-stop desk (channel 1).
    InPerson,
    /// By public postal service (channel 3).
    Postal,
}

/// A dossier to file.
#[derive(InputObject, Debug)]
pub struct SubmitDossierInput {
    /// The dossier's UUID (lower case), possibly made offline; a draft with this id is submitted.
    pub dossier_id: Option<String>,
    /// The procedure's national code.
    pub procedure_code: String,
    /// Where it is filed: a clerk's own agency (default: the clerk's first); online, the unit
    /// chosen by the applicant (default: one of the competent type).
    pub receiving_agency_id: Option<ID>,
    /// The competent agency, when routing cannot tell.
    pub competent_agency_id: Option<ID>,
    /// Clerks: desk (default) or postal. Applicants always file online.
    pub channel: Option<FilingChannel>,
    /// The form data.
    pub form_data: Json<Value>,
}

/// What a submission answered (the same every time the same key is replayed).
#[derive(SimpleObject, Debug, Clone)]
pub struct SubmissionReceipt {
    /// The dossier's global ID.
    pub dossier_id: ID,
    /// The dossier code.
    pub code: String,
    /// `SUBMITTED`.
    pub status: String,
    /// RFC 3339.
    pub submitted_at: String,
    /// The fee quoted (VND).
    pub fee_total: i64,
    /// The due date intake would give now (RFC 3339).
    pub expected_due_at: String,
}

impl From<Receipt> for SubmissionReceipt {
    fn from(r: Receipt) -> Self {
        Self {
            dossier_id: ids::encode("Dossier", &r.dossier_id),
            code: r.code,
            status: r.status,
            submitted_at: crate::clock::rfc3339(r.submitted_at),
            fee_total: r.fee_total,
            expected_due_at: r.expected_due_at,
        }
    }
}

/// The answer of `submitDossier`.
#[derive(SimpleObject, Debug, Default)]
pub struct SubmitDossierPayload {
    /// The receipt, on success.
    pub receipt: Option<SubmissionReceipt>,
    /// What to fix (every form violation at once).
    pub user_errors: Vec<UserError>,
}

/// The answer of a dossier mutation.
#[derive(SimpleObject, Debug, Default)]
pub struct DossierPayload {
    /// The dossier after the change.
    pub dossier: Option<Dossier>,
    /// What to fix.
    pub user_errors: Vec<UserError>,
}

impl DossierPayload {
    fn from(out: Outcome<dossier::Model>, lang: Lang) -> Self {
        match out {
            Ok(d) => Self {
                dossier: Some(d.into()),
                user_errors: Vec::new(),
            },
            Err(p) => Self {
                dossier: None,
                user_errors: UserError::list(p, lang),
            },
        }
    }
}

/// The answer of an attachment mutation.
#[derive(SimpleObject, Debug, Default)]
pub struct AttachmentPayload {
    /// The attachment.
    pub attachment: Option<Attachment>,
    /// What to fix.
    pub user_errors: Vec<UserError>,
}

impl AttachmentPayload {
    fn from(out: Outcome<attachment::Model>, lang: Lang) -> Self {
        match out {
            Ok(a) => Self {
                attachment: Some(a.into()),
                user_errors: Vec::new(),
            },
            Err(p) => Self {
                attachment: None,
                user_errors: UserError::list(p, lang),
            },
        }
    }
}

/// What anyone may learn with a dossier code and the applicant's ID number.
#[derive(SimpleObject, Debug)]
pub struct PublicDossierStatus {
    /// The code.
    pub code: String,
    /// Status name.
    pub status: String,
    /// The status in the request's language.
    pub status_name: String,
    /// The due date, once received.
    pub due_at: Option<String>,
}

fn cursor(at: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{at}:{id}"))
}

fn parse_cursor(c: &str) -> Option<(i64, String)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
    let (at, id) = text.split_once(':')?;
    Some((at.parse().ok()?, id.to_owned()))
}

async fn page(
    ctx: &Context<'_>,
    after: Option<String>,
    first: Option<i32>,
    statuses: Vec<String>,
    receiving: Option<i64>,
    queue: bool,
) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
    let l = lang(ctx);
    let p = principal(ctx)?;
    let db = db(ctx)?;
    query(
        after,
        None,
        first,
        None,
        |after: Option<String>, _, first, _| async move {
            let limit = first.unwrap_or(20).min(50) as u64;
            let after_key = match after.as_deref() {
                Some(c) => Some(
                    parse_cursor(c)
                        .ok_or_else(|| ApiError::InvalidInput("cursor").into_graphql(l))?,
                ),
                None => None,
            };
            let filter = ListFilter {
                statuses,
                receiving_agency_id: receiving,
                after: after_key,
                limit,
            };
            let rows = if queue {
                dossiers::queue(db, p, &filter).await
            } else {
                dossiers::mine(db, p, &filter).await
            }
            .map_err(|e| e.into_graphql(l))?;
            let has_next = rows.len() as u64 > limit;
            let mut c = Connection::new(after.is_some(), has_next);
            c.edges.extend(
                rows.into_iter()
                    .take(usize::try_from(limit).unwrap_or(50))
                    .map(|d| {
                        let key = if queue {
                            d.submitted_at.unwrap_or(0)
                        } else {
                            d.created_at
                        };
                        // Lists show the ID number masked; the dossier page shows it whole
                        // to those who may see the dossier (G5).
                        let mut dto = Dossier::from(d);
                        dto.applicant_id_number =
                            motcua_core::identifier::masked(&dto.applicant_id_number);
                        Edge::new(cursor(key, &dto.uuid), dto)
                    }),
            );
            Ok::<_, async_graphql::Error>(c)
        },
    )
    .await
}

fn agency_key(id: Option<&ID>, lang: Lang) -> Result<Option<i64>> {
    id.map(|id| ids::decode_i64(id, "Agency").ok_or_else(|| ApiError::NotFound.into_graphql(lang)))
        .transpose()
}

/// Dossier queries.
#[derive(Default)]
pub struct DossiersQuery;

#[Object]
impl DossiersQuery {
    /// The caller's dossiers (as applicant), newest first; filter by status names.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn my_dossiers(
        &self,
        ctx: &Context<'_>,
        status: Option<Vec<String>>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        page(ctx, after, first, status.unwrap_or_default(), None, false).await
    }

    /// The intake queue of the caller's receiving units (clerks), oldest first; by default what
    /// waits for intake (`SUBMITTED`).
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 50) as usize * child_complexity")]
    async fn intake_queue(
        &self,
        ctx: &Context<'_>,
        agency_id: Option<ID>,
        status: Option<Vec<String>>,
        after: Option<String>,
        first: Option<i32>,
    ) -> Result<Connection<String, Dossier, EmptyFields, EmptyFields>> {
        let receiving = agency_key(agency_id.as_ref(), lang(ctx))?;
        page(
            ctx,
            after,
            first,
            status.unwrap_or_default(),
            receiving,
            true,
        )
        .await
    }

    /// One dossier the caller may see (`NOT_FOUND` otherwise, exactly as for a missing one).
    async fn dossier(&self, ctx: &Context<'_>, id: ID) -> Result<Dossier> {
        let l = lang(ctx);
        let key = dossier_key(&id, l)?;
        let (d, _) = dossiers::read(db(ctx)?, principal(ctx)?, &key, "VIEW")
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(d.into())
    }

    /// The caller's documents from earlier dossiers, to attach again without uploading.
    async fn my_documents(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let l = lang(ctx);
        Ok(attachments::mine(db(ctx)?, principal(ctx)?)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(Attachment::from)
            .collect())
    }

    /// Public lookup (no sign-in): the status and due date of the dossier with this code, if
    /// `idNumber` is its applicant's personal ID or tax code; `NOT_FOUND` otherwise. Rate limited.
    async fn dossier_status(
        &self,
        ctx: &Context<'_>,
        code: String,
        id_number: String,
    ) -> Result<PublicDossierStatus> {
        let l = lang(ctx);
        let d = dossiers::lookup(db(ctx)?, &client(ctx).ip, &code, &id_number)
            .await
            .map_err(|e| e.into_graphql(l))?;
        let status: Option<Status> = d.status.parse().ok();
        Ok(PublicDossierStatus {
            code: d.code.unwrap_or_default(),
            status_name: match (status, l) {
                (Some(s), Lang::Vi) => s.name_vi().to_owned(),
                (Some(s), Lang::En) => s.name_en().to_owned(),
                (None, _) => d.status.clone(),
            },
            status: d.status,
            due_at: d.due_at,
        })
    }
}

/// What `submitDossier` costs in the complexity budget (validation, fee, deadline, a transaction).
const SUBMIT_COST: usize = 50;

/// Dossier mutations.
#[derive(Default)]
pub struct DossiersMutation;

#[Object]
impl DossiersMutation {
    /// Starts a draft (applicants), prefilled from the profile.
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        procedure_code: String,
        dossier_id: Option<String>,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let out = dossiers::create_draft(
            db(ctx)?,
            cache(ctx)?,
            principal(ctx)?,
            &procedure_code,
            dossier_id.as_deref(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(DossierPayload::from(out, l))
    }

    /// Saves a draft's form data; `version` is the draft's current version (`CONFLICT` otherwise).
    async fn save_draft(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        form_data: Json<Value>,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let key = dossier_key(&id, l)?;
        let d = dossiers::save_draft(db(ctx)?, principal(ctx)?, &key, version, &form_data.0)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(DossierPayload::from(Ok(d), l))
    }

    /// Files a dossier (an applicant online, or a clerk at the desk / by post on behalf of a
    /// person). `idempotencyKey` is required: the same key with the same input returns the
    /// original receipt; with another input `IDEMPOTENCY_KEY_REUSED`. Keys are per account and
    /// kept at least 30 days.
    #[graphql(complexity = "SUBMIT_COST + child_complexity")]
    async fn submit_dossier(
        &self,
        ctx: &Context<'_>,
        input: SubmitDossierInput,
        idempotency_key: String,
    ) -> Result<SubmitDossierPayload> {
        let l = lang(ctx);
        let receiving = agency_key(input.receiving_agency_id.as_ref(), l)?;
        let competent = agency_key(input.competent_agency_id.as_ref(), l)?;
        let submit = SubmitInput {
            dossier_id: input.dossier_id,
            procedure_code: input.procedure_code,
            receiving_agency_id: receiving,
            competent_agency_id: competent,
            channel: input.channel.map(|c| match c {
                FilingChannel::InPerson => Channel::InPerson,
                FilingChannel::Postal => Channel::Postal,
            }),
            form_data: input.form_data.0,
        };
        let writer = ctx
            .data::<crate::service::dossier::Writer>()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("no writer")).into_graphql(l))?;
        let out = dossiers::submit(
            db(ctx)?,
            writer,
            cache(ctx)?,
            principal(ctx)?,
            &submit,
            &idempotency_key,
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(match out {
            Ok(r) => SubmitDossierPayload {
                receipt: Some(r.into()),
                user_errors: Vec::new(),
            },
            Err(p) => SubmitDossierPayload {
                receipt: None,
                user_errors: UserError::list(p, l),
            },
        })
    }

    /// Uploads a PDF, JPEG or PNG (≤ 10 MB) for a dossier component (multipart request with the
    /// `x-motcua-upload: 1` header). Image metadata is removed; the SHA-256 is recorded.
    async fn upload_attachment(
        &self,
        ctx: &Context<'_>,
        dossier_id: ID,
        component_id: String,
        file: Upload,
    ) -> Result<AttachmentPayload> {
        let l = lang(ctx);
        let key = dossier_key(&dossier_id, l)?;
        let value = file
            .value(ctx)
            .map_err(|e| ApiError::Internal(e.into()).into_graphql(l))?;
        let mut bytes = Vec::new();
        value
            .into_read()
            .take(u64::try_from(attachments::MAX_FILE).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ApiError::Internal(e.into()).into_graphql(l))?;
        let filename = file.value(ctx).map(|v| v.filename).unwrap_or_default();
        let out = attachments::upload(
            db(ctx)?,
            cache(ctx)?,
            storage(ctx)?,
            principal(ctx)?,
            &key,
            &component_id,
            (&filename, &bytes),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(AttachmentPayload::from(out, l))
    }

    /// Attaches one of the caller's earlier documents (from `myDocuments`) without uploading it.
    async fn attach_document(
        &self,
        ctx: &Context<'_>,
        dossier_id: ID,
        component_id: String,
        document_id: ID,
    ) -> Result<AttachmentPayload> {
        let l = lang(ctx);
        let key = dossier_key(&dossier_id, l)?;
        let out = attachments::reuse(
            db(ctx)?,
            cache(ctx)?,
            principal(ctx)?,
            &key,
            &component_id,
            &document_id,
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(AttachmentPayload::from(out, l))
    }

    /// Intake: accept the dossier (clerk of the receiving unit); the due date is fixed with the
    /// working calendar and the procedure's processing time for its channel.
    async fn receive_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Receive).await
    }

    /// Intake: refuse with a reason.
    async fn refuse_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Refuse { reason }).await
    }

    /// Ask the applicant, once, for everything missing (`missing` lists each document or field).
    async fn request_supplement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
        missing: Vec<String>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::RequestSupplement { reason, missing },
        )
        .await
    }

    /// The applicant (or the clerk at the desk) supplies what was asked; the form may be
    /// corrected (validated again). The dossier goes back to the clerk's queue.
    async fn supplement_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        form_data: Option<Json<Value>>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::Supplement {
                form_data: form_data.map(|j| j.0),
            },
        )
        .await
    }
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

/// A hand-over to another official or agency (liên thông).
#[derive(InputObject, Debug)]
pub struct HandOverInput {
    /// The receiving official (a specialist or leader).
    pub to_user_id: Option<ID>,
    /// The receiving agency (default: the official's).
    pub to_agency_id: Option<ID>,
    /// The step's deadline in working days from now (default: the dossier's due date).
    pub step_working_days: Option<i32>,
    /// What this step did (form 06's result column).
    pub result: Option<String>,
    /// A note for the receiver.
    pub note: Option<String>,
}

/// Processing mutations: start, hand over, payment, result, return, withdrawal, stop, re-dating.
#[derive(Default)]
pub struct ProcessingMutation;

#[Object]
impl ProcessingMutation {
    /// A specialist of the agency holding the dossier starts processing a received dossier.
    async fn start_processing(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::StartProcessing).await
    }

    /// Hands the dossier to another official or agency, with a step deadline; each hand-over is a
    /// row of the control sheet (form 06).
    async fn hand_over_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        input: HandOverInput,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let to_user_id = input
            .to_user_id
            .as_ref()
            .map(|u| ids::decode_i64(u, "User").ok_or_else(|| ApiError::NotFound.into_graphql(l)))
            .transpose()?;
        let to_agency_id = agency_key(input.to_agency_id.as_ref(), l)?;
        let step_working_days = input
            .step_working_days
            .map(|d| {
                u32::try_from(d)
                    .map_err(|_| ApiError::InvalidInput("stepWorkingDays").into_graphql(l))
            })
            .transpose()?;
        let h = dossiers::HandOver {
            to_user_id,
            to_agency_id,
            step_working_days,
            result: input.result,
            note: input.note,
        };
        act(ctx, &id, version, Act::HandOver(h)).await
    }

    /// A specialist asks the applicant to pay the quoted fees; the clock stops until paid.
    async fn request_payment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::RequestPayment).await
    }

    /// A clerk of the receiving unit records a payment made at the desk (the amount asked for,
    /// with the receipt number); processing continues and the due date moves by the pause.
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        amount: i64,
        receipt_number: String,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::RecordPayment {
                amount,
                receipt_number,
            },
        )
        .await
    }

    /// The leader approves the result, with the electronic result file when there is one (an
    /// attachment of this dossier uploaded with component `KET_QUA`).
    async fn resolve_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        result_attachment_id: Option<ID>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::Resolve {
                result_attachment_id: result_attachment_id.map(|a| a.0),
            },
        )
        .await
    }

    /// A clerk of the receiving unit delivers the result: online (download), at the desk, or by
    /// post (with the tracking number).
    async fn return_result(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        method: Option<ResultDelivery>,
        tracking_number: Option<String>,
    ) -> Result<DossierPayload> {
        let method = match method.unwrap_or(ResultDelivery::Desk) {
            ResultDelivery::Online => ReturnMethod::Online,
            ResultDelivery::Desk => ReturnMethod::Desk,
            ResultDelivery::Post => ReturnMethod::Post,
        };
        act(
            ctx,
            &id,
            version,
            Act::ReturnResult {
                method,
                tracking_number,
            },
        )
        .await
    }

    /// The applicant withdraws the dossier, with a reason.
    async fn withdraw_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Withdraw { reason }).await
    }

    /// The leader stops processing, with a reason.
    async fn stop_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Stop { reason }).await
    }

    /// The leader apologises to the applicant and sets a new due date, once per dossier (form
    /// 04). `newDueAt` is RFC 3339, or `YYYY-MM-DD` for 17:00 that day.
    async fn apologize_and_redate(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
        new_due_at: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Redate { reason, new_due_at }).await
    }
}

async fn act(ctx: &Context<'_>, id: &ID, version: i64, what: Act) -> Result<DossierPayload> {
    let l = lang(ctx);
    let key = dossier_key(id, l)?;
    let out = dossiers::act(db(ctx)?, cache(ctx)?, principal(ctx)?, &key, version, what)
        .await
        .map_err(|e| e.into_graphql(l))?;
    Ok(DossierPayload::from(out, l))
}
