//! Records of the operations' JSON contract that exist only at this boundary (an op's input or
//! answer). The core's own types — statuses, actions, roles, channels, identifier kinds, genders,
//! processing times, agencies — are derived in the core (its `uniffi` feature) and used as they are.

pub use motcua_core::deadline::{DurationUnit, ProcessingTime};
pub use motcua_core::dossier::{Action, AgencyRef, Channel, Role, Status};
pub use motcua_core::identifier::{Gender, IdKind};
use motcua_core::ops::vectors::{Failure, Report};
use serde::{Deserialize, Serialize};

/// An identifier to check.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
pub struct IdentifierInput {
    /// Which kind.
    pub kind: IdKind,
    /// As typed.
    pub value: String,
    /// CCCD only: `YYYY-MM-DD`.
    #[uniffi(default = None)]
    pub birth_date: Option<String>,
    /// CCCD only.
    #[uniffi(default = None)]
    pub gender: Option<Gender>,
}

/// The verdict on an identifier.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct IdentifierCheck {
    /// Whether it is valid.
    pub valid: bool,
    /// The normalized form, when valid.
    pub normalized: Option<String>,
    /// The rulebook's code, when not.
    pub code: Option<String>,
    /// The Vietnamese message, when not.
    pub message: Option<String>,
}

/// A solar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SolarDate {
    pub(crate) date: String,
}

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct LunarDate {
    /// Lunar year.
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–30.
    pub day: u8,
    /// The leap month following `month`.
    pub leap: bool,
}

/// One office session, `HH:MM` to `HH:MM`.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
#[serde(into = "(String, String)")]
pub struct OfficeSession {
    /// Opening time.
    pub open: String,
    /// Closing time (excluded).
    pub close: String,
}

impl From<OfficeSession> for (String, String) {
    fn from(s: OfficeSession) -> Self {
        (s.open, s.close)
    }
}

/// How a calendar differs from the defaults.
#[derive(Debug, Clone, Default, Serialize, uniffi::Record)]
pub struct CalendarSpec {
    /// Ignore shipped official yearly schedules.
    #[uniffi(default = false)]
    pub rules_only: bool,
    /// Extra days off, `YYYY-MM-DD`.
    #[uniffi(default = [])]
    pub extra_days_off: Vec<String>,
    /// Make-up working days, `YYYY-MM-DD`.
    #[uniffi(default = [])]
    pub extra_working_days: Vec<String>,
    /// Office sessions; default 08:00–12:00 and 13:00–17:00.
    #[uniffi(default = None)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_hours: Option<Vec<OfficeSession>>,
}

#[derive(Serialize)]
pub(crate) struct WorkingDayInput {
    pub(crate) date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) calendar: Option<CalendarSpec>,
}

/// Whether a day is worked.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct WorkingDayAnswer {
    /// Worked or not.
    pub working: bool,
    /// Why not (Vietnamese).
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct DaysOffInput {
    pub(crate) year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) calendar: Option<CalendarSpec>,
}

/// A year's days off.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct DaysOff {
    /// Sorted dates, `YYYY-MM-DD`.
    pub days_off: Vec<String>,
    /// Vietnamese names, in the same order.
    pub names: Vec<String>,
}

/// A pause of the deadline clock, `[from, to)`.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
#[serde(into = "(String, String)")]
pub struct Pause {
    /// When the clock stops, RFC 3339 (`from` is a keyword in Python and Kotlin).
    pub start: String,
    /// When it runs again, RFC 3339.
    pub end: String,
}

impl From<Pause> for (String, String) {
    fn from(p: Pause) -> Self {
        (p.start, p.end)
    }
}

/// A due-date question.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
pub struct DueInput {
    /// RFC 3339 with an offset.
    pub received_at: String,
    /// The processing time.
    pub duration: ProcessingTime,
    /// The calendar, default when absent.
    #[uniffi(default = None)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarSpec>,
    /// `HH:MM`, default 15:00.
    #[uniffi(default = None)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_day_cutoff: Option<String>,
    /// Pauses of the clock.
    #[uniffi(default = [])]
    pub pauses: Vec<Pause>,
}

/// A due date with its explanation.
#[derive(Debug, Clone, Deserialize, uniffi::Record)]
pub struct Due {
    /// RFC 3339, +07:00.
    pub due_at: String,
    /// When counting started.
    pub counting_from: String,
    /// Days not worked between receipt and due date.
    pub skipped: Vec<String>,
    /// Office time taken by pauses.
    pub paused_seconds: i64,
}

/// A dossier action to check against the transition table.
#[derive(Debug, Clone, Serialize, uniffi::Record)]
pub struct TransitionInput {
    /// Current status.
    pub status: Status,
    /// The action.
    pub action: Action,
    /// Who acts.
    pub role: Role,
    /// Whether the dossier was ever received.
    pub received: bool,
    /// Supplement requests so far.
    pub supplement_count: u32,
    /// Due-date re-sets so far.
    pub redate_count: u32,
    /// The reason, when one is given.
    #[uniffi(default = None)]
    pub reason: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct TransitionAnswer {
    pub(crate) status: Status,
}

/// A failed vector case.
#[derive(Debug, Clone, uniffi::Record)]
pub struct VectorFailure {
    /// The case id.
    pub id: String,
    /// Expected, as JSON text.
    pub expected_json: String,
    /// Actual, as JSON text.
    pub actual_json: String,
}

/// The outcome of one vector file.
#[derive(Debug, Clone, uniffi::Record)]
pub struct VectorReport {
    /// Cases that passed.
    pub passed: u64,
    /// Cases that failed.
    pub failed: Vec<VectorFailure>,
}

impl From<Report> for VectorReport {
    fn from(r: Report) -> Self {
        Self {
            passed: u64::try_from(r.passed).unwrap_or(u64::MAX),
            failed: r.failed.into_iter().map(VectorFailure::from).collect(),
        }
    }
}

impl From<Failure> for VectorFailure {
    fn from(f: Failure) -> Self {
        Self {
            id: f.id,
            expected_json: f.expected.to_string(),
            actual_json: f.actual.to_string(),
        }
    }
}
