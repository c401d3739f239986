//! Online payment (issue 16): payment intents, the inbox of gateway callbacks, and refunds.
//!
//! - `payments`: one row per attempt to pay a dossier online. `open_dossier_id` holds the dossier
//!   while the intent is open and is unique, so two instances cannot open two intents for one
//!   dossier; `(created_by, idempotency_key)` is unique, so a retried request finds its intent.
//! - `payment_callbacks`: every callback as received (W8), answered at once; the accepted ones
//!   are processed afterwards, exactly once (`processed_at` is set in the transaction that applies
//!   them).
//! - `payment_refunds`: a clerk proposes, a leader (another person) decides (two-person rule).

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, id, index, text, text_null};

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    Reference,
    DossierId,
    OpenDossierId,
    AgencyId,
    Provider,
    Amount,
    Lines,
    Status,
    PayerName,
    CreatedBy,
    IdempotencyKey,
    CreatedAt,
    UpdatedAt,
    PaidAt,
    GatewayTxn,
    GatewayCode,
    ReceiptNumber,
    NextQueryAt,
    QueryCount,
    QueryLeaseUntil,
    RefundedAmount,
}

#[derive(DeriveIden)]
enum PaymentCallbacks {
    Table,
    Id,
    Provider,
    Kind,
    Reference,
    Payload,
    Answer,
    Paid,
    ReceivedAt,
    ProcessedAt,
    Outcome,
    ClientIp,
}

#[derive(DeriveIden)]
enum PaymentRefunds {
    Table,
    Id,
    PaymentId,
    Amount,
    Reason,
    State,
    ProposedBy,
    ProposedAt,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    OpenPaymentId,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .if_not_exists()
                    .col(id(Payments::Id))
                    .col(text(Payments::Reference))
                    .col(text(Payments::DossierId))
                    .col(text_null(Payments::OpenDossierId))
                    .col(big(Payments::AgencyId))
                    .col(text(Payments::Provider))
                    .col(big(Payments::Amount))
                    .col(text(Payments::Lines))
                    .col(text(Payments::Status))
                    .col(text(Payments::PayerName))
                    .col(big(Payments::CreatedBy))
                    .col(text(Payments::IdempotencyKey))
                    .col(big(Payments::CreatedAt))
                    .col(big(Payments::UpdatedAt))
                    .col(big_null(Payments::PaidAt))
                    .col(text_null(Payments::GatewayTxn))
                    .col(text_null(Payments::GatewayCode))
                    .col(text_null(Payments::ReceiptNumber))
                    .col(big_null(Payments::NextQueryAt))
                    .col(big(Payments::QueryCount).default(0))
                    .col(big_null(Payments::QueryLeaseUntil))
                    .col(big(Payments::RefundedAmount).default(0))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "payments_reference",
            Payments::Table,
            &["reference"],
            true,
        )
        .await?;
        index(
            manager,
            "payments_open",
            Payments::Table,
            &["open_dossier_id"],
            true,
        )
        .await?;
        index(
            manager,
            "payments_idempotency",
            Payments::Table,
            &["created_by", "idempotency_key"],
            true,
        )
        .await?;
        index(
            manager,
            "payments_receipt",
            Payments::Table,
            &["receipt_number"],
            true,
        )
        .await?;
        index(
            manager,
            "payments_dossier",
            Payments::Table,
            &["dossier_id"],
            false,
        )
        .await?;
        index(
            manager,
            "payments_query",
            Payments::Table,
            &["next_query_at"],
            false,
        )
        .await?;
        index(
            manager,
            "payments_agency_paid",
            Payments::Table,
            &["agency_id", "paid_at"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaymentCallbacks::Table)
                    .if_not_exists()
                    .col(id(PaymentCallbacks::Id))
                    .col(text(PaymentCallbacks::Provider))
                    .col(text(PaymentCallbacks::Kind))
                    .col(text_null(PaymentCallbacks::Reference))
                    .col(text(PaymentCallbacks::Payload))
                    .col(text(PaymentCallbacks::Answer))
                    .col(big(PaymentCallbacks::Paid))
                    .col(big(PaymentCallbacks::ReceivedAt))
                    .col(big_null(PaymentCallbacks::ProcessedAt))
                    .col(text_null(PaymentCallbacks::Outcome))
                    .col(text_null(PaymentCallbacks::ClientIp))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "payment_callbacks_pending",
            PaymentCallbacks::Table,
            &["processed_at"],
            false,
        )
        .await?;
        index(
            manager,
            "payment_callbacks_reference",
            PaymentCallbacks::Table,
            &["reference"],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaymentRefunds::Table)
                    .if_not_exists()
                    .col(id(PaymentRefunds::Id))
                    .col(big(PaymentRefunds::PaymentId))
                    .col(big(PaymentRefunds::Amount))
                    .col(text(PaymentRefunds::Reason))
                    .col(text(PaymentRefunds::State))
                    .col(big(PaymentRefunds::ProposedBy))
                    .col(big(PaymentRefunds::ProposedAt))
                    .col(big_null(PaymentRefunds::DecidedBy))
                    .col(big_null(PaymentRefunds::DecidedAt))
                    .col(text_null(PaymentRefunds::DecisionNote))
                    .col(big_null(PaymentRefunds::OpenPaymentId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "payment_refunds_payment",
            PaymentRefunds::Table,
            &["payment_id"],
            false,
        )
        .await?;
        // One proposal waiting per payment.
        index(
            manager,
            "payment_refunds_open",
            PaymentRefunds::Table,
            &["open_payment_id"],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            PaymentRefunds::Table.into_iden(),
            PaymentCallbacks::Table.into_iden(),
            Payments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
