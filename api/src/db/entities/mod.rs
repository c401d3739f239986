//! Entities, written by hand (sea-orm's generator gives SQLite and PostgreSQL different types).
//! They hold no business logic.

pub mod administrative_unit;
pub mod agency;
pub mod attachment;
pub mod audit;
pub mod calendar_adjustment;
pub mod dossier;
pub mod dossier_history;
pub mod dossier_step;
pub mod feedback;
pub mod identity_link;
pub mod notification;
pub mod payment;
pub mod payment_refund;
pub mod procedure;
pub mod procedure_version;
pub mod refresh_token;
pub mod satisfaction_survey;
pub mod session;
pub mod user;
pub mod user_role;
