//! Processing by the agency holding the dossier: a specialist starts it, hands it over between
//! officials and agencies (liên thông, a control-sheet row each, form 06), asks for payment (the
//! clock stops) which a clerk records; a leader stops it or apologises with a new date (form 04).

use motcua_core::deadline::{DeadlineState, after_working_days};
use motcua_core::dossier::new_due_date;
use motcua_core::payment::payable;
use sea_orm::Set;
use serde_json::json;

use super::super::notify::{self, Kind};
use super::super::officials;
use super::super::problem::Problem;
use super::change::{Change, Ctx, Effect};
use super::repo::steps::NewStep;
use super::rules::{local_now, status_of};
use super::types::HandOver;
use crate::error::ApiError;

/// The longest step deadline of a hand-over, in working days.
const MAX_STEP_DAYS: u32 = 365;

/// A specialist picks the dossier up.
pub(crate) fn start(ctx: &Ctx<'_>, c: &mut Change) -> Kind {
    c.row.handler_user_id = Set(Some(ctx.p.user_id));
    c.sheet.pick_up = Some(ctx.p.user_id);
    Kind::Processing
}

/// Hands over to an official or an agency, with the step's deadline.
pub(crate) async fn hand_over(ctx: &Ctx<'_>, c: &mut Change, h: &HandOver) -> Effect {
    let d = ctx.d;
    let to_agency = match officials::handover_target(
        ctx.db,
        ctx.cache,
        h.to_user_id,
        h.to_agency_id,
        d.handling_agency(),
    )
    .await?
    {
        Ok(a) => a,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let step_due = match h.step_working_days {
        Some(days) if days > MAX_STEP_DAYS => {
            return Ok(Err(vec![Problem::new(
                &["stepWorkingDays"],
                "STEP_DEADLINE_TOO_LONG",
                "Thời hạn của bước xử lý không quá 365 ngày làm việc.",
                "A step's deadline is at most 365 working days.",
            )]));
        }
        Some(days) => Some(step_deadline(ctx, days).await?),
        None => d.due_at.clone(),
    };
    let note = h.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    c.row.handling_agency_id = Set(Some(to_agency));
    c.row.handler_user_id = Set(h.to_user_id);
    c.note("toAgencyId", json!(to_agency));
    if let Some(u) = h.to_user_id {
        c.note("toUserId", json!(u));
    }
    c.note("stepDueAt", json!(step_due));
    if let Some(n) = note {
        c.note("note", json!(n));
    }
    c.sheet.close = Some(
        h.result
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or("Đã xử lý, chuyển bước tiếp theo")
            .to_owned(),
    );
    c.sheet.open = Some(NewStep {
        from_agency: d.handling_agency(),
        to_user: h.to_user_id,
        to_agency,
        step_due,
        note: h.note.clone().filter(|n| !n.trim().is_empty()),
    });
    Ok(Ok(Kind::HandedOver))
}

/// `days` working days from now, by the working calendar.
async fn step_deadline(ctx: &Ctx<'_>, days: u32) -> Result<String, ApiError> {
    let calendar = ctx.cache.calendar(ctx.db).await?;
    let due = after_working_days(local_now(ctx.now), days, &calendar)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("step due date: {e}")))?;
    Ok(due.to_rfc3339())
}

/// Asks for the quoted fees; the clock stops until they are paid.
pub(crate) fn request_payment(ctx: &Ctx<'_>, c: &mut Change) -> Effect {
    let amount = ctx.d.fee_total.unwrap_or(0);
    if let Err(why) = payable(status_of(ctx.d)?, ctx.d.paid_at.is_some(), amount) {
        return Ok(Err(vec![Problem::from_core(&["action"], &why)]));
    }
    c.row.payment_amount = Set(Some(amount));
    c.row.paused_since = Set(Some(ctx.now));
    c.note("amount", json!(amount));
    Ok(Ok(Kind::PaymentRequested))
}

/// Records a payment of exactly the amount asked for, with its receipt number; the clock runs
/// again and the due date moves by the pause.
pub(crate) async fn record_payment(
    ctx: &Ctx<'_>,
    c: &mut Change,
    amount: i64,
    receipt_number: &str,
) -> Effect {
    let asked = ctx.d.payment_amount;
    let mut problems = Vec::new();
    if Some(amount) != asked {
        let figure = notify::vnd(asked.unwrap_or(0));
        problems.push(Problem::new(
            &["amount"],
            "PAYMENT_AMOUNT_MISMATCH",
            format!("Số tiền phải đúng số đã đề nghị: {figure} đồng."),
            format!("The amount must be the one asked for: {figure} VND."),
        ));
    }
    let receipt = receipt_number.trim();
    if receipt.is_empty() || receipt.chars().count() > 64 {
        problems.push(Problem::new(
            &["receiptNumber"],
            "RECEIPT_NUMBER_REQUIRED",
            "Hãy nhập số biên lai (tối đa 64 ký tự).",
            "Enter the receipt number (at most 64 characters).",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    c.row.paid_at = Set(Some(ctx.now));
    c.row.payment_ref = Set(Some(receipt.to_owned()));
    c.note("amount", json!(amount));
    c.note("receiptNumber", json!(receipt));
    c.resume(ctx).await?;
    Ok(Ok(Kind::Paid))
}

/// Ends the dossier early (a withdrawal by the applicant, or a leader's stop): the open step
/// closes with `result`, and a running pause is dropped.
pub(crate) fn close(c: &mut Change, result: &str, kind: Kind) -> Kind {
    c.sheet.close = Some(result.to_owned());
    c.row.paused_since = Set(None);
    kind
}

/// The leader's apology with a new due date, once: the core checks the date.
pub(crate) fn redate(ctx: &Ctx<'_>, c: &mut Change, asked: &str) -> Effect {
    let d = ctx.d;
    let current = d
        .due_at
        .as_deref()
        .and_then(motcua_core::dossier::parse_due);
    let new = match new_due_date(asked, current, local_now(ctx.now)) {
        Ok(n) => n.to_rfc3339(),
        Err(e) => return Ok(Err(vec![Problem::from_core(&["newDueAt"], &e)])),
    };
    c.row.redate_count = Set(d.redate_count + 1);
    c.row.due_at = Set(Some(new.clone()));
    c.row.deadline_state = Set(DeadlineState::OnTrack.as_str().to_owned());
    if d.original_due_at.is_none() {
        c.row.original_due_at = Set(d.due_at.clone());
    }
    c.note("oldDueAt", json!(d.due_at));
    c.note("dueAt", json!(new));
    Ok(Ok(Kind::Redated))
}
