//! Every action after filing goes the same way: the caller's standing and the core's transition
//! table decide who may do what from which status; the operation's effects are added to a
//! [`Change`]; the change, its history row, the control sheet and the notice are written in one
//! transaction, if the dossier is still at the version the caller saw (otherwise `CONFLICT`).

use motcua_core::dossier::{TransitionError, TransitionInput, acting_role, standing, transition};
use sea_orm::{Condition, ConnectionTrait, DatabaseConnection, TransactionTrait};
use serde_json::Value;

use super::super::cache::FilingCache;
use super::super::notify::{self, Kind};
use super::super::problem::{Outcome, Problem};
use super::change::{Change, Ctx};
use super::read::get;
use super::repo::{self, history, steps};
use super::rules::{caller, grants, parties, status_of};
use super::types::Act;
use super::{intake, process, result};
use crate::auth::{Principal, now};
use crate::db::entities::dossier;
use crate::error::ApiError;

/// Applies `what` through the core's state machine, if `expected_version` is still the dossier's
/// version (otherwise `CONFLICT` with the current version).
///
/// # Errors
/// `NOT_FOUND`, `CONFLICT`, a database failure. Refusals of the state machine (a wrong status,
/// role, a missing reason) and input problems come back as problems.
pub async fn act(
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Principal,
    id: &str,
    expected_version: i64,
    what: Act,
) -> Result<Outcome<dossier::Model>, ApiError> {
    let (d, _) = get(db, p, id).await?;
    let status = status_of(&d)?;
    // A stale version is a conflict whatever else is wrong: the caller acted on an old view
    // (SECURITY.md D5).
    if d.version != expected_version {
        return Err(ApiError::Conflict {
            current_version: Some(d.version),
        });
    }
    let (action, reason) = what.action();
    let grants = grants(p);
    let standing = standing(&caller(p, &grants), &parties(&d)?);
    // No fallback: a caller holding no role that may take this action is refused (Z1).
    let Some(role) = acting_role(action, d.received_at.is_some(), standing) else {
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
    let ctx = Ctx {
        db,
        cache,
        p,
        d: &d,
        now,
    };
    let mut change = Change::new(next, now, reason);
    let kind = match effects(&ctx, &mut change, &what).await? {
        Ok(kind) => kind,
        Err(problems) => return Ok(Err(problems)),
    };
    let entry = history::Entry {
        dossier_id: id,
        at: now,
        actor: Some(p.user_id),
        role,
        action: action.into(),
        from: status,
        to: next,
        reason: reason.map(str::trim),
        detail: &Value::Object(std::mem::take(&mut change.detail)),
    };
    write(db, expected_version, change, entry, kind)
        .await
        .map(Ok)
}

/// The effects of each action, from the file of its operation group.
async fn effects(ctx: &Ctx<'_>, c: &mut Change, what: &Act) -> Result<Outcome<Kind>, ApiError> {
    match what {
        Act::Receive => intake::receive(ctx, c).await,
        Act::Refuse { .. } => Ok(Ok(Kind::Refused)),
        Act::RequestSupplement { missing, .. } => intake::request_supplement(ctx, c, missing),
        Act::Supplement { form_data } => intake::supplement(ctx, c, form_data.as_ref()).await,
        Act::StartProcessing => Ok(Ok(process::start(ctx, c))),
        Act::HandOver(h) => process::hand_over(ctx, c, h).await,
        Act::RequestPayment => process::request_payment(ctx, c),
        Act::RecordPayment {
            amount,
            receipt_number,
        } => process::record_payment(ctx, c, *amount, receipt_number).await,
        Act::Resolve {
            result_attachment_id,
        } => result::resolve(ctx, c, result_attachment_id.as_deref()).await,
        Act::ReturnResult {
            method,
            tracking_number,
        } => result::return_result(ctx, c, *method, tracking_number.as_deref()),
        Act::Withdraw { .. } => Ok(Ok(process::close(
            c,
            "Người nộp rút hồ sơ",
            Kind::Withdrawn,
        ))),
        Act::Stop { .. } => Ok(Ok(process::close(c, "Dừng xử lý", Kind::Stopped))),
        Act::Redate { new_due_at, .. } => process::redate(ctx, c, new_due_at),
    }
}

/// Writes the change, its history row, the control sheet and the notice in one transaction.
async fn write(
    db: &DatabaseConnection,
    expected_version: i64,
    change: Change,
    entry: history::Entry<'_>,
    kind: Kind,
) -> Result<dossier::Model, ApiError> {
    let id = entry.dossier_id;
    let txn = db.begin().await?;
    if let Some(after) = write_in(&txn, expected_version, change, entry, kind).await? {
        txn.commit().await?;
        return Ok(after);
    }
    txn.rollback().await?;
    let current = repo::find(db, id).await?.map(|d| d.version);
    Err(ApiError::Conflict {
        current_version: current,
    })
}

/// [`write`] inside the caller's transaction; `None` when the dossier is no longer at
/// `expected_version`.
pub(crate) async fn write_in(
    txn: &impl ConnectionTrait,
    expected_version: i64,
    change: Change,
    entry: history::Entry<'_>,
    kind: Kind,
) -> Result<Option<dossier::Model>, ApiError> {
    let id = entry.dossier_id;
    if !repo::update(
        txn,
        id,
        Some(expected_version),
        change.row,
        Condition::all(),
    )
    .await?
    {
        return Ok(None);
    }
    let (actor, at, detail) = (entry.actor, entry.at, entry.detail.clone());
    history::append(txn, entry).await?;
    // The control sheet is only touched by officials' actions.
    if let Some(actor) = actor {
        steps::apply(txn, id, actor, at, change.sheet).await?;
    }
    let after = repo::find(txn, id).await?.ok_or(ApiError::NotFound)?;
    notify::record(txn, &after, kind, &detail).await?;
    Ok(Some(after))
}
