//! Fee schedules (phí, lệ phí) as data, and quotes computed from them (rulebook section 5).
//!
//! A schedule has effective-dated versions; the version is chosen by the date the dossier entered
//! the system. Each item keeps its legal basis and original text, computes an amount from the form
//! data (fixed, per unit, tiered, summed over a repeating group, a formula; with a floor and a
//! cap), then applies effective-dated reductions (e.g. 50% online) and exemptions by applicant
//! category. Each line is rounded to a whole đồng, halves up; the total is the sum of the lines.

mod amount;
mod quote;
mod schedule;

pub use crate::dossier::Channel;
pub use quote::{Quote, QuoteContext, QuoteError, QuoteLine};
pub use schedule::{FeeItem, FeeKind, FeeSchedule, FeeVersion, ScheduleError};
