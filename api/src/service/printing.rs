//! The legal forms of a dossier as PDF (forms 01, 02, 03, 04, 06): the facts are gathered here
//! from the dossier, its history, its control sheet and the catalogue; `forms` draws them.

use std::collections::HashMap;

use chrono::Datelike;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

use super::cache::FilingCache;
use super::forms::{self, DossierFacts, Letterhead, Step};
use super::sql::statement;
use crate::auth::Principal;
use crate::db::entities::{agency, dossier_history};
use crate::error::ApiError;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// 01: receipt and appointment.
    Receipt,
    /// 02: supplement request.
    SupplementRequest,
    /// 03: refusal.
    Refusal,
    /// 04: apology and new date.
    Apology,
    /// 06: control sheet.
    ControlSheet,
}

impl FormKind {
    /// Every form, in number order.
    pub const ALL: [Self; 5] = [
        Self::Receipt,
        Self::SupplementRequest,
        Self::Refusal,
        Self::Apology,
        Self::ControlSheet,
    ];

    /// The form's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Receipt => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            Self::SupplementRequest => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            Self::Refusal => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            Self::Apology => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            Self::ControlSheet => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        }
    }

    /// The history action that issues the form (receipt and control sheet from the reception).
    fn action(self) -> &'static str {
        match self {
            Self::Receipt | Self::ControlSheet => "RECEIVE",
            Self::SupplementRequest => "REQUEST_SUPPLEMENT",
            Self::Refusal => "REFUSE",
            Self::Apology => "APOLOGIZE_AND_REDATE",
        }
    }

    /// From the form's number (`01`, `02`, `03`, `04`, `06`).
    #[must_use]
    pub fn parse(number: &str) -> Option<Self> {
        match number {
            "01" => Some(Self::Receipt),
            "02" => Some(Self::SupplementRequest),
            "03" => Some(Self::Refusal),
            "04" => Some(Self::Apology),
            "06" => Some(Self::ControlSheet),
            _ => None,
        }
    }

    /// The form's number.
    #[must_use]
    pub fn number(self) -> &'static str {
        match self {
            Self::Receipt => "01",
            Self::SupplementRequest => "02",
            Self::Refusal => "03",
            Self::Apology => "04",
            Self::ControlSheet => "06",
        }
    }
}

fn local(secs: i64) -> chrono::DateTime<chrono::FixedOffset> {
    super::dossier::rules::local_now(secs)
}

/// `08 giờ 30 phút, ngày 22/11/2026`.
pub(crate) fn moment(secs: i64) -> String {
    local(secs)
        .format("%H giờ %M phút, ngày %d/%m/%Y")
        .to_string()
}

/// The same for a stored RFC 3339 instant.
fn moment_text(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map_or_else(|_| rfc3339.to_owned(), |t| moment(t.timestamp()))
}

/// `Lạng Sơn, ngày 22 tháng 11 năm 2026`.
fn place_date(province: &str, secs: i64) -> String {
    let t = local(secs);
    format!(
        "{province}, ngày {:02} tháng {:02} năm {}",
        t.day(),
        t.month(),
        t.year()
    )
}

async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, String>, ApiError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let rows = db
        .query_all_raw(statement(
            db,
            &format!("SELECT id, full_name FROM users WHERE id IN ({marks})"),
            ids.iter().map(|i| sea_orm::Value::from(*i)).collect(),
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<i64>("", "id")?,
                r.try_get::<String>("", "full_name")?,
            ))
        })
        .collect()
}

/// The letterhead of agency `id`: its name under its parent's.
pub(crate) fn letterhead(agencies: &[agency::Model], id: i64) -> Letterhead {
    let a = agencies.iter().find(|a| a.id == id);
    let parent = a
        .and_then(|a| a.parent_id)
        .and_then(|p| agencies.iter().find(|x| x.id == p))
        .map(|p| p.name_vi.clone());
    Letterhead {
        province: PROVINCE.to_owned(),
        parent_agency: parent,
        agency: a.map(|a| a.name_vi.clone()).unwrap_or_default(),
        phone: None,
    }
}

/// The demo province (the place on every form); one deployment serves one province.
const PROVINCE: &str = "Lạng Sơn";

/// The last history row of `action`.
fn last_of<'a>(
    history: &'a [dossier_history::Model],
    action: &str,
) -> Option<&'a dossier_history::Model> {
    history.iter().rev().find(|h| h.action == action)
}

fn detail(h: &dossier_history::Model) -> Value {
    serde_json::from_str(&h.detail).unwrap_or_default()
}

/// Renders form `kind` of dossier `id` for `p`, who must be allowed to see the dossier (the read
/// is audited like any other). Returns the PDF and a file name.
///
/// # Errors
/// `NOT_FOUND` (no such dossier for `p`, or the form does not exist yet for it), a database
/// failure, a rendering failure.
pub async fn render(
    db: &DatabaseConnection,
    cache: &FilingCache,
    public_url: &str,
    p: &Principal,
    id: &str,
    kind: FormKind,
) -> Result<(Vec<u8>, String), ApiError> {
    let (d, access) = super::dossier::read(db, p, id, "PRINT").await?;
    let history = super::dossier::history_of(db, id).await?;
    let code = d.code.clone().unwrap_or_default();
    let event = last_of(&history, kind.action())
        .ok_or(ApiError::NotFound)?
        .clone();
    let procedure = cache.version(db, d.procedure_version_id).await?;
    let agencies = cache.agencies(db).await?;
    let steps = super::dossier::steps_for(db, access, id).await?;
    let mut people: Vec<i64> = steps
        .iter()
        .flat_map(|s| [s.from_user_id, s.to_user_id])
        .flatten()
        .collect();
    people.extend(event.actor_user_id);
    let names = names(db, &people).await?;
    let files = super::attachments::of_dossier(db, id).await?;
    let mut documents: Vec<String> = Vec::new();
    for c in &procedure.components {
        if files
            .iter()
            .any(|f| f.component_id.as_deref() == Some(c.id.as_str()))
            || (files.is_empty() && c.required)
        {
            documents.push(format!(
                "{} ({} bản chính, {} bản sao)",
                c.name.vi, c.originals, c.copies
            ));
        }
    }
    let form: Value = serde_json::from_str(&d.form_data).unwrap_or_default();
    let applicant = |key: &str| {
        form.get("applicant")
            .or_else(|| form.get("owner"))
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let facts = DossierFacts {
        code: code.clone(),
        procedure_name: procedure.name.vi.clone(),
        applicant_name: d.applicant_name.clone(),
        applicant_id_number: d.applicant_id_number.clone(),
        phone: applicant("phone"),
        email: applicant("email"),
        address: None,
        documents,
        received_at: d
            .received_at
            .or(d.submitted_at)
            .map(moment)
            .unwrap_or_default(),
        due_at: d.due_at.as_deref().map(moment_text),
        fee_total: d.fee_total.unwrap_or(0),
        lookup_url: format!("{public_url}/tra-cuu?ma={code}"),
        place_date: place_date(PROVINCE, event.at),
        official_name: event
            .actor_user_id
            .and_then(|u| names.get(&u).cloned())
            .unwrap_or_default(),
        result_delivery: None,
    };
    let reason = event.reason.clone().unwrap_or_default();
    let issuer = match kind {
        FormKind::Apology | FormKind::ControlSheet => d.competent_agency_id,
        _ => d.receiving_agency_id,
    };
    let head = letterhead(&agencies, issuer);
    let who = |user: Option<i64>, agency: i64| {
        let unit = agencies
            .iter()
            .find(|a| a.id == agency)
            .map(|a| a.name_vi.clone())
            .unwrap_or_default();
        match user.and_then(|u| names.get(&u)) {
            Some(name) => format!("{name} ({unit})"),
            None => unit,
        }
    };
    let sheet: Vec<Step> = steps
        .iter()
        .map(|s| Step {
            giver: who(s.from_user_id, s.from_agency_id),
            receiver: who(s.to_user_id, s.to_agency_id),
            handed_at: moment(s.handed_at),
            due: s.step_due_at.as_deref().map(moment_text),
            completed_at: s.completed_at.map(moment),
            outcome: s
                .outcome
                .as_deref()
                .and_then(motcua_core::deadline::Timeliness::parse)
                .map(|t| t.name_vi().to_owned()),
            note: match (&s.result, &s.note) {
                (Some(r), Some(n)) => Some(format!("{r}. {n}")),
                (r, n) => r.clone().or_else(|| n.clone()),
            },
        })
        .collect();
    let missing: Vec<String> = detail(&event)
        .get("missing")
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let (old_due, new_due) = {
        let x = detail(&event);
        let get = |k: &str| {
            x.get(k)
                .and_then(Value::as_str)
                .map(moment_text)
                .unwrap_or_default()
        };
        (get("oldDueAt"), get("dueAt"))
    };
    let pdf = tokio::task::spawn_blocking(move || match kind {
        FormKind::Receipt => forms::receipt(&head, &facts),
        FormKind::SupplementRequest => forms::supplement_request(&head, &facts, &reason, &missing),
        FormKind::Refusal => forms::refusal(&head, &facts, &reason),
        FormKind::Apology => forms::apology(&head, &facts, &reason, &old_due, &new_due),
        FormKind::ControlSheet => forms::control_sheet(&head, &facts, &sheet),
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("form {}: {e}", kind.number())))?;
    Ok((pdf, format!("mau-{}-{code}.pdf", kind.number())))
}

/// Whether a dossier has form `kind` yet (for listing what can be printed).
#[must_use]
pub fn available(history: &[dossier_history::Model], kind: FormKind) -> bool {
    last_of(history, kind.action()).is_some()
}
