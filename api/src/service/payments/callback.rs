//! A gateway's callback: stored in the inbox and answered at once (SECURITY.md W8), then applied
//! exactly once (W2): the row is claimed by the update that marks it processed, in the same
//! transaction as its effects, so a replay, a second instance or a restart after a crash finds
//! it done or not done, never half done.

use std::collections::BTreeMap;

use motcua_core::payment::{CallbackCode, Decision, OrderState, platform, vnpay};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};

use super::super::cache::FilingCache;
use super::super::dossier::paid::{Landed, paid_online};
use super::super::sql::statement;
use super::{Gateways, Provider, receipt_number, status};
use crate::db::entities::payment::{Column, Entity, Model};
use crate::error::ApiError;

/// The most of a callback's payload kept (a gateway's are far smaller).
const MAX_PAYLOAD: usize = 8 * 1024;

/// The answer to a callback, and the inbox row to process when it was accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The code answered.
    pub code: CallbackCode,
    /// The inbox row, when there is something to apply.
    pub inbox: Option<i64>,
    /// The payment, when the reference named one.
    pub payment: Option<Model>,
}

/// The payment with order reference `reference` (none for an empty or overlong one).
///
/// # Errors
/// A database failure.
pub async fn by_reference(
    db: &impl ConnectionTrait,
    reference: &str,
) -> Result<Option<Model>, ApiError> {
    if reference.is_empty() || reference.len() > 64 {
        return Ok(None);
    }
    Ok(Entity::find()
        .filter(Column::Reference.eq(reference))
        .one(db)
        .await?)
}

fn order_of(p: &Model) -> OrderState {
    OrderState {
        amount: p.amount,
        confirmed: p.status == status::PAID,
    }
}

/// Writes the inbox row: accepted rows wait for [`process`]; refused ones are closed at once
/// (nothing changes, but they are kept: W1's log).
#[allow(clippy::too_many_arguments)]
async fn store(
    db: &impl ConnectionTrait,
    provider: Provider,
    kind: &str,
    reference: Option<&str>,
    payload: &Value,
    decision: Decision,
    client_ip: &str,
    now: i64,
) -> Result<Option<i64>, ApiError> {
    let mut text = payload.to_string();
    if text.len() > MAX_PAYLOAD {
        let mut cut = MAX_PAYLOAD;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let accepted = decision.code == CallbackCode::Ok;
    let (processed, outcome): (Option<i64>, Option<&str>) = if accepted {
        (None, None)
    } else {
        (Some(now), Some("REFUSED"))
    };
    let row = db
        .query_one_raw(statement(
            db,
            "INSERT INTO payment_callbacks (provider, kind, reference, payload, answer, paid, \
             received_at, processed_at, outcome, client_ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             RETURNING id",
            vec![
                provider.as_str().into(),
                kind.into(),
                reference.map(str::to_owned).into(),
                text.into(),
                decision.code.as_str().into(),
                i64::from(decision.paid).into(),
                now.into(),
                processed.into(),
                outcome.map(str::to_owned).into(),
                client_ip.into(),
            ],
        ))
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no id from the inbox insert")))?;
    let id: i64 = row.try_get("", "id")?;
    if decision.code == CallbackCode::InvalidAmount {
        // W4: the gateway and we disagree on money: an operator must look.
        tracing::error!(
            alert = "payment_amount_mismatch",
            provider = provider.as_str(),
            reference,
            inbox = id,
            "a signed callback carries another amount than the order's"
        );
    } else if decision.code == CallbackCode::InvalidSignature {
        tracing::warn!(
            provider = provider.as_str(),
            inbox = id,
            client_ip,
            "payment callback with a bad signature refused"
        );
    }
    Ok(accepted.then_some(id))
}

/// A VNPay IPN call: decided by the core, stored, answered.
///
/// # Errors
/// A database failure.
pub async fn vnpay_ipn(
    db: &DatabaseConnection,
    gw: &Gateways,
    params: BTreeMap<String, String>,
    client_ip: &str,
    now: i64,
) -> Result<Received, ApiError> {
    let reference = params.get("vnp_TxnRef").cloned().unwrap_or_default();
    let payment = by_reference(db, &reference).await?;
    let merchant = gw.get(Provider::Vnpay).map(|g| g.merchant.as_str());
    // W4: another merchant's order is no order of ours.
    let ours = params.get("vnp_TmnCode").map(String::as_str) == merchant;
    let order = payment
        .as_ref()
        .filter(|p| ours && p.provider == Provider::Vnpay.as_str())
        .map(order_of);
    let mut decision = vnpay::decide_ipn(&params, &gw.secrets(Provider::Vnpay), order);
    // W4: a currency other than VND is a wrong amount.
    if decision.code == CallbackCode::Ok
        && params
            .get("vnp_CurrCode")
            .is_some_and(|c| !c.is_empty() && c != "VND")
    {
        decision = Decision {
            code: CallbackCode::InvalidAmount,
            paid: false,
        };
    }
    let inbox = store(
        db,
        Provider::Vnpay,
        "IPN",
        Some(reference.as_str()).filter(|r| !r.is_empty()),
        &json!(params),
        decision,
        client_ip,
        now,
    )
    .await?;
    Ok(Received {
        code: decision.code,
        inbox,
        payment,
    })
}

/// The national platform's `CONFIRM`: decided by the core (with the timestamp window, W3),
/// stored, answered.
///
/// # Errors
/// A database failure.
pub async fn paygov_confirm(
    db: &DatabaseConnection,
    gw: &Gateways,
    msg: &platform::Confirm,
    client_ip: &str,
    now: i64,
) -> Result<Received, ApiError> {
    let payment = by_reference(db, &msg.order).await?;
    let merchant = gw
        .get(Provider::Paygov)
        .map(|g| g.merchant.clone())
        .unwrap_or_default();
    let order = payment
        .as_ref()
        .filter(|p| p.provider == Provider::Paygov.as_str())
        .map(order_of);
    let decision = platform::decide_confirm(
        msg,
        "CONFIRM",
        &gw.secrets(Provider::Paygov),
        &merchant,
        order,
        now,
    );
    let inbox = store(
        db,
        Provider::Paygov,
        "CONFIRM",
        Some(msg.order.as_str()).filter(|r| !r.is_empty()),
        &json!(msg),
        decision,
        client_ip,
        now,
    )
    .await?;
    Ok(Received {
        code: decision.code,
        inbox,
        payment,
    })
}

/// Stores the answer to a query as an inbox row (kind `QUERY`), so that it is applied by the same
/// exactly-once path as a callback.
///
/// # Errors
/// A database failure.
pub async fn store_query(
    db: &impl ConnectionTrait,
    provider: Provider,
    reference: &str,
    payload: &Value,
    decision: Decision,
    now: i64,
) -> Result<Option<i64>, ApiError> {
    store(
        db,
        provider,
        "QUERY",
        Some(reference),
        payload,
        decision,
        "",
        now,
    )
    .await
}

/// What processing one inbox row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Already processed (by a replay, another instance, or before a restart).
    Done,
    /// The payment is now paid and recorded on its dossier.
    Paid,
    /// Paid, but its dossier was already paid: a duplicate to refund.
    PaidDuplicate,
    /// The payment was already paid: nothing changed.
    AlreadyPaid,
    /// The gateway reported a failure: the intent is closed.
    Failed,
    /// Nothing to do (a failure report for a payment no longer open).
    Ignored,
}

impl Applied {
    fn as_str(self) -> &'static str {
        match self {
            Self::Done => "DONE",
            Self::Paid => "PAID",
            Self::PaidDuplicate => "PAID_DUPLICATE",
            Self::AlreadyPaid => "ALREADY_PAID",
            Self::Failed => "FAILED",
            Self::Ignored => "IGNORED",
        }
    }
}

/// The gateway's transaction number in a stored payload.
fn gateway_txn(payload: &Value) -> Option<String> {
    ["vnp_TransactionNo", "transaction"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn response_code(payload: &Value) -> String {
    ["vnp_ResponseCode", "state"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(Value::as_str))
        .unwrap_or("")
        .chars()
        .take(8)
        .collect()
}

/// Applies inbox row `id`, exactly once.
///
/// # Errors
/// A database failure (the transaction rolls back and the row waits for the next pass).
pub async fn process(
    db: &DatabaseConnection,
    cache: &FilingCache,
    id: i64,
    now: i64,
) -> Result<Applied, ApiError> {
    let txn = db.begin().await?;
    // The claim is the first statement, a write: on SQLite the transaction takes the write lock
    // at once (no read-to-write upgrade to deadlock on); on PostgreSQL a second instance waits
    // on the row and then finds it processed.
    let claimed = txn
        .execute_raw(statement(
            &txn,
            "UPDATE payment_callbacks SET processed_at = ? WHERE id = ? AND processed_at IS NULL",
            vec![now.into(), id.into()],
        ))
        .await?
        .rows_affected();
    if claimed == 0 {
        txn.rollback().await?;
        return Ok(Applied::Done);
    }
    let row = txn
        .query_one_raw(statement(
            &txn,
            "SELECT reference, payload, paid FROM payment_callbacks WHERE id = ?",
            vec![id.into()],
        ))
        .await?
        .ok_or(ApiError::NotFound)?;
    let reference: Option<String> = row.try_get("", "reference")?;
    let payload: Value =
        serde_json::from_str(&row.try_get::<String>("", "payload")?).unwrap_or(Value::Null);
    let paid = row.try_get::<i64>("", "paid")? != 0;
    let payment = by_reference(&txn, reference.as_deref().unwrap_or("")).await?;
    let applied = match payment {
        None => Applied::Ignored,
        Some(p) if paid => confirm(&txn, db, cache, &p, &payload, now).await?,
        Some(p) => {
            let closed = txn
                .execute_raw(statement(
                    &txn,
                    "UPDATE payments SET status = ?, gateway_code = ?, open_dossier_id = NULL, \
                     next_query_at = NULL, updated_at = ? WHERE id = ? AND status = ?",
                    vec![
                        status::FAILED.into(),
                        response_code(&payload).into(),
                        now.into(),
                        p.id.into(),
                        status::PENDING.into(),
                    ],
                ))
                .await?
                .rows_affected();
            if closed == 1 {
                Applied::Failed
            } else {
                Applied::Ignored
            }
        }
    };
    txn.execute_raw(statement(
        &txn,
        "UPDATE payment_callbacks SET outcome = ? WHERE id = ?",
        vec![applied.as_str().into(), id.into()],
    ))
    .await?;
    crate::failpoint::hit("payment.before_commit");
    txn.commit().await?;
    if matches!(applied, Applied::Paid | Applied::PaidDuplicate) {
        tracing::info!(inbox = id, outcome = applied.as_str(), "payment applied");
    }
    Ok(applied)
}

/// Marks `p` paid, if it is not yet, and records it on its dossier.
async fn confirm(
    txn: &impl ConnectionTrait,
    db: &DatabaseConnection,
    cache: &FilingCache,
    p: &Model,
    payload: &Value,
    now: i64,
) -> Result<Applied, ApiError> {
    let receipt = receipt_number(p.id);
    // A late success after a failure report or a cancellation still wins (W5): the gateway has
    // the money.
    let marked = txn
        .execute_raw(statement(
            txn,
            "UPDATE payments SET status = ?, paid_at = ?, gateway_txn = ?, gateway_code = ?, \
             receipt_number = ?, open_dossier_id = NULL, next_query_at = NULL, updated_at = ? \
             WHERE id = ? AND status <> ?",
            vec![
                status::PAID.into(),
                now.into(),
                gateway_txn(payload).into(),
                "00".into(),
                receipt.clone().into(),
                now.into(),
                p.id.into(),
                status::PAID.into(),
            ],
        ))
        .await?
        .rows_affected();
    if marked == 0 {
        return Ok(Applied::AlreadyPaid);
    }
    let detail = json!({
        "provider": p.provider,
        "paymentId": p.id,
        "reference": p.reference,
        "gatewayTransaction": gateway_txn(payload),
    });
    match paid_online(
        txn,
        db,
        cache,
        &p.dossier_id,
        p.amount,
        &receipt,
        detail,
        now,
    )
    .await?
    {
        Landed::Recorded => Ok(Applied::Paid),
        Landed::Duplicate => Ok(Applied::PaidDuplicate),
    }
}

/// Applies the inbox rows still waiting (left by a crash, or a failed pass), oldest first.
///
/// # Errors
/// A database failure.
pub async fn process_waiting(
    db: &DatabaseConnection,
    cache: &FilingCache,
    now: i64,
) -> Result<u64, ApiError> {
    let rows = db
        .query_all_raw(statement(
            db,
            "SELECT id FROM payment_callbacks WHERE processed_at IS NULL ORDER BY id LIMIT 100",
            Vec::new(),
        ))
        .await?;
    let mut done = 0;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        match process(db, cache, id, now).await {
            Ok(Applied::Done) => {}
            Ok(_) => done += 1,
            Err(e) => tracing::warn!(inbox = id, error = %e, "payment callback not applied yet"),
        }
    }
    Ok(done)
}
