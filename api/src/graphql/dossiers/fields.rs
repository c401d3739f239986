//! The fields of a dossier that are resolved on demand: its agencies, legal forms, control
//! sheet, due-date explanation, history and attachments, each through the services.

use async_graphql::{ComplexObject, Context, Result};
use motcua_core::Lang;
use serde_json::Value;

use super::super::agencies::Agency;
use super::super::guard::principal;
use super::super::{db, lang};
use super::*;
use crate::service::attachments::{self};
use crate::service::dossier::{self as dossiers};

#[ComplexObject]
impl DossierEvent {
    /// The status after, in the request's language (what a timeline shows).
    async fn to_status_name(&self, ctx: &Context<'_>) -> String {
        self.to_status.name(lang(ctx)).to_owned()
    }
}

#[ComplexObject]
impl Dossier {
    /// The status in the request's language.
    async fn status_name(&self, ctx: &Context<'_>) -> String {
        self.status.name(lang(ctx)).to_owned()
    }

    /// The unit it was filed to.
    async fn receiving_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        super::super::agencies::load(ctx, self.receiving_agency_id).await
    }

    /// The agency competent to process it.
    async fn competent_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        super::super::agencies::load(ctx, self.competent_agency_id).await
    }

    /// The agency holding it now (liên thông); the competent agency until handed over.
    async fn handling_agency(&self, ctx: &Context<'_>) -> Result<Agency> {
        super::super::agencies::load(ctx, self.handling_agency_id).await
    }

    /// The legal forms that exist for it so far (01, 02, 03, 04, 06), as PDF downloads.
    async fn forms(&self, ctx: &Context<'_>) -> Result<Vec<PrintableForm>> {
        use crate::service::printing::{FormKind, available};
        let l = lang(ctx);
        let history = dossiers::history_of(db(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(FormKind::ALL
            .into_iter()
            .filter(|k| available(&history, *k))
            .map(|k| PrintableForm {
                number: k.number().to_owned(),
                title: k.title().to_owned(),
                download_path: format!("/dossiers/{}/forms/{}.pdf", self.uuid, k.number()),
            })
            .collect())
    }

    /// Its satisfaction survey, once its applicant has answered.
    async fn satisfaction(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<super::super::satisfaction::SatisfactionSurvey>> {
        let l = lang(ctx);
        Ok(
            crate::service::satisfaction::of_dossier(db(ctx)?, &self.uuid)
                .await
                .map_err(|e| e.into_graphql(l))?
                .as_ref()
                .map(super::super::satisfaction::SatisfactionSurvey::from_row),
        )
    }

    /// Whether the caller is its applicant and may rate it now (finished, not rated yet).
    async fn can_rate(&self, ctx: &Context<'_>) -> Result<bool> {
        let l = lang(ctx);
        let p = principal(ctx)?;
        if self.applicant_user_id != Some(p.user_id)
            || !motcua_core::kpi::survey::rateable(self.status.into())
        {
            return Ok(false);
        }
        Ok(
            crate::service::satisfaction::of_dossier(db(ctx)?, &self.uuid)
                .await
                .map_err(|e| e.into_graphql(l))?
                .is_none(),
        )
    }

    /// Its online payments, newest first.
    async fn payments(&self, ctx: &Context<'_>) -> Result<Vec<super::super::payments::Payment>> {
        super::super::payments::of_dossier(ctx, &self.uuid).await
    }

    /// Whether its applicant can pay it online now (fees due, not paid, not closed).
    async fn can_pay_online(&self) -> bool {
        // The core's rule (the one `payOnline` applies), on the fields already read.
        motcua_core::payment::payable(
            self.status.into(),
            self.paid_at.is_some(),
            motcua_core::payment::amount_due(self.payment_amount, self.fee_total),
        )
        .is_ok()
    }

    /// VND to pay: the amount asked for when payment was requested, else the quote at
    /// submission (what `payOnline` charges).
    async fn amount_due(&self) -> i64 {
        motcua_core::payment::amount_due(self.payment_amount, self.fee_total)
    }

    /// The control sheet (form 06): every hand-over, oldest first.
    async fn control_sheet(&self, ctx: &Context<'_>) -> Result<Vec<ControlStep>> {
        let l = lang(ctx);
        let db = db(ctx)?;
        let (_, access) = dossiers::get(db, principal(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(dossiers::steps_for(db, access, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(|s| ControlStep::from_row(s, l))
            .collect())
    }

    /// How the due date was reached (after intake).
    async fn due_explanation(&self, ctx: &Context<'_>) -> Option<DueExplanation> {
        let l = lang(ctx);
        let v: Value = serde_json::from_str(self.due_detail.as_deref()?).ok()?;
        Some(DueExplanation {
            due_at: self.due_at.clone()?,
            counting_from: v.pointer("/countingFrom")?.as_str()?.to_owned(),
            duration_value: v.pointer("/duration/value")?.as_i64()?,
            duration_unit: v.pointer("/duration/unit")?.as_str()?.to_owned(),
            skipped_days: v
                .pointer("/skipped")?
                .as_array()?
                .iter()
                .filter_map(|s| {
                    Some(SkippedDay {
                        date: s.get("date")?.as_str()?.to_owned(),
                        reason: s
                            .get(if l == Lang::En { "en" } else { "vi" })?
                            .as_str()?
                            .to_owned(),
                    })
                })
                .collect(),
            paused_seconds: v
                .pointer("/pausedSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        })
    }

    /// Every transition, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<DossierEvent>> {
        let l = lang(ctx);
        let db = db(ctx)?;
        let (_, access) = dossiers::get(db, principal(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(dossiers::history_for(db, access, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(DossierEvent::from)
            .collect())
    }

    /// The attached files.
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<Attachment>> {
        let l = lang(ctx);
        Ok(attachments::of_dossier(db(ctx)?, &self.uuid)
            .await
            .map_err(|e| e.into_graphql(l))?
            .into_iter()
            .map(Attachment::from)
            .collect())
    }
}
