//! Processing mutations: start, hand over, payment, result, return, withdrawal, stop,
//! re-dating — each one `act` of the dossier service.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::super::{ids, lang};
use super::*;
use crate::error::ApiError;
use crate::service::dossier::{self as dossiers, Act, ReturnMethod};

/// A hand-over to another official or agency (liên thông).
#[derive(InputObject, Debug)]
pub struct HandOverInput {
    /// The receiving official (a specialist or leader).
    pub to_user_id: Option<ID>,
    /// The receiving agency (default: the official's).
    pub to_agency_id: Option<ID>,
    /// The step's deadline in working days from now (default: the dossier's due date).
    pub step_working_days: Option<i32>,
    /// What this step did (form 06's result column).
    pub result: Option<String>,
    /// A note for the receiver.
    pub note: Option<String>,
}

/// Processing mutations: start, hand over, payment, result, return, withdrawal, stop, re-dating.
#[derive(Default)]
pub struct ProcessingMutation;

#[Object]
impl ProcessingMutation {
    /// A specialist of the agency holding the dossier starts processing a received dossier.
    async fn start_processing(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::StartProcessing).await
    }

    /// Hands the dossier to another official or agency, with a step deadline; each hand-over is a
    /// row of the control sheet (form 06).
    async fn hand_over_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        input: HandOverInput,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let to_user_id = input
            .to_user_id
            .as_ref()
            .map(|u| ids::decode_i64(u, "User").ok_or_else(|| ApiError::NotFound.into_graphql(l)))
            .transpose()?;
        let to_agency_id = agency_key(input.to_agency_id.as_ref(), l)?;
        let step_working_days = input
            .step_working_days
            .map(|d| {
                u32::try_from(d)
                    .map_err(|_| ApiError::InvalidInput("stepWorkingDays").into_graphql(l))
            })
            .transpose()?;
        let h = dossiers::HandOver {
            to_user_id,
            to_agency_id,
            step_working_days,
            result: input.result,
            note: input.note,
        };
        act(ctx, &id, version, Act::HandOver(h)).await
    }

    /// A specialist asks the applicant to pay the quoted fees; the clock stops until paid.
    async fn request_payment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::RequestPayment).await
    }

    /// A clerk of the receiving unit records a payment made at the desk (the amount asked for,
    /// with the receipt number); processing continues and the due date moves by the pause.
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        amount: i64,
        receipt_number: String,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::RecordPayment {
                amount,
                receipt_number,
            },
        )
        .await
    }

    /// The leader approves the result, with the electronic result file when there is one (an
    /// attachment of this dossier uploaded with component `KET_QUA`).
    async fn resolve_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        result_attachment_id: Option<ID>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::Resolve {
                result_attachment_id: result_attachment_id.map(|a| a.0),
            },
        )
        .await
    }

    /// A clerk of the receiving unit delivers the result: online (download), at the desk, or by
    /// post (with the tracking number).
    async fn return_result(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        method: Option<ResultDelivery>,
        tracking_number: Option<String>,
    ) -> Result<DossierPayload> {
        let method = ReturnMethod::from(method.unwrap_or(ResultDelivery::Desk));
        act(
            ctx,
            &id,
            version,
            Act::ReturnResult {
                method,
                tracking_number,
            },
        )
        .await
    }

    /// The applicant withdraws the dossier, with a reason.
    async fn withdraw_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Withdraw { reason }).await
    }

    /// The leader stops processing, with a reason.
    async fn stop_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Stop { reason }).await
    }

    /// The leader apologises to the applicant and sets a new due date, once per dossier (form
    /// 04). `newDueAt` is RFC 3339, or `YYYY-MM-DD` for 17:00 that day.
    async fn apologize_and_redate(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
        new_due_at: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Redate { reason, new_due_at }).await
    }
}
