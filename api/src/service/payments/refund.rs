//! Refunds with two people: a clerk proposes (amount and reason), a leader of the agency — never
//! the proposer — approves or rejects. Both steps are audited; an approved refund is recorded on
//! the payment (the transfer itself is made at the gateway's merchant portal or the treasury).

use crate::service::sql::is_unique_violation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::super::audit;
use super::super::dossier::repo;
use super::super::problem::{Outcome, Problem};
use super::super::sql::statement;
use super::status;
use crate::auth::{OfficialRole, Principal, now};
use crate::db::entities::payment;
use crate::db::entities::payment_refund::{self, Column, Entity, Model};
use crate::error::ApiError;

/// Waiting for a leader.
pub const PROPOSED: &str = "PROPOSED";
/// Approved.
pub const APPROVED: &str = "APPROVED";
/// Rejected.
pub const REJECTED: &str = "REJECTED";

/// Whether `p` holds `role` in an agency the payment's dossier belongs to.
async fn holds(
    db: &impl ConnectionTrait,
    p: &Principal,
    pay: &payment::Model,
    role: OfficialRole,
) -> Result<bool, ApiError> {
    let Some(d) = repo::find(db, &pay.dossier_id).await? else {
        return Ok(false);
    };
    Ok(
        [pay.agency_id, d.receiving_agency_id, d.competent_agency_id]
            .iter()
            .any(|a| p.holds(role, *a)),
    )
}

/// Proposes refunding `amount` of payment `payment_id`.
///
/// # Errors
/// `NOT_FOUND` (no such payment, or not one of the caller's agencies), a database failure.
pub async fn propose(
    db: &DatabaseConnection,
    p: &Principal,
    payment_id: i64,
    amount: i64,
    reason: &str,
) -> Result<Outcome<(Model, payment::Model)>, ApiError> {
    let pay = payment::Entity::find_by_id(payment_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !holds(db, p, &pay, OfficialRole::Clerk).await? {
        return Err(ApiError::NotFound);
    }
    let reason = reason.trim();
    let mut problems = Vec::new();
    if pay.status != status::PAID {
        problems.push(Problem::new(
            &["input", "paymentId"],
            "NOT_PAID",
            "Chỉ hoàn tiền cho khoản đã thanh toán.",
            "Only a paid payment can be refunded.",
        ));
    }
    let left = pay.amount - pay.refunded_amount;
    if amount <= 0 || amount > left {
        problems.push(Problem::new(
            &["input", "amount"],
            "INVALID_REFUND_AMOUNT",
            format!("Số tiền hoàn phải từ 1 đến {left} đồng."),
            format!("The refund must be between 1 and {left} VND."),
        ));
    }
    if reason.chars().count() < 5 || reason.chars().count() > 500 {
        problems.push(Problem::new(
            &["input", "reason"],
            "REASON_REQUIRED",
            "Hãy ghi lý do hoàn tiền (5–500 ký tự).",
            "Give the reason for the refund (5–500 characters).",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let at = now();
    let row = payment_refund::ActiveModel {
        payment_id: Set(pay.id),
        amount: Set(amount),
        reason: Set(reason.to_owned()),
        state: Set(PROPOSED.to_owned()),
        proposed_by: Set(p.user_id),
        proposed_at: Set(at),
        open_payment_id: Set(Some(pay.id)),
        ..Default::default()
    };
    let txn = db.begin().await?;
    let created = match row.insert(&txn).await {
        Ok(m) => m,
        Err(e) if is_unique_violation(&e) => {
            return Ok(Err(vec![Problem::new(
                &["input", "paymentId"],
                "REFUND_PENDING",
                "Khoản này đang có đề nghị hoàn tiền chờ duyệt.",
                "A refund of this payment is already waiting for approval.",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &txn,
        Some(p.user_id),
        "REFUND_PROPOSE",
        ("Payment", &pay.id.to_string()),
        &json!({ "refund": created.id, "amount": amount, "reason": reason }),
        "OK",
    )
    .await?;
    txn.commit().await?;
    Ok(Ok((created, pay)))
}

/// Approves or rejects refund `refund_id`.
///
/// # Errors
/// `NOT_FOUND` (no such refund, or not of the caller's agencies), a database failure.
pub async fn decide(
    db: &DatabaseConnection,
    p: &Principal,
    refund_id: i64,
    approve: bool,
    note: Option<&str>,
) -> Result<Outcome<(Model, payment::Model)>, ApiError> {
    let refund = Entity::find_by_id(refund_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let pay = payment::Entity::find_by_id(refund.payment_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !holds(db, p, &pay, OfficialRole::Leader).await? {
        return Err(ApiError::NotFound);
    }
    if refund.proposed_by == p.user_id {
        return Ok(Err(vec![Problem::new(
            &["input", "refundId"],
            "TWO_PERSON_RULE",
            "Người đề nghị hoàn tiền không được tự duyệt.",
            "Whoever proposed a refund cannot approve it.",
        )]));
    }
    let at = now();
    let state = if approve { APPROVED } else { REJECTED };
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let txn = db.begin().await?;
    let decided = txn
        .execute_raw(statement(
            &txn,
            "UPDATE payment_refunds SET state = ?, decided_by = ?, decided_at = ?, \
             decision_note = ?, open_payment_id = NULL WHERE id = ? AND state = ?",
            vec![
                state.into(),
                p.user_id.into(),
                at.into(),
                note.map(str::to_owned).into(),
                refund.id.into(),
                PROPOSED.into(),
            ],
        ))
        .await?
        .rows_affected();
    if decided == 0 {
        txn.rollback().await?;
        return Ok(Err(vec![Problem::new(
            &["input", "refundId"],
            "ALREADY_DECIDED",
            "Đề nghị này đã được quyết định.",
            "This refund was already decided.",
        )]));
    }
    if approve {
        let added = txn
            .execute_raw(statement(
                &txn,
                "UPDATE payments SET refunded_amount = refunded_amount + ?, updated_at = ? \
                 WHERE id = ? AND refunded_amount + ? <= amount",
                vec![
                    refund.amount.into(),
                    at.into(),
                    pay.id.into(),
                    refund.amount.into(),
                ],
            ))
            .await?
            .rows_affected();
        if added == 0 {
            txn.rollback().await?;
            return Ok(Err(vec![Problem::new(
                &["input", "refundId"],
                "INVALID_REFUND_AMOUNT",
                "Số tiền hoàn vượt quá số đã thu.",
                "The refund exceeds what was collected.",
            )]));
        }
    }
    audit::record(
        &txn,
        Some(p.user_id),
        if approve {
            "REFUND_APPROVE"
        } else {
            "REFUND_REJECT"
        },
        ("Payment", &pay.id.to_string()),
        &json!({ "refund": refund.id, "amount": refund.amount, "note": note }),
        "OK",
    )
    .await?;
    txn.commit().await?;
    let decided = Entity::find_by_id(refund.id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let pay = payment::Entity::find_by_id(pay.id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Ok((decided, pay)))
}

/// The refunds of a payment, oldest first.
///
/// # Errors
/// A database failure.
pub async fn of_payment(
    db: &impl ConnectionTrait,
    payment_id: i64,
) -> Result<Vec<Model>, ApiError> {
    Ok(Entity::find()
        .filter(Column::PaymentId.eq(payment_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// The proposals of agency `agency` waiting for a leader, oldest first, with their payments.
///
/// # Errors
/// A database failure.
pub async fn awaiting(
    db: &impl ConnectionTrait,
    agency: i64,
) -> Result<Vec<(Model, payment::Model)>, ApiError> {
    let pays: std::collections::HashMap<i64, payment::Model> = payment::Entity::find()
        .filter(payment::Column::AgencyId.eq(agency))
        .filter(
            payment::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(Column::PaymentId)
                    .from(Entity)
                    .and_where(Column::State.eq(PROPOSED))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    if pays.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::State.eq(PROPOSED))
        .filter(Column::PaymentId.is_in(pays.keys().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| pays.get(&r.payment_id).map(|p| (r, p.clone())))
        .collect())
}
