//! A payment intent: one attempt to pay a dossier's fees online.

use sea_orm::entity::prelude::*;

/// The `payments` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The order reference sent to the gateway (`vnp_TxnRef`, the platform's order).
    pub reference: String,
    /// The dossier.
    pub dossier_id: String,
    /// The dossier while the intent is open (unique: one open intent per dossier).
    pub open_dossier_id: Option<String>,
    /// The agency collecting the fee (the dossier's competent agency), for its settlement report.
    pub agency_id: i64,
    /// `VNPAY` or `PAYGOV`.
    pub provider: String,
    /// VND, from the dossier's quote.
    pub amount: i64,
    /// The quote's lines with their legal basis (JSON), for the receipt.
    pub lines: String,
    /// `PENDING`, `PAID`, `FAILED` or `EXPIRED`.
    pub status: String,
    /// Who pays (the applicant's name).
    pub payer_name: String,
    /// The account that started it.
    pub created_by: i64,
    /// The client's idempotency key.
    pub idempotency_key: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// When the gateway confirmed it.
    pub paid_at: Option<i64>,
    /// The gateway's transaction number.
    pub gateway_txn: Option<String>,
    /// The gateway's last answer code.
    pub gateway_code: Option<String>,
    /// The electronic receipt's number, once paid.
    pub receipt_number: Option<String>,
    /// When the reconciliation job queries it next (null when closed).
    pub next_query_at: Option<i64>,
    /// How many times it was queried.
    pub query_count: i64,
    /// A query in flight until then (another instance leaves it alone).
    pub query_lease_until: Option<i64>,
    /// VND refunded so far (approved refunds).
    pub refunded_amount: i64,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
