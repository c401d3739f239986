//! Online payment over GraphQL: starting a payment (the applicant), a dossier's payments, the
//! settlement report and refunds (officials). Gateways call plain HTTP endpoints
//! (`startup/payments.rs`), not this schema.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use motcua_core::Lang;
use sea_orm::EntityTrait;

use super::guard::{client, principal};
use super::user_error::UserError;
use super::{db, ids, lang};
use crate::auth::now;
use crate::db::entities::{payment, payment_refund};
use crate::error::ApiError;
use crate::service::payments::{self as service, Gateways, Provider, reconcile, refund};

/// A payment gateway.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PaymentProvider {
    /// The national payment platform (PayGov-style).
    Paygov,
    /// The VNPay-style gateway.
    Vnpay,
}

impl From<PaymentProvider> for Provider {
    fn from(p: PaymentProvider) -> Self {
        match p {
            PaymentProvider::Paygov => Self::Paygov,
            PaymentProvider::Vnpay => Self::Vnpay,
        }
    }
}

impl From<Provider> for PaymentProvider {
    fn from(p: Provider) -> Self {
        match p {
            Provider::Paygov => Self::Paygov,
            Provider::Vnpay => Self::Vnpay,
        }
    }
}

/// A configured gateway, as the portal offers it.
#[derive(SimpleObject, Debug, Clone)]
pub struct PaymentProviderInfo {
    /// Which.
    pub provider: PaymentProvider,
    /// Its name in the request's language.
    pub name: String,
}

/// One online payment of a dossier.
#[derive(SimpleObject, Debug, Clone)]
pub struct Payment {
    /// Global ID.
    pub id: ID,
    /// The order reference sent to the gateway.
    pub reference: String,
    /// The gateway.
    pub provider: PaymentProvider,
    /// VND.
    pub amount: i64,
    /// `PENDING`, `PAID`, `FAILED`, `EXPIRED` or `CANCELLED`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once paid.
    pub paid_at: Option<String>,
    /// The gateway's transaction number.
    pub gateway_transaction: Option<String>,
    /// The electronic receipt's number, once paid.
    pub receipt_number: Option<String>,
    /// Where its receipt PDF is downloaded (with the bearer token), once paid.
    pub receipt_path: Option<String>,
    /// VND refunded (approved refunds).
    pub refunded_amount: i64,
}

impl Payment {
    /// The DTO of a row.
    #[must_use]
    pub fn from_row(p: &payment::Model) -> Self {
        let id = ids::encode("Payment", &p.id.to_string());
        Self {
            receipt_path: p
                .receipt_number
                .as_ref()
                .map(|_| format!("/payments/{}/receipt", id.0)),
            id,
            reference: p.reference.clone(),
            provider: Provider::parse(&p.provider).map_or(PaymentProvider::Vnpay, Into::into),
            amount: p.amount,
            status: p.status.clone(),
            created_at: crate::clock::rfc3339(p.created_at),
            paid_at: p.paid_at.map(crate::clock::rfc3339),
            gateway_transaction: p.gateway_txn.clone(),
            receipt_number: p.receipt_number.clone(),
            refunded_amount: p.refunded_amount,
        }
    }
}

/// A refund of a payment.
#[derive(SimpleObject, Debug, Clone)]
pub struct Refund {
    /// Global ID.
    pub id: ID,
    /// The payment.
    pub payment_id: ID,
    /// VND.
    pub amount: i64,
    /// Why.
    pub reason: String,
    /// `PROPOSED`, `APPROVED` or `REJECTED`.
    pub state: String,
    /// RFC 3339.
    pub proposed_at: String,
    /// RFC 3339.
    pub decided_at: Option<String>,
    /// The leader's note.
    pub decision_note: Option<String>,
    /// The payment's order reference.
    pub payment_reference: String,
    /// The dossier paid for (global ID).
    pub dossier_id: ID,
}

impl Refund {
    fn from_row(r: &payment_refund::Model, pay: &payment::Model) -> Self {
        Self {
            id: ids::encode("Refund", &r.id.to_string()),
            payment_id: ids::encode("Payment", &r.payment_id.to_string()),
            payment_reference: pay.reference.clone(),
            dossier_id: ids::encode("Dossier", &pay.dossier_id),
            amount: r.amount,
            reason: r.reason.clone(),
            state: r.state.clone(),
            proposed_at: crate::clock::rfc3339(r.proposed_at),
            decided_at: r.decided_at.map(crate::clock::rfc3339),
            decision_note: r.decision_note.clone(),
        }
    }
}

/// One line of a settlement report.
#[derive(SimpleObject, Debug, Clone)]
pub struct SettlementLine {
    /// The payment.
    pub payment: Payment,
    /// The dossier's code.
    pub dossier_code: String,
    /// What the line is, in the request's language.
    pub explanation: String,
    /// Whether an operator must look at it.
    pub unexplained: bool,
}

/// An agency's settlement for a day.
#[derive(SimpleObject, Debug, Clone)]
pub struct SettlementReport {
    /// `YYYY-MM-DD` (Asia/Ho_Chi_Minh).
    pub date: String,
    /// Every payment started or paid that day.
    pub lines: Vec<SettlementLine>,
    /// References whose gateway reported another amount (W4).
    pub amount_alerts: Vec<String>,
    /// VND collected.
    pub collected: i64,
    /// VND refunded.
    pub refunded: i64,
    /// Lines needing an operator (0 when everything is explained).
    pub unexplained: i32,
    /// The CSV download (with the bearer token).
    pub csv_path: String,
}

/// Starting an online payment.
#[derive(InputObject, Debug)]
pub struct PayOnlineInput {
    /// The dossier.
    pub dossier_id: ID,
    /// The gateway.
    pub provider: PaymentProvider,
    /// A key the client keeps for this attempt: a retried request finds the same payment.
    pub idempotency_key: String,
}

/// What `payOnline` answers.
#[derive(SimpleObject, Debug, Default)]
pub struct PayOnlinePayload {
    /// The payment.
    pub payment: Option<Payment>,
    /// Where to send the browser (the gateway's page); empty when nothing is left to pay.
    pub redirect_url: Option<String>,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

/// A refund proposal.
#[derive(InputObject, Debug)]
pub struct ProposeRefundInput {
    /// The payment.
    pub payment_id: ID,
    /// VND.
    pub amount: i64,
    /// Why.
    pub reason: String,
}

/// A decision on a refund.
#[derive(InputObject, Debug)]
pub struct DecideRefundInput {
    /// The refund.
    pub refund_id: ID,
    /// Approve (true) or reject.
    pub approve: bool,
    /// A note.
    pub note: Option<String>,
}

/// What the refund mutations answer.
#[derive(SimpleObject, Debug, Default)]
pub struct RefundPayload {
    /// The refund.
    pub refund: Option<Refund>,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

fn gateways<'a>(ctx: &Context<'a>) -> Result<&'a Arc<Gateways>> {
    ctx.data::<Arc<Gateways>>().map_err(|_| {
        ApiError::Internal(anyhow::anyhow!("no payment gateways in the schema"))
            .into_graphql(lang(ctx))
    })
}

/// A dossier's payments (the dossier was read by someone allowed to: its fields trust it, as
/// its attachments do).
///
/// # Errors
/// A database failure.
pub async fn of_dossier(ctx: &Context<'_>, uuid: &str) -> Result<Vec<Payment>> {
    let l = lang(ctx);
    Ok(reconcile::of_dossier(db(ctx)?, uuid)
        .await
        .map_err(|e| e.into_graphql(l))?
        .iter()
        .map(Payment::from_row)
        .collect())
}

/// Payment queries.
#[derive(Default)]
pub struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// The gateways a citizen can pay through.
    async fn payment_providers(&self, ctx: &Context<'_>) -> Result<Vec<PaymentProviderInfo>> {
        let l = lang(ctx);
        Ok(gateways(ctx)?
            .available()
            .into_iter()
            .map(|p| PaymentProviderInfo {
                provider: p.into(),
                name: match l {
                    Lang::Vi => p.name_vi(),
                    Lang::En => p.name_en(),
                }
                .to_owned(),
            })
            .collect())
    }

    /// An agency's settlement for a day (its clerks, leaders, and the province's administrators).
    async fn settlement_report(
        &self,
        ctx: &Context<'_>,
        agency_id: ID,
        date: String,
    ) -> Result<SettlementReport> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let agency = ids::decode_i64(&agency_id, "Agency")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::InvalidInput("date (YYYY-MM-DD)").into_graphql(l))?;
        if !crate::startup::may_settle(p, agency) {
            return Err(ApiError::NotFound.into_graphql(l));
        }
        let s = reconcile::settlement(
            db(ctx)?,
            gateways(ctx)?.config.query_after_secs,
            agency,
            day,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(SettlementReport {
            date: day.to_string(),
            unexplained: i32::try_from(s.unexplained()).unwrap_or(i32::MAX),
            lines: s
                .lines
                .iter()
                .map(|line| SettlementLine {
                    payment: Payment::from_row(&line.payment),
                    dossier_code: line.dossier_code.clone(),
                    explanation: match l {
                        Lang::Vi => line.explanation_vi.clone(),
                        Lang::En => line.explanation_en.clone(),
                    },
                    unexplained: line.unexplained,
                })
                .collect(),
            amount_alerts: s.amount_alerts.clone(),
            collected: s.collected,
            refunded: s.refunded,
            csv_path: format!(
                "/payments/settlement.csv?agency={}&date={day}",
                agency_id.as_str()
            ),
        })
    }

    /// The refunds of a payment (officials of its agencies).
    async fn payment_refunds(&self, ctx: &Context<'_>, payment_id: ID) -> Result<Vec<Refund>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let id = ids::decode_i64(&payment_id, "Payment")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        let db = db(ctx)?;
        let pay = crate::db::entities::payment::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(|e| ApiError::from(e).into_graphql(l))?
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        if p.kind != crate::auth::AccountKind::Official {
            return Err(ApiError::NotFound.into_graphql(l));
        }
        crate::service::dossier::get(db, p, &pay.dossier_id)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(refund::of_payment(db, id)
            .await
            .map_err(|e| e.into_graphql(l))?
            .iter()
            .map(|r| Refund::from_row(r, &pay))
            .collect())
    }

    /// The refunds of an agency waiting for a leader's decision (its clerks and leaders, and
    /// the province's administrators), oldest first.
    async fn refunds_awaiting_decision(
        &self,
        ctx: &Context<'_>,
        agency_id: ID,
    ) -> Result<Vec<Refund>> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        let agency = ids::decode_i64(&agency_id, "Agency")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        if !crate::startup::may_settle(p, agency) {
            return Err(ApiError::NotFound.into_graphql(l));
        }
        Ok(refund::awaiting(db(ctx)?, agency)
            .await
            .map_err(|e| e.into_graphql(l))?
            .iter()
            .map(|(r, pay)| Refund::from_row(r, pay))
            .collect())
    }
}

/// Payment mutations.
#[derive(Default)]
pub struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// The applicant starts (or resumes) paying a dossier's fees online; the answer carries the
    /// gateway's page. Only the gateway's callback marks it paid.
    async fn pay_online(
        &self,
        ctx: &Context<'_>,
        input: PayOnlineInput,
    ) -> Result<PayOnlinePayload> {
        let l = lang(ctx);
        let id = super::dossiers::dossier_key(&input.dossier_id, l)?;
        let started = service::intent::start(
            db(ctx)?,
            gateways(ctx)?,
            principal(ctx)?,
            &id,
            input.provider.into(),
            &input.idempotency_key,
            &client(ctx).ip,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(match started {
            Ok(s) => PayOnlinePayload {
                payment: Some(Payment::from_row(&s.payment)),
                redirect_url: Some(s.redirect_url).filter(|u| !u.is_empty()),
                user_errors: Vec::new(),
            },
            Err(problems) => PayOnlinePayload {
                user_errors: UserError::list(problems, l),
                ..PayOnlinePayload::default()
            },
        })
    }

    /// A clerk proposes a refund of a payment (a leader decides).
    async fn propose_refund(
        &self,
        ctx: &Context<'_>,
        input: ProposeRefundInput,
    ) -> Result<RefundPayload> {
        let l = lang(ctx);
        let id = ids::decode_i64(&input.payment_id, "Payment")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        let out = refund::propose(db(ctx)?, principal(ctx)?, id, input.amount, &input.reason)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(refund_payload(out, l))
    }

    /// A leader, not the proposer, approves or rejects a refund.
    async fn decide_refund(
        &self,
        ctx: &Context<'_>,
        input: DecideRefundInput,
    ) -> Result<RefundPayload> {
        let l = lang(ctx);
        let id = ids::decode_i64(&input.refund_id, "Refund")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        let out = refund::decide(
            db(ctx)?,
            principal(ctx)?,
            id,
            input.approve,
            input.note.as_deref(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(refund_payload(out, l))
    }
}

fn refund_payload(
    out: crate::service::problem::Outcome<(payment_refund::Model, payment::Model)>,
    l: Lang,
) -> RefundPayload {
    match out {
        Ok((r, pay)) => RefundPayload {
            refund: Some(Refund::from_row(&r, &pay)),
            user_errors: Vec::new(),
        },
        Err(problems) => RefundPayload {
            refund: None,
            user_errors: UserError::list(problems, l),
        },
    }
}
