//! A refund of an online payment: proposed by a clerk, decided by a leader (another person).

use sea_orm::entity::prelude::*;

/// The `payment_refunds` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_refunds")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The payment.
    pub payment_id: i64,
    /// VND.
    pub amount: i64,
    /// Why (shown to the leader and kept in the audit log).
    pub reason: String,
    /// `PROPOSED`, `APPROVED` or `REJECTED`.
    pub state: String,
    /// The clerk.
    pub proposed_by: i64,
    /// Unix seconds.
    pub proposed_at: i64,
    /// The leader.
    pub decided_by: Option<i64>,
    /// Unix seconds.
    pub decided_at: Option<i64>,
    /// The leader's note.
    pub decision_note: Option<String>,
    /// The payment while the proposal waits (unique: one waiting proposal per payment).
    pub open_payment_id: Option<i64>,
}

/// No relations are navigated.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
