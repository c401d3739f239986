//! Drafts, filing with an idempotency key, attachments and intake.

use async_graphql::{Context, ID, Json, Object, Result, Upload};
use motcua_core::fee::Channel;
use serde_json::Value;
use std::io::Read;

use super::super::guard::principal;
use super::super::user_error::UserError;
use super::super::{db, lang};
use super::*;
use crate::error::ApiError;
use crate::service::attachments::{self};
use crate::service::dossier::{self as dossiers, Act, SubmitInput};

/// What `submitDossier` costs in the complexity budget (validation, fee, deadline, a transaction).
const SUBMIT_COST: usize = 50;

/// Dossier mutations.
#[derive(Default)]
pub struct DossiersMutation;

#[Object]
impl DossiersMutation {
    /// Starts a draft (applicants), prefilled from the profile.
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        procedure_code: String,
        dossier_id: Option<String>,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let out = dossiers::create_draft(
            db(ctx)?,
            cache(ctx)?,
            principal(ctx)?,
            &procedure_code,
            dossier_id.as_deref(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(DossierPayload::answer(out, l))
    }

    /// Saves a draft's form data; `version` is the draft's current version (`CONFLICT` otherwise).
    async fn save_draft(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        form_data: Json<Value>,
    ) -> Result<DossierPayload> {
        let l = lang(ctx);
        let key = dossier_key(&id, l)?;
        let d = dossiers::save_draft(db(ctx)?, principal(ctx)?, &key, version, &form_data.0)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(DossierPayload::answer(Ok(d), l))
    }

    /// Files a dossier (an applicant online, or a clerk at the desk / by post on behalf of a
    /// person). `idempotencyKey` is required: the same key with the same input returns the
    /// original receipt; with another input `IDEMPOTENCY_KEY_REUSED`. Keys are per account and
    /// kept at least 30 days.
    #[graphql(complexity = "SUBMIT_COST + child_complexity")]
    async fn submit_dossier(
        &self,
        ctx: &Context<'_>,
        input: SubmitDossierInput,
        idempotency_key: String,
    ) -> Result<SubmitDossierPayload> {
        let l = lang(ctx);
        let receiving = agency_key(input.receiving_agency_id.as_ref(), l)?;
        let competent = agency_key(input.competent_agency_id.as_ref(), l)?;
        let submit = SubmitInput {
            dossier_id: input.dossier_id,
            procedure_code: input.procedure_code,
            receiving_agency_id: receiving,
            competent_agency_id: competent,
            channel: input.channel.map(|c| match c {
                FilingChannel::InPerson => Channel::InPerson,
                FilingChannel::Postal => Channel::Postal,
            }),
            form_data: input.form_data.0,
            postal_tracking_number: input.postal_tracking_number,
        };
        let writer = ctx
            .data::<crate::service::dossier::Writer>()
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("no writer")).into_graphql(l))?;
        let out = dossiers::submit(
            db(ctx)?,
            writer,
            cache(ctx)?,
            principal(ctx)?,
            &submit,
            &idempotency_key,
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(match out {
            Ok(r) => SubmitDossierPayload {
                receipt: Some(r.into()),
                user_errors: Vec::new(),
            },
            Err(p) => SubmitDossierPayload {
                receipt: None,
                user_errors: UserError::list(p, l),
            },
        })
    }

    /// Uploads a PDF, JPEG or PNG (≤ 10 MB) for a dossier component (multipart request with the
    /// `x-motcua-upload: 1` header). Image metadata is removed; the SHA-256 is recorded.
    async fn upload_attachment(
        &self,
        ctx: &Context<'_>,
        dossier_id: ID,
        component_id: String,
        file: Upload,
    ) -> Result<AttachmentPayload> {
        let l = lang(ctx);
        let key = dossier_key(&dossier_id, l)?;
        let value = file
            .value(ctx)
            .map_err(|e| ApiError::Internal(e.into()).into_graphql(l))?;
        let mut bytes = Vec::new();
        value
            .into_read()
            .take(u64::try_from(attachments::MAX_FILE).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ApiError::Internal(e.into()).into_graphql(l))?;
        let filename = file.value(ctx).map(|v| v.filename).unwrap_or_default();
        let out = attachments::upload(
            db(ctx)?,
            cache(ctx)?,
            storage(ctx)?,
            principal(ctx)?,
            &key,
            &component_id,
            (&filename, &bytes),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(AttachmentPayload::answer(out, l))
    }

    /// Attaches one of the caller's earlier documents (from `myDocuments`) without uploading it.
    async fn attach_document(
        &self,
        ctx: &Context<'_>,
        dossier_id: ID,
        component_id: String,
        document_id: ID,
    ) -> Result<AttachmentPayload> {
        let l = lang(ctx);
        let key = dossier_key(&dossier_id, l)?;
        let out = attachments::reuse(
            db(ctx)?,
            cache(ctx)?,
            principal(ctx)?,
            &key,
            &component_id,
            &document_id,
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(AttachmentPayload::answer(out, l))
    }

    /// Intake: accept the dossier (clerk of the receiving unit); the due date is fixed with the
    /// working calendar and the procedure's processing time for its channel.
    async fn receive_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Receive).await
    }

    /// Intake: refuse with a reason.
    async fn refuse_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
    ) -> Result<DossierPayload> {
        act(ctx, &id, version, Act::Refuse { reason }).await
    }

    /// Ask the applicant, once, for everything missing (`missing` lists each document or field).
    async fn request_supplement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        reason: String,
        missing: Vec<String>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::RequestSupplement { reason, missing },
        )
        .await
    }

    /// The applicant (or the clerk at the desk) supplies what was asked; the form may be
    /// corrected (validated again). The dossier goes back to the clerk's queue.
    async fn supplement_dossier(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i64,
        form_data: Option<Json<Value>>,
    ) -> Result<DossierPayload> {
        act(
            ctx,
            &id,
            version,
            Act::Supplement {
                form_data: form_data.map(|j| j.0),
            },
        )
        .await
    }
}
