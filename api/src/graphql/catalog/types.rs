//! Output types of the catalogue (DTOs: built from the core's types, never from database models).

use async_graphql::{Enum, Json, SimpleObject};
use motcua_core::Lang;
use motcua_core::catalog::Procedure;
use motcua_core::deadline::{DurationUnit, ProcessingTime};

use crate::db::entities::procedure;

/// A unit of processing time.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TimeUnit {
    /// Ngày làm việc (0 = trong ngày).
    WorkingDays,
    /// Giờ làm việc.
    WorkingHours,
    /// Ngày (calendar days).
    CalendarDays,
}

/// A processing time.
#[derive(SimpleObject, Debug)]
pub struct Duration {
    /// How many units.
    pub value: u32,
    /// The unit.
    pub unit: TimeUnit,
}

impl From<ProcessingTime> for Duration {
    fn from(t: ProcessingTime) -> Self {
        Self {
            value: t.value,
            unit: match t.unit {
                DurationUnit::WorkingDays => TimeUnit::WorkingDays,
                DurationUnit::WorkingHours => TimeUnit::WorkingHours,
                DurationUnit::CalendarDays => TimeUnit::CalendarDays,
            },
        }
    }
}

/// Processing times by channel.
#[derive(SimpleObject, Debug)]
pub struct ProcessingTimes {
    /// At the desk or by post.
    pub in_person: Duration,
    /// Online.
    pub online: Duration,
    /// Same-day cut-off (`HH:MM`), when it is not 15:00.
    pub same_day_cutoff: Option<String>,
}

/// A dossier component (thành phần hồ sơ).
#[derive(SimpleObject, Debug)]
pub struct Component {
    /// Identifier within the procedure.
    pub id: String,
    /// Name in the request's language.
    pub name: String,
    /// Whether it must be provided.
    pub required: bool,
    /// Originals.
    pub originals: u32,
    /// Copies.
    pub copies: u32,
}

/// A procedure in a list.
#[derive(SimpleObject, Debug)]
pub struct ProcedureSummary {
    /// Global ID (the same as the procedure's detail).
    pub id: async_graphql::ID,
    /// National procedure code.
    pub code: String,
    /// Name in the request's language.
    pub name: String,
    /// Field (lĩnh vực) in the request's language.
    pub field: String,
    /// `CENTRAL`, `PROVINCE` or `COMMUNE`.
    pub level: String,
    /// `FULL` (toàn trình), `PARTIAL` (một phần) or `NONE`.
    pub online_mode: String,
}

impl ProcedureSummary {
    pub(crate) fn from_row(row: procedure::Model, lang: Lang) -> Self {
        let (name, field) = match lang {
            Lang::Vi => (row.name_vi, row.field_vi),
            Lang::En => (row.name_en, row.field_en),
        };
        Self {
            id: crate::graphql::ids::encode("Procedure", &row.code),
            code: row.code,
            name,
            field,
            level: row.level,
            online_mode: row.online_mode,
        }
    }
}

/// A procedure with what a client needs to file it: times, components, the e-form and the fee
/// schedule (evaluated on the device with the same core as the server).
#[derive(SimpleObject, Debug)]
pub struct ProcedureDetail {
    /// Global ID.
    pub id: async_graphql::ID,
    /// National procedure code.
    pub code: String,
    /// Name in the request's language.
    pub name: String,
    /// Field in the request's language.
    pub field: String,
    /// Competent level.
    pub level: String,
    /// Kind of competent agency.
    pub agency_type: String,
    /// Online mode.
    pub online_mode: String,
    /// The form definition's version.
    pub version: String,
    /// Processing times.
    pub processing_time: ProcessingTimes,
    /// Dossier components.
    pub components: Vec<Component>,
    /// Legal bases.
    pub legal_basis: Vec<String>,
    /// What the applicant receives, in the request's language.
    pub result: String,
    /// The e-form definition (catalog/README.md).
    pub form: Json<serde_json::Value>,
    /// The fee schedule (catalog/README.md).
    pub fees: Json<serde_json::Value>,
}

impl ProcedureDetail {
    pub(crate) fn new(
        row: procedure::Model,
        p: Procedure,
        entry: serde_json::Value,
        lang: Lang,
    ) -> Self {
        let pick = |t: &motcua_core::form::Text| match lang {
            Lang::Vi => t.vi.clone(),
            Lang::En => t.en.clone(),
        };
        Self {
            id: crate::graphql::ids::encode("Procedure", &p.code),
            code: p.code.clone(),
            name: pick(&p.name),
            field: pick(&p.field),
            level: row.level,
            agency_type: row.agency_type,
            online_mode: row.online_mode,
            version: p.form.version.clone(),
            processing_time: ProcessingTimes {
                in_person: p.time_in_person.into(),
                online: p.time_online.into(),
                same_day_cutoff: p.same_day_cutoff.clone(),
            },
            components: p
                .components
                .iter()
                .map(|c| Component {
                    id: c.id.clone(),
                    name: pick(&c.name),
                    required: c.required,
                    originals: c.originals,
                    copies: c.copies,
                })
                .collect(),
            legal_basis: p.legal_basis.clone(),
            result: pick(&p.result),
            form: Json(entry.get("form").cloned().unwrap_or_default()),
            fees: Json(entry.get("fees").cloned().unwrap_or_default()),
        }
    }
}
