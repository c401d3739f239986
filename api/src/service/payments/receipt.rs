//! The electronic receipt (biên lai điện tử) of a paid payment, as PDF: for whoever may see the
//! dossier (its applicant, the officials of its agencies); the read is audited like a form's.

use sea_orm::{DatabaseConnection, EntityTrait};
use serde_json::Value;

use super::super::cache::FilingCache;
use super::super::forms::{self, DossierFacts, ReceiptFacts, ReceiptLine};
use super::super::printing::{letterhead, moment};
use super::{Provider, status};
use crate::auth::Principal;
use crate::db::entities::payment;
use crate::error::ApiError;

/// The receipt of payment `id` and its file name.
///
/// # Errors
/// `NOT_FOUND` (no such payment for the caller, or not paid), a database or rendering failure.
pub async fn render(
    db: &DatabaseConnection,
    cache: &FilingCache,
    public_url: &str,
    p: &Principal,
    id: i64,
) -> Result<(Vec<u8>, String), ApiError> {
    let pay = payment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    // The dossier's access rule decides (an unknown dossier and a foreign one look the same).
    let (d, _) = super::super::dossier::read(db, p, &pay.dossier_id, "RECEIPT").await?;
    let (Some(number), Some(paid_at)) = (pay.receipt_number.clone(), pay.paid_at) else {
        return Err(ApiError::NotFound);
    };
    if pay.status != status::PAID {
        return Err(ApiError::NotFound);
    }
    let procedure = cache.version(db, d.procedure_version_id).await?;
    let agencies = cache.agencies(db).await?;
    let head = letterhead(&agencies, pay.agency_id);
    let code = d.code.clone().unwrap_or_default();
    let facts = DossierFacts {
        code: code.clone(),
        procedure_name: procedure.name.vi.clone(),
        applicant_name: d.applicant_name.clone(),
        applicant_id_number: d.applicant_id_number.clone(),
        lookup_url: format!("{public_url}/tra-cuu?ma={code}"),
        fee_total: pay.amount,
        ..DossierFacts::default()
    };
    let lines: Vec<ReceiptLine> = super::reconcile::lines_of(&pay)
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| {
                    let text = |k: &str| {
                        l.get(k)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    ReceiptLine {
                        name: text("name_vi"),
                        legal_basis: text("legal_basis"),
                        amount: l.get("amount").and_then(Value::as_i64).unwrap_or(0),
                    }
                })
                .filter(|l| l.amount > 0)
                .collect()
        })
        .unwrap_or_default();
    let receipt = ReceiptFacts {
        number: number.clone(),
        payer: pay.payer_name.clone(),
        gateway: Provider::parse(&pay.provider)
            .map(Provider::name_vi)
            .unwrap_or_default()
            .to_owned(),
        transaction: pay.gateway_txn.clone().unwrap_or_default(),
        paid_at: moment(paid_at),
        total: pay.amount,
        total_words: motcua_core::payment::words::vnd(pay.amount),
        lines,
    };
    let pdf = tokio::task::spawn_blocking(move || forms::e_receipt(&head, &facts, &receipt))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("receipt: {e}")))?;
    Ok((pdf, format!("bien-lai-{number}.pdf")))
}
