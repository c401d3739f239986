//! A dossier (hồ sơ): one filing of one procedure by one applicant.

use sea_orm::entity::prelude::*;

/// The `dossiers` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossiers")]
pub struct Model {
    /// UUID, possibly made by the client offline.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Dossier code (rulebook section 2), from submission on.
    pub code: Option<String>,
    /// The procedure.
    pub procedure_code: String,
    /// The catalogue version it was filed under.
    pub procedure_version_id: i64,
    /// The applicant's account, when there is one.
    pub applicant_user_id: Option<i64>,
    /// Applicant's name (or business name).
    pub applicant_name: String,
    /// The name folded for search (`motcua_core::text::fold`).
    pub applicant_search: String,
    /// Applicant's personal ID or tax code (for the public lookup).
    pub applicant_id_number: String,
    /// Who created it: the applicant, or a clerk filing on behalf.
    pub filed_by_user_id: i64,
    /// National channel code: 1 desk, 2 online, 3 postal.
    pub channel: i64,
    /// The unit it was filed to (its electronic ID starts the code).
    pub receiving_agency_id: i64,
    /// The agency competent to process it.
    pub competent_agency_id: i64,
    /// Status name (`SUBMITTED`, …).
    pub status: String,
    /// National status code.
    pub status_code: i64,
    /// Form data (JSON).
    pub form_data: String,
    /// Fee total quoted at submission.
    pub fee_total: Option<i64>,
    /// The whole quote (JSON).
    pub fee_quote: Option<String>,
    /// Unix seconds.
    pub submitted_at: Option<i64>,
    /// Unix seconds; the clock starts.
    pub received_at: Option<i64>,
    /// RFC 3339 (+07:00).
    pub due_at: Option<String>,
    /// The due-date explanation (JSON).
    pub due_detail: Option<String>,
    /// Supplement requests so far.
    pub supplement_count: i64,
    /// Due-date re-sets so far.
    pub redate_count: i64,
    /// What a supplement request listed (JSON array of strings).
    pub missing: Option<String>,
    /// Optimistic lock: every change bumps it.
    pub version: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// The agency holding it now (liên thông); null means the competent agency.
    pub handling_agency_id: Option<i64>,
    /// The official holding it, when one was named.
    pub handler_user_id: Option<i64>,
    /// When the clock was stopped; null while it runs.
    pub paused_since: Option<i64>,
    /// Closed pauses `[[from, to], …]` in Unix seconds.
    pub pauses: Option<String>,
    /// `ON_TRACK`, `DUE_SOON` or `OVERDUE`.
    pub deadline_state: String,
    /// The due date given at intake, kept when re-dated (form 04).
    pub original_due_at: Option<String>,
    /// Amount asked for (VND).
    pub payment_amount: Option<i64>,
    /// When the payment was recorded.
    pub paid_at: Option<i64>,
    /// The receipt number of the recorded payment.
    pub payment_ref: Option<String>,
    /// The electronic result file.
    pub result_attachment_id: Option<String>,
    /// `ONLINE`, `DESK` or `POST`.
    pub return_method: Option<String>,
    /// The intake deadline the core gave at filing (Unix seconds; absent before issue 17).
    pub intake_by: Option<i64>,
}

impl Model {
    /// The agency processing it now.
    #[must_use]
    pub fn handling_agency(&self) -> i64 {
        self.handling_agency_id.unwrap_or(self.competent_agency_id)
    }
}

/// No relations are navigated through the ORM.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
