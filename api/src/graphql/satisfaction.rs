//! Satisfaction over GraphQL: the nine indicators' names (for the form), rating a dossier (its
//! applicant, once), and a dossier's survey.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use motcua_core::Lang;
use motcua_core::kpi::survey;

use super::guard::principal;
use super::user_error::UserError;
use super::{db, lang};
use crate::auth::now;
use crate::db::entities::satisfaction_survey;
use crate::service::satisfaction as service;

/// An answer to the survey's two questions.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SatisfactionAnswer {
    /// Rất hài lòng.
    VerySatisfied,
    /// Hài lòng.
    Satisfied,
    /// Không hài lòng.
    Unsatisfied,
}

impl SatisfactionAnswer {
    pub(super) fn core(self) -> survey::Answer {
        match self {
            Self::VerySatisfied => survey::Answer::VerySatisfied,
            Self::Satisfied => survey::Answer::Satisfied,
            Self::Unsatisfied => survey::Answer::Unsatisfied,
        }
    }

    pub(super) fn stored(s: &str) -> Self {
        match survey::Answer::parse(s) {
            Some(survey::Answer::VerySatisfied) => Self::VerySatisfied,
            Some(survey::Answer::Satisfied) => Self::Satisfied,
            _ => Self::Unsatisfied,
        }
    }
}

/// One of the survey's nine indicators.
#[derive(SimpleObject, Debug, Clone)]
pub struct SurveyIndicator {
    /// Stable code, e.g. `ATTITUDE`.
    pub code: String,
    /// What it asks, in the request's language.
    pub name: String,
}

/// A dossier's satisfaction survey.
#[derive(SimpleObject, Debug, Clone)]
pub struct SatisfactionSurvey {
    /// Global ID.
    pub id: ID,
    /// The nine indicators (2, 1 or 0), in `satisfactionIndicators`' order.
    pub indicators: Vec<i64>,
    /// Their sum (0–18).
    pub points: i64,
    /// Convenience.
    pub convenience: SatisfactionAnswer,
    /// Overall.
    pub overall: SatisfactionAnswer,
    /// The applicant's words.
    pub comment: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

impl SatisfactionSurvey {
    /// The DTO of a row.
    #[must_use]
    pub fn from_row(m: &satisfaction_survey::Model) -> Self {
        Self {
            id: super::ids::encode("SatisfactionSurvey", &m.id.to_string()),
            indicators: serde_json::from_str(&m.indicators).unwrap_or_default(),
            points: m.points,
            convenience: SatisfactionAnswer::stored(&m.convenience),
            overall: SatisfactionAnswer::stored(&m.overall),
            comment: m.comment.clone(),
            created_at: crate::clock::rfc3339(m.created_at),
        }
    }
}

/// Rating a dossier.
#[derive(InputObject, Debug)]
pub struct RateDossierInput {
    /// The dossier.
    pub dossier_id: ID,
    /// The nine indicators, each 2, 1 or 0, in `satisfactionIndicators`' order.
    pub indicators: Vec<i64>,
    /// How convenient it was.
    pub convenience: SatisfactionAnswer,
    /// Overall.
    pub overall: SatisfactionAnswer,
    /// Anything to add (at most 1,000 characters).
    pub comment: Option<String>,
}

/// What `rateDossier` answers.
#[derive(SimpleObject, Debug, Default)]
pub struct RateDossierPayload {
    /// The survey.
    pub survey: Option<SatisfactionSurvey>,
    /// Problems to fix.
    pub user_errors: Vec<UserError>,
}

/// Satisfaction queries.
#[derive(Default)]
pub struct SatisfactionQuery;

#[Object]
impl SatisfactionQuery {
    /// The survey's nine indicators (Circular 01/2018), in order.
    async fn satisfaction_indicators(&self, ctx: &Context<'_>) -> Vec<SurveyIndicator> {
        let l = lang(ctx);
        survey::INDICATORS
            .iter()
            .map(|(code, vi, en)| SurveyIndicator {
                code: (*code).to_owned(),
                name: match l {
                    Lang::Vi => (*vi).to_owned(),
                    Lang::En => (*en).to_owned(),
                },
            })
            .collect()
    }
}

/// Satisfaction mutations.
#[derive(Default)]
pub struct SatisfactionMutation;

#[Object]
impl SatisfactionMutation {
    /// The applicant rates a finished dossier (returned, refused or stopped), once.
    async fn rate_dossier(
        &self,
        ctx: &Context<'_>,
        input: RateDossierInput,
    ) -> Result<RateDossierPayload> {
        let l = lang(ctx);
        let id = super::dossiers::dossier_key(&input.dossier_id, l)?;
        let answer = service::Answer {
            indicators: input.indicators,
            convenience: input.convenience.core().as_str().to_owned(),
            overall: input.overall.core().as_str().to_owned(),
            comment: input.comment,
        };
        let out = service::rate(db(ctx)?, principal(ctx)?, &id, &answer, now())
            .await
            .map_err(|e| e.into_graphql(l))?;
        Ok(match out {
            Ok(m) => RateDossierPayload {
                survey: Some(SatisfactionSurvey::from_row(&m)),
                user_errors: Vec::new(),
            },
            Err(problems) => RateDossierPayload {
                survey: None,
                user_errors: UserError::list(problems, l),
            },
        })
    }
}
