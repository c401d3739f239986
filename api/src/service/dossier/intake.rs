//! Intake at the one-stop desk: receive (the clock starts and the due date is fixed, form 01),
//! refuse with a reason (form 03), ask once for everything missing (form 02; during processing the
//! clock stops), and the supplement arriving from the applicant or a clerk at the desk.

use motcua_core::deadline::Pauses;
use sea_orm::Set;
use serde_json::{Value, json};

use super::super::notify::Kind;
use super::super::problem::Problem;
use super::change::{Change, Ctx, Effect};
use super::repo::steps::NewStep;
use super::rules::{channel_of, due_for, explain, form_problems, local_now};

/// Accept: the due date from the procedure's processing time for the channel and the working
/// calendar; the first control-sheet row goes to the competent agency.
pub(crate) async fn receive(ctx: &Ctx<'_>, c: &mut Change) -> Effect {
    let d = ctx.d;
    let procedure = ctx.cache.version(ctx.db, d.procedure_version_id).await?;
    let calendar = ctx.cache.calendar(ctx.db).await?;
    let due = due_for(&procedure, d.channel, ctx.now, &calendar, Pauses::default())?;
    let due_text = due.due_at.to_rfc3339();
    c.row.received_at = Set(Some(ctx.now));
    c.row.due_at = Set(Some(due_text.clone()));
    c.row.due_detail = Set(Some(explain(&procedure, d.channel, &due).to_string()));
    c.row.handling_agency_id = Set(Some(d.competent_agency_id));
    c.note("dueAt", json!(due_text));
    c.sheet.open = Some(NewStep {
        from_agency: d.receiving_agency_id,
        to_user: None,
        to_agency: d.competent_agency_id,
        step_due: Some(due_text),
        note: None,
    });
    Ok(Ok(Kind::Received))
}

/// Ask, once, for everything missing; during processing the clock stops until it arrives.
pub(crate) fn request_supplement(ctx: &Ctx<'_>, c: &mut Change, missing: &[String]) -> Effect {
    let missing: Vec<&str> = missing
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect();
    if missing.is_empty() {
        return Ok(Err(vec![Problem::new(
            &["missing"],
            "MISSING_LIST_REQUIRED",
            "Hãy liệt kê đầy đủ giấy tờ, thông tin cần bổ sung.",
            "List everything that must be supplemented.",
        )]));
    }
    c.row.supplement_count = Set(ctx.d.supplement_count + 1);
    c.row.missing = Set(Some(json!(missing).to_string()));
    if ctx.d.received_at.is_some() {
        c.row.paused_since = Set(Some(ctx.now));
    }
    c.note("missing", json!(missing));
    Ok(Ok(Kind::SupplementRequested))
}

/// The supplement arrives, with corrected form data validated again; the pause closes.
pub(crate) async fn supplement(ctx: &Ctx<'_>, c: &mut Change, form_data: Option<&Value>) -> Effect {
    let d = ctx.d;
    if let Some(data) = form_data {
        let procedure = ctx.cache.version(ctx.db, d.procedure_version_id).await?;
        let today = local_now(ctx.now).date_naive().to_string();
        let problems = form_problems(&procedure, data, &today, channel_of(d.channel));
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        c.row.form_data = Set(data.to_string());
    }
    c.resume(ctx).await?;
    Ok(Ok(Kind::Supplemented))
}
