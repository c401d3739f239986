//! A verified online payment reaching its dossier, inside the payment's own transaction: a
//! dossier waiting for payment takes the core's `RECORD_PAYMENT` as the system (its clock runs
//! again, as with a desk payment); a dossier paid ahead of the request keeps its status and
//! records the payment, so that the specialist's later request is refused as already paid.

use motcua_core::dossier::{Action, Role, Status, TransitionInput, transition};
use sea_orm::{ConnectionTrait, DatabaseConnection, Set};
use serde_json::{Value, json};

use super::super::cache::FilingCache;
use super::super::notify::Kind;
use super::act::write_in;
use super::change::{Change, Ctx};
use super::process::record_payment;
use super::repo::{self, history};
use super::rules::status_of;
use crate::auth::{AccountKind, Principal};
use crate::error::ApiError;

/// How the payment landed on the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landed {
    /// Recorded on the dossier (and its clock restarted when it was waiting).
    Recorded,
    /// The dossier was already paid (at the desk, or by another online payment): this payment
    /// is a duplicate, to be refunded.
    Duplicate,
}

/// The caller of a system transition: no account, no grants.
fn system() -> Principal {
    Principal {
        user_id: 0,
        kind: AccountKind::Official,
        session_id: String::new(),
        grants: Vec::new(),
        must_change_password: false,
    }
}

/// Records `amount` paid online under `receipt` on dossier `id`, in `txn`; `db` is only read
/// (the catalogue and the calendar, for the due date).
///
/// # Errors
/// `CONFLICT` when the dossier changed between the read and the write (the caller's
/// transaction rolls back and the callback is processed again), a database failure.
#[allow(clippy::too_many_arguments)]
pub async fn paid_online(
    txn: &impl ConnectionTrait,
    db: &DatabaseConnection,
    cache: &FilingCache,
    id: &str,
    amount: i64,
    receipt: &str,
    detail: Value,
    now: i64,
) -> Result<Landed, ApiError> {
    let d = repo::find(txn, id).await?.ok_or(ApiError::NotFound)?;
    if d.paid_at.is_some() {
        return Ok(Landed::Duplicate);
    }
    let status = status_of(&d)?;
    let p = system();
    let ctx = Ctx {
        db,
        cache,
        p: &p,
        d: &d,
        now,
    };
    let (next, action) = if status == Status::AwaitingPayment {
        let next = transition(&TransitionInput {
            status,
            action: Action::RecordPayment,
            role: Role::System,
            received: d.received_at.is_some(),
            supplement_count: u32::try_from(d.supplement_count).unwrap_or(u32::MAX),
            redate_count: u32::try_from(d.redate_count).unwrap_or(u32::MAX),
            reason: None,
        })
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("system payment: {e}")))?;
        (next, history::HistoryAction::Core(Action::RecordPayment))
    } else {
        (status, history::HistoryAction::Named("PAY_ONLINE"))
    };
    let mut change = Change::new(next, now, None);
    if status == Status::AwaitingPayment {
        if record_payment(&ctx, &mut change, amount, receipt)
            .await?
            .is_err()
        {
            // The amount asked for changed after the payment started: kept as a duplicate
            // line for the settlement report rather than recorded against the wrong figure.
            return Ok(Landed::Duplicate);
        }
    } else {
        change.row.paid_at = Set(Some(now));
        change.row.payment_ref = Set(Some(receipt.to_owned()));
        change.row.payment_amount = Set(Some(amount));
        change.note("amount", json!(amount));
        change.note("receiptNumber", json!(receipt));
    }
    if let Value::Object(extra) = detail {
        change.detail.extend(extra);
    }
    let entry = history::Entry {
        dossier_id: id,
        at: now,
        actor: None,
        role: Role::System,
        action,
        from: status,
        to: next,
        reason: None,
        detail: &Value::Object(std::mem::take(&mut change.detail)),
    };
    match write_in(txn, d.version, change, entry, Kind::Paid).await? {
        Some(_) => Ok(Landed::Recorded),
        None => Err(ApiError::Conflict {
            current_version: None,
        }),
    }
}
