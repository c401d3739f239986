//! A complaint or piece of feedback (phản ánh, kiến nghị).

use sea_orm::entity::prelude::*;

/// The `feedback` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `DOSSIER`, `PROCEDURE`, `OFFICIAL` or `OTHER`.
    pub about: String,
    /// The dossier's or procedure's code, or who.
    pub reference: String,
    /// The dossier, when it is about one.
    pub dossier_id: Option<String>,
    /// The agency it was routed to.
    pub agency_id: i64,
    /// The author's account, when signed in.
    pub user_id: Option<i64>,
    /// The author's name.
    pub name: String,
    /// A phone to answer to.
    pub phone: Option<String>,
    /// An e-mail to answer to.
    pub email: Option<String>,
    /// Subject.
    pub subject: String,
    /// What happened and what is asked.
    pub content: String,
    /// `RECEIVED`, `ANSWERED` or `PUBLISHED`.
    pub status: String,
    /// Unix seconds.
    pub received_at: i64,
    /// Deadlines (unix seconds), counted by the core at receipt.
    pub refuse_by: i64,
    /// Ask for information by.
    pub info_by: i64,
    /// Answer by.
    pub resolve_by: i64,
    /// When answered.
    pub answered_at: Option<i64>,
    /// Who answered.
    pub answered_by: Option<i64>,
    /// The answer to the author.
    pub answer: Option<String>,
    /// Publish by.
    pub publish_by: Option<i64>,
    /// When published.
    pub published_at: Option<i64>,
    /// The public copy (question and answer) without personal data.
    pub public_text: Option<String>,
    /// Where it came from (rate limits, abuse).
    pub client_ip: Option<String>,
    /// Why it was refused.
    pub refusal_reason: Option<String>,
    /// What the agency asked the author.
    pub info_request: Option<String>,
    /// When.
    pub info_requested_at: Option<i64>,
    /// The author's reply.
    pub info_reply: Option<String>,
    /// When.
    pub info_replied_at: Option<i64>,
    /// The author's rating of the answer (`VERY_SATISFIED`, `SATISFIED`, `UNSATISFIED`).
    pub rating: Option<String>,
    /// When.
    pub rated_at: Option<i64>,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
