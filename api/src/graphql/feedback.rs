//! Complaints and feedback (PAKN) over GraphQL: anyone files one (signed in, or with a name and a
//! contact); the agency's officials see their queue, answer, and publish; everyone reads what is
//! published, without personal data.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use motcua_core::feedback::About;

use super::guard::{client, principal};
use super::user_error::UserError;
use super::{db, ids, lang};
use crate::auth::{Principal, now};
use crate::db::entities::feedback as row;
use crate::error::ApiError;
use crate::service::feedback as service;

/// What a complaint or feedback is about.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum FeedbackAbout {
    /// A dossier (its code in `reference`).
    Dossier,
    /// A procedure (its code).
    Procedure,
    /// An official's conduct (who, in `reference`).
    Official,
    /// Anything else.
    Other,
}

impl From<FeedbackAbout> for About {
    fn from(a: FeedbackAbout) -> Self {
        match a {
            FeedbackAbout::Dossier => Self::Dossier,
            FeedbackAbout::Procedure => Self::Procedure,
            FeedbackAbout::Official => Self::Official,
            FeedbackAbout::Other => Self::Other,
        }
    }
}

/// A complaint or feedback, as its author and the agency see it.
#[derive(SimpleObject, Debug, Clone)]
pub struct Feedback {
    /// Global ID.
    pub id: ID,
    /// `PA` and its number, what the author quotes.
    pub code: String,
    /// `DOSSIER`, `PROCEDURE`, `OFFICIAL` or `OTHER`.
    pub about: String,
    /// The dossier's or procedure's code, or who.
    pub reference: String,
    /// The agency it was routed to.
    pub agency_id: ID,
    /// Subject.
    pub subject: String,
    /// Content.
    pub content: String,
    /// The author's name.
    pub name: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// `RECEIVED`, `INFO_REQUESTED`, `ANSWERED`, `PUBLISHED` or `REFUSED`.
    pub status: String,
    /// RFC 3339.
    pub received_at: String,
    /// Refuse by (2 working days).
    pub refuse_by: String,
    /// Ask for information by (5 working days).
    pub request_info_by: String,
    /// Answer by (15 working days).
    pub resolve_by: String,
    /// The answer.
    pub answer: Option<String>,
    /// RFC 3339.
    pub answered_at: Option<String>,
    /// Publish by (2 working days after the answer).
    pub publish_by: Option<String>,
    /// RFC 3339.
    pub published_at: Option<String>,
    /// Why it was refused.
    pub refusal_reason: Option<String>,
    /// What the agency asked the author.
    pub info_request: Option<String>,
    /// The author's reply.
    pub info_reply: Option<String>,
    /// The author's rating of the answer.
    pub rating: Option<super::satisfaction::SatisfactionAnswer>,
    /// Against its next deadline (the answer while waiting, publication once answered): on
    /// track, due within one working day, or overdue — the core's rule, as for dossiers.
    pub deadline_state: super::dossiers::DeadlineState,
}

/// Now and the end of the next working day, for the deadline marks.
type Marks = (
    chrono::DateTime<chrono::FixedOffset>,
    chrono::DateTime<chrono::FixedOffset>,
);

async fn marks(ctx: &Context<'_>) -> Result<Marks> {
    let l = lang(ctx);
    let calendar = super::dossiers::cache(ctx)?
        .calendar(db(ctx)?)
        .await
        .map_err(|e| e.into_graphql(l))?;
    let now = crate::clock::vn(now());
    let horizon = motcua_core::deadline::after_working_days(now, 1, &calendar)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")).into_graphql(l))?;
    Ok((now, horizon))
}

impl Feedback {
    fn from_row(m: &row::Model, (now, horizon): Marks) -> Self {
        let next = match m.status.as_str() {
            service::RECEIVED => Some(m.resolve_by),
            service::ANSWERED => m.publish_by,
            _ => None,
        };
        let deadline_state = next
            .map_or(motcua_core::deadline::DeadlineState::OnTrack, |due| {
                motcua_core::deadline::DeadlineState::of(crate::clock::vn(due), now, horizon)
            })
            .into();
        use crate::clock::rfc3339;
        Self {
            id: ids::encode("Feedback", &m.id.to_string()),
            code: format!("PA{:08}", m.id),
            about: m.about.clone(),
            reference: m.reference.clone(),
            agency_id: ids::encode("Agency", &m.agency_id.to_string()),
            subject: m.subject.clone(),
            content: m.content.clone(),
            name: m.name.clone(),
            phone: m.phone.clone(),
            email: m.email.clone(),
            status: m.status.clone(),
            received_at: rfc3339(m.received_at),
            refuse_by: rfc3339(m.refuse_by),
            request_info_by: rfc3339(m.info_by),
            resolve_by: rfc3339(m.resolve_by),
            answer: m.answer.clone(),
            answered_at: m.answered_at.map(rfc3339),
            publish_by: m.publish_by.map(rfc3339),
            published_at: m.published_at.map(rfc3339),
            refusal_reason: m.refusal_reason.clone(),
            info_request: m.info_request.clone(),
            info_reply: m.info_reply.clone(),
            rating: m
                .rating
                .as_deref()
                .map(super::satisfaction::SatisfactionAnswer::stored),
            deadline_state,
        }
    }
}

/// A published answer, without personal data.
#[derive(SimpleObject, Debug, Clone)]
pub struct PublishedFeedback {
    /// Global ID.
    pub id: ID,
    /// What it was about.
    pub about: String,
    /// The agency that answered.
    pub agency_id: ID,
    /// RFC 3339.
    pub published_at: String,
    /// The question and the answer, personal data removed.
    pub text: String,
}

/// Filing a complaint or feedback.
#[derive(InputObject, Debug)]
pub struct SubmitFeedbackInput {
    /// What it is about.
    pub about: FeedbackAbout,
    /// The dossier's or procedure's code, or who (not needed for `OTHER`).
    pub reference: Option<String>,
    /// The agency (not needed for a dossier: its own agency answers).
    pub agency_id: Option<ID>,
    /// Subject (5–200 characters).
    pub subject: String,
    /// What happened and what is asked (20–5,000 characters).
    pub content: String,
    /// The author's name.
    pub name: String,
    /// A phone to answer to (without an account: a phone or an e-mail).
    pub phone: Option<String>,
    /// An e-mail to answer to.
    pub email: Option<String>,
}

/// What the feedback mutations answer.
#[derive(SimpleObject, Debug, Default)]
pub struct FeedbackPayload {
    /// The filing.
    pub feedback: Option<Feedback>,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

fn payload(
    out: crate::service::problem::Outcome<row::Model>,
    l: motcua_core::Lang,
    marks: Marks,
) -> FeedbackPayload {
    match out {
        Ok(m) => FeedbackPayload {
            feedback: Some(Feedback::from_row(&m, marks)),
            user_errors: Vec::new(),
        },
        Err(problems) => FeedbackPayload {
            feedback: None,
            user_errors: UserError::list(problems, l),
        },
    }
}

fn feedback_id(id: &ID, l: motcua_core::Lang) -> Result<i64> {
    ids::decode_i64(id, "Feedback").ok_or_else(|| ApiError::NotFound.into_graphql(l))
}

/// Feedback queries.
#[derive(Default)]
pub struct FeedbackQuery;

#[Object]
impl FeedbackQuery {
    /// An agency's complaints and feedback, oldest deadline first (its officials).
    async fn feedback_queue(&self, ctx: &Context<'_>, agency_id: ID) -> Result<Vec<Feedback>> {
        let l = lang(ctx);
        let agency = ids::decode_i64(&agency_id, "Agency")
            .ok_or_else(|| ApiError::NotFound.into_graphql(l))?;
        let rows = service::queue(db(ctx)?, principal(ctx)?, agency)
            .await
            .map_err(|e| e.into_graphql(l))?;
        let m = marks(ctx).await?;
        Ok(rows.iter().map(|r| Feedback::from_row(r, m)).collect())
    }

    /// The caller's own complaints and feedback, newest first.
    async fn my_feedback(&self, ctx: &Context<'_>) -> Result<Vec<Feedback>> {
        let l = lang(ctx);
        let rows = service::mine(db(ctx)?, principal(ctx)?)
            .await
            .map_err(|e| e.into_graphql(l))?;
        let m = marks(ctx).await?;
        Ok(rows.iter().map(|r| Feedback::from_row(r, m)).collect())
    }

    /// Published answers, newest first (public; no personal data).
    async fn published_feedback(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> Result<Vec<PublishedFeedback>> {
        let l = lang(ctx);
        let first = u64::try_from(first.unwrap_or(20).clamp(1, 100)).unwrap_or(20);
        Ok(service::published(db(ctx)?, first)
            .await
            .map_err(|e| e.into_graphql(l))?
            .iter()
            .map(|m| PublishedFeedback {
                id: ids::encode("Feedback", &m.id.to_string()),
                about: m.about.clone(),
                agency_id: ids::encode("Agency", &m.agency_id.to_string()),
                published_at: m
                    .published_at
                    .map(crate::clock::rfc3339)
                    .unwrap_or_default(),
                text: m.public_text.clone().unwrap_or_default(),
            })
            .collect())
    }
}

/// Feedback mutations.
#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Files a complaint or feedback: signed in, or with a name and a phone or e-mail. Routed to
    /// a dossier's own agency, or to the agency chosen; deadlines counted in working days.
    async fn submit_feedback(
        &self,
        ctx: &Context<'_>,
        input: SubmitFeedbackInput,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let p: Option<&Principal> = ctx.data_opt::<Principal>();
        let new = service::NewFeedback {
            about: input.about.into(),
            reference: input.reference.unwrap_or_default(),
            agency_id: input
                .agency_id
                .as_ref()
                .and_then(|a| ids::decode_i64(a, "Agency")),
            subject: input.subject,
            content: input.content,
            name: input.name,
            phone: input.phone.unwrap_or_default(),
            email: input.email.unwrap_or_default(),
        };
        let out = service::submit(
            db(ctx)?,
            super::dossiers::cache(ctx)?,
            p,
            &new,
            &client(ctx).ip,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// A specialist or leader of the agency answers.
    async fn answer_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        answer: String,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::answer(
            db(ctx)?,
            super::dossiers::cache(ctx)?,
            principal(ctx)?,
            feedback_id(&id, l)?,
            &answer,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// A specialist or leader of the agency refuses a filing still open, with the reason the
    /// author reads.
    async fn refuse_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::refuse(
            db(ctx)?,
            principal(ctx)?,
            feedback_id(&id, l)?,
            &reason,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// A specialist or leader of the agency asks the author for information (once, while the
    /// filing waits for its answer).
    async fn request_feedback_information(
        &self,
        ctx: &Context<'_>,
        id: ID,
        question: String,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::request_info(
            db(ctx)?,
            principal(ctx)?,
            feedback_id(&id, l)?,
            &question,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// The author replies to the agency's question; the answer is due 15 working days after.
    async fn reply_feedback_information(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reply: String,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::reply_info(
            db(ctx)?,
            super::dossiers::cache(ctx)?,
            principal(ctx)?,
            feedback_id(&id, l)?,
            &reply,
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// The author rates the answer, once.
    async fn rate_feedback_answer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        rating: super::satisfaction::SatisfactionAnswer,
    ) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::rate(
            db(ctx)?,
            principal(ctx)?,
            feedback_id(&id, l)?,
            rating.core(),
            now(),
        )
        .await
        .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }

    /// A leader of the agency publishes an answered filing without personal data.
    async fn publish_feedback(&self, ctx: &Context<'_>, id: ID) -> Result<FeedbackPayload> {
        let l = lang(ctx);
        let out = service::publish(db(ctx)?, principal(ctx)?, feedback_id(&id, l)?, now())
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(payload(out, l, marks(ctx).await?))
    }
}
