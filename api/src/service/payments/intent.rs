//! Starting an online payment for a dossier: by its applicant, for the amount of the dossier's
//! quote (the one the phone showed, online reductions applied), one open intent per dossier, and
//! idempotent by the client's key (a retried tap finds the same intent).

use crate::service::sql::is_unique_violation;
use motcua_core::payment::{Unpayable, amount_due, payable};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::Value;

use super::super::dossier::rules::status_of;
use super::super::problem::{Outcome, Problem};
use super::super::sql::statement;
use super::{Gateways, Provider, VALID_SECS, status};
use crate::auth::Principal;
use crate::db::entities::dossier;
use crate::db::entities::payment::{self, Column, Entity, Model};
use crate::error::ApiError;

/// A started payment and where to send the browser.
#[derive(Debug, Clone)]
pub struct Started {
    /// The intent.
    pub payment: Model,
    /// The gateway's payment page.
    pub redirect_url: String,
}

fn problem(code: &str, vi: &str, en: &str) -> Vec<Problem> {
    vec![Problem::new(&["input"], code, vi, en)]
}

/// A new order reference: `MC` and 16 random digits (what both gateways accept).
fn new_reference() -> Result<String, ApiError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(format!(
        "MC{:016}",
        u64::from_le_bytes(bytes) % 10_000_000_000_000_000
    ))
}

/// Whether `d` can be paid online now, by the core's rule.
///
/// # Errors
/// A corrupt status.
fn check(d: &dossier::Model) -> Result<Result<(), Unpayable>, ApiError> {
    Ok(payable(
        status_of(d)?,
        d.paid_at.is_some(),
        amount_due(d.payment_amount, d.fee_total),
    ))
}

/// The gateway page for an existing intent.
async fn redirect(
    gw: &Gateways,
    p: &Model,
    code: &str,
    client_ip: &str,
    now: i64,
) -> Result<Outcome<String>, ApiError> {
    let info = format!("Thanh toan phi ho so {code}");
    let provider = Provider::parse(&p.provider)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("stored provider {}", p.provider)))?;
    let Some(g) = gw.get(provider) else {
        return Ok(Err(unavailable()));
    };
    match provider {
        Provider::Vnpay => Ok(Ok(Gateways::vnpay_url(
            g,
            &p.reference,
            p.amount,
            &info,
            &format!("{}/payments/vnpay/return", gw.public_api),
            client_ip,
            now,
        ))),
        Provider::Paygov => match gw.paygov_init(&p.reference, p.amount, &info, now).await {
            Ok(url) => Ok(Ok(url)),
            Err(e) => {
                tracing::warn!(error = %e, reference = %p.reference, "payment INIT failed");
                Ok(Err(problem(
                    "GATEWAY_UNAVAILABLE",
                    "Cổng thanh toán đang không phản hồi. Vui lòng thử lại sau ít phút.",
                    "The payment gateway is not answering. Please try again in a few minutes.",
                )))
            }
        },
    }
}

fn unavailable() -> Vec<Problem> {
    vec![Problem::new(
        &["input", "provider"],
        "PROVIDER_UNAVAILABLE",
        "Cổng thanh toán này chưa được cấu hình.",
        "This payment gateway is not configured.",
    )]
}

/// Starts (or resumes) paying dossier `dossier_id` through `provider`.
///
/// # Errors
/// `NOT_FOUND` (no such dossier for the caller), a database failure.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    db: &DatabaseConnection,
    gw: &Gateways,
    p: &Principal,
    dossier_id: &str,
    provider: Provider,
    key: &str,
    client_ip: &str,
    now: i64,
) -> Result<Outcome<Started>, ApiError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 100 || key.chars().any(char::is_control) {
        return Ok(Err(vec![Problem::new(
            &["input", "idempotencyKey"],
            "INVALID_IDEMPOTENCY_KEY",
            "Khoá chống gửi lặp phải có từ 1 đến 100 ký tự.",
            "The idempotency key must be 1 to 100 characters.",
        )]));
    }
    if gw.get(provider).is_none() {
        return Ok(Err(unavailable()));
    }
    let (d, _) = super::super::dossier::read(db, p, dossier_id, "PAY").await?;
    // Officials may see the dossier, but only its applicant pays online.
    if d.applicant_user_id != Some(p.user_id) {
        return Ok(Err(problem(
            "NOT_APPLICANT",
            "Chỉ người nộp hồ sơ mới thanh toán trực tuyến được.",
            "Only the applicant can pay online.",
        )));
    }
    let code = d.code.clone().unwrap_or_default();
    let answer = |payment: Model, url: Outcome<String>| {
        url.map(|redirect_url| Started {
            payment,
            redirect_url,
        })
    };
    // A retried request: the same intent, whatever happened since.
    if let Some(earlier) = Entity::find()
        .filter(Column::CreatedBy.eq(p.user_id))
        .filter(Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    {
        if earlier.dossier_id != d.id {
            return Ok(Err(vec![Problem::new(
                &["input", "idempotencyKey"],
                "IDEMPOTENCY_KEY_REUSED",
                "Khoá chống gửi lặp đã dùng cho hồ sơ khác.",
                "This idempotency key was used for another dossier.",
            )]));
        }
        if earlier.status != status::PENDING {
            return Ok(Ok(Started {
                payment: earlier,
                redirect_url: String::new(),
            }));
        }
        let url = redirect(gw, &earlier, &code, client_ip, now).await?;
        return Ok(answer(earlier, url));
    }
    if let Err(why) = check(&d)? {
        return Ok(Err(vec![Problem::from_core(&["input", "dossierId"], &why)]));
    }
    let open = Entity::find()
        .filter(Column::OpenDossierId.eq(d.id.as_str()))
        .one(db)
        .await?;
    if let Some(open) = open {
        if open.provider == provider.as_str() && now - open.created_at < VALID_SECS {
            let url = redirect(gw, &open, &code, client_ip, now).await?;
            return Ok(answer(open, url));
        }
        // Another gateway, or a page that has expired: the old intent is closed. Should its
        // gateway still confirm it, the payment is kept and reported as a duplicate to refund.
        db.execute_raw(statement(
            db,
            "UPDATE payments SET status = ?, open_dossier_id = NULL, updated_at = ? \
             WHERE id = ? AND status = ?",
            vec![
                status::CANCELLED.into(),
                now.into(),
                open.id.into(),
                status::PENDING.into(),
            ],
        ))
        .await?;
    }
    let lines = d
        .fee_quote
        .as_deref()
        .and_then(|q| serde_json::from_str::<Value>(q).ok())
        .and_then(|q| q.get("details").cloned())
        .unwrap_or(Value::Array(Vec::new()));
    let row = payment::ActiveModel {
        reference: Set(new_reference()?),
        dossier_id: Set(d.id.clone()),
        open_dossier_id: Set(Some(d.id.clone())),
        agency_id: Set(d.competent_agency_id),
        provider: Set(provider.as_str().to_owned()),
        amount: Set(amount_due(d.payment_amount, d.fee_total)),
        lines: Set(lines.to_string()),
        status: Set(status::PENDING.to_owned()),
        payer_name: Set(d.applicant_name.clone()),
        created_by: Set(p.user_id),
        idempotency_key: Set(key.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        next_query_at: Set(Some(now + gw.config.query_after_secs)),
        query_count: Set(0),
        refunded_amount: Set(0),
        ..Default::default()
    };
    let created = match row.insert(db).await {
        Ok(m) => m,
        Err(e) if is_unique_violation(&e) => {
            // A concurrent start (another tab, another instance) opened one first.
            let Some(open) = Entity::find()
                .filter(Column::OpenDossierId.eq(d.id.as_str()))
                .one(db)
                .await?
            else {
                return Err(ApiError::Conflict {
                    current_version: None,
                });
            };
            open
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        payment = created.id,
        provider = provider.as_str(),
        amount = created.amount,
        "payment started"
    );
    let url = redirect(gw, &created, &code, client_ip, now).await?;
    Ok(answer(created, url))
}
