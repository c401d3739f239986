//! The core's dossier rules applied to stored rows: who the caller is to a row, its channel, its
//! due date with the explanation the dossier page shows, its pauses, and form violations as
//! problems. Pure translation between the rows and the core; no database.

use motcua_core::calendar::WorkingCalendar;
use motcua_core::catalog::Procedure;
use motcua_core::deadline::{self, Pauses};
use motcua_core::dossier::{Caller, Channel, Parties, Role, Status};
use serde_json::{Value, json};

use super::super::problem::Problem;
use crate::auth::{AccountKind, Principal};
use crate::db::entities::dossier;
use crate::error::ApiError;

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

/// The problem of a dossier id that is no lower-case UUID.
pub(crate) fn invalid_id(path: &[&str]) -> Problem {
    Problem::new(
        path,
        "INVALID_ID",
        "Mã hồ sơ tạm phải là UUID dạng chữ thường.",
        "The dossier id must be a lower-case UUID.",
    )
}

/// The local date and time at Unix second `secs`.
pub(crate) fn local_now(secs: i64) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .with_timezone(&deadline::VN_OFFSET)
}

/// The dossier roles of a caller, each in its agency, as the core wants them.
pub(crate) fn grants(p: &Principal) -> Vec<(Role, i64)> {
    p.grants
        .iter()
        .filter_map(|g| g.role.core_role().map(|r| (r, g.agency_id)))
        .collect()
}

/// The caller as the core sees them (with the grants from [`grants`]).
pub(crate) fn caller<'a>(p: &Principal, grants: &'a [(Role, i64)]) -> Caller<'a> {
    Caller {
        account: p.user_id,
        applicant_kind: p.kind != AccountKind::Official,
        grants,
    }
}

/// A stored status; a name the core does not know is a corrupt row (internal).
pub(crate) fn status_of(d: &dossier::Model) -> Result<Status, ApiError> {
    d.status
        .parse()
        .map_err(|()| ApiError::Internal(anyhow::anyhow!("stored status {}", d.status)))
}

/// The dossier's people and agencies as the core sees them.
pub(crate) fn parties(d: &dossier::Model) -> Result<Parties, ApiError> {
    Ok(Parties {
        status: status_of(d)?,
        applicant_account: d.applicant_user_id,
        filed_by: d.filed_by_user_id,
        receiving: d.receiving_agency_id,
        competent: d.competent_agency_id,
        handling: d.handling_agency(),
    })
}

/// The stored channel code as the core's channel (rows only ever hold 1–3; anything else is read
/// as the desk, the channel with the longer processing time).
pub(crate) fn channel_of(code: i64) -> Channel {
    Channel::from_national_code(code).unwrap_or(Channel::InPerson)
}

/// Form-data violations as problems under `formData` (the JSON Pointer's segments follow).
pub(crate) fn form_problems(
    p: &Procedure,
    data: &Value,
    today: &str,
    channel: Channel,
) -> Vec<Problem> {
    let context = json!({ "today": today, "channel": channel.as_str() });
    p.form
        .validate(data, &context)
        .violations
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

/// The due date of a dossier received at `received` (Unix seconds), with its explanation.
pub(crate) fn due_for(
    p: &Procedure,
    channel: i64,
    received: i64,
    calendar: &WorkingCalendar,
    pauses: Pauses,
) -> Result<deadline::Due, ApiError> {
    deadline::due(
        &p.due_request(channel_of(channel), local_now(received), pauses),
        calendar,
    )
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("due date: {e}")))
}

/// The explanation stored beside a due date (what the dossier page shows).
pub(crate) fn explain(procedure: &Procedure, channel: i64, due: &deadline::Due) -> Value {
    json!({
        "duration": procedure.processing_time(channel_of(channel)),
        "countingFrom": due.counting_from.to_rfc3339(),
        "skipped": due.skipped.iter().map(|s| json!({
            "date": s.date.to_string(),
            "vi": s.reason.name_vi(),
            "en": s.reason.name_en(),
        })).collect::<Vec<_>>(),
        "pausedSeconds": due.paused_seconds,
    })
}

/// The closed pauses of a dossier as stored (`[[from, to], …]` in Unix seconds), and as the core
/// wants them.
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
