//! Online payment (issue 16, rulebook §6): a citizen pays a dossier's fees at the national payment
//! platform or a VNPay-style gateway; only a verified callback (or the gateway's own answer to a
//! query) marks a payment paid, never the browser coming back (SECURITY.md W6).
//!
//! - [`intent`]: starting a payment (one open intent per dossier, idempotent);
//! - [`callback`]: a gateway's callback stored in the inbox and answered at once (W8), then
//!   applied exactly once, whatever the number of instances or replays (W2);
//! - [`reconcile`]: the job that queries payments left open (W7), and the daily settlement;
//! - [`refund`]: a clerk proposes, a leader approves (two people), audited;
//! - [`receipt`]: the electronic receipt (biên lai điện tử) as PDF.
//!
//! Signatures and the decisions on callbacks are the core's (`motcua_core::payment`).

pub mod callback;
pub mod gateway;
pub mod intent;
pub mod receipt;
pub mod reconcile;
pub mod refund;

pub use gateway::Gateways;

/// A gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// The VNPay-style gateway (v2.1.0).
    Vnpay,
    /// The national payment platform (PayGov-style).
    Paygov,
}

impl Provider {
    /// Both, in the order the portal offers them.
    pub const ALL: [Self; 2] = [Self::Paygov, Self::Vnpay];

    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vnpay => "VNPAY",
            Self::Paygov => "PAYGOV",
        }
    }

    /// From the stored name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "VNPAY" => Some(Self::Vnpay),
            "PAYGOV" => Some(Self::Paygov),
            _ => None,
        }
    }

    /// The name a citizen reads.
    #[must_use]
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Vnpay => "Cổng thanh toán VNPay",
            Self::Paygov => "Nền tảng thanh toán quốc gia (PayGov)",
        }
    }

    /// The name in English.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Vnpay => "VNPay gateway",
            Self::Paygov => "National payment platform (PayGov)",
        }
    }
}

/// A payment's state.
pub mod status {
    /// Started; waiting for the gateway.
    pub const PENDING: &str = "PENDING";
    /// Confirmed by the gateway.
    pub const PAID: &str = "PAID";
    /// The gateway reported a failure or a cancellation.
    pub const FAILED: &str = "FAILED";
    /// Never completed at the gateway within its validity.
    pub const EXPIRED: &str = "EXPIRED";
    /// Replaced by a payment through another gateway.
    pub const CANCELLED: &str = "CANCELLED";
}

/// How long a payment page stays valid at the gateway (`vnp_ExpireDate`).
pub const VALID_SECS: i64 = 15 * 60;

/// The receipt number of payment `id` (unique with the id, known before the payment is applied,
/// so the platform's confirm can be answered with it at once).
#[must_use]
pub fn receipt_number(id: i64) -> String {
    format!("BL-{id:08}")
}
