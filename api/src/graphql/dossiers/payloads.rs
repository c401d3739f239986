//! What dossier mutations take and answer.

use async_graphql::{Enum, ID, InputObject, Json, SimpleObject};
use motcua_core::Lang;
use serde_json::Value;

use super::super::ids;
use super::super::user_error::UserError;
use super::*;
use crate::db::entities::{attachment, dossier};
use crate::service::dossier::Receipt;
use crate::service::problem::Outcome;

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
    /// Postal filings: the tracking number the envelope came with (1–40 letters, digits, `-`);
    /// recorded in the history (`detail.postalTrackingNumber`).
    pub postal_tracking_number: Option<String>,
}

/// What a submission answered (the same every time the same key is replayed).
#[derive(SimpleObject, Debug, Clone)]
pub struct SubmissionReceipt {
    /// The dossier's global ID.
    pub dossier_id: ID,
    /// The dossier code.
    pub code: String,
    /// `SUBMITTED`.
    pub status: DossierStatus,
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
            status: DossierStatus::stored(&r.status),
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
    pub(crate) fn answer(out: Outcome<dossier::Model>, lang: Lang) -> Self {
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
    pub(crate) fn answer(out: Outcome<attachment::Model>, lang: Lang) -> Self {
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
    /// Its status.
    pub status: DossierStatus,
    /// The status in the request's language.
    pub status_name: String,
    /// The due date, once received.
    pub due_at: Option<String>,
}
