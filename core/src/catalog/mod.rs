//! A procedure of the catalogue (thủ tục hành chính) as data: identity, competent level and
//! agency, processing times per channel, dossier components, its e-form and its fee schedule.
//!
//! Loading checks everything a phone and the server rely on; the form and the fee schedule are
//! loaded by their own engines, so a catalogue entry that loads can always be validated and quoted.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::deadline::ProcessingTime;
use crate::fee::{Channel, FeeSchedule};
use crate::form::{FormDefinition, Text};
pub use crate::load::LoadError as CatalogError;
use crate::load::{err, string, text, typed};

/// Competent level after the 2025 reorganisation (two levels of local government).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    /// Central (ministry) level.
    Central,
    /// Province level.
    Province,
    /// Commune level (xã, phường, đặc khu).
    Commune,
}

/// Online service mode (Decree 42/2022/NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OnlineMode {
    /// Toàn trình: filed, paid and returned online (formerly "mức độ 4").
    Full,
    /// Một phần: part of it must be done in person (formerly "mức độ 3").
    Partial,
    /// Not offered online.
    None,
}

/// A dossier component (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Identifier within the procedure.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Whether it must be provided.
    pub required: bool,
    /// Originals to show or submit.
    pub originals: u32,
    /// Copies to submit.
    pub copies: u32,
}

/// A catalogue procedure.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// National procedure code (`2.000815`).
    pub code: String,
    /// Name.
    pub name: Text,
    /// Field (lĩnh vực).
    pub field: Text,
    /// Competent level.
    pub level: Level,
    /// The kind of agency that decides (e.g. `COMMUNE_PEOPLES_COMMITTEE`).
    pub agency_type: String,
    /// Online mode.
    pub online_mode: OnlineMode,
    /// Processing time for dossiers filed in person (and by post).
    pub time_in_person: ProcessingTime,
    /// Processing time for dossiers filed online.
    pub time_online: ProcessingTime,
    /// Same-day cut-off (`HH:MM`), when it differs from 15:00.
    pub same_day_cutoff: Option<String>,
    /// Legal bases.
    pub legal_basis: Vec<String>,
    /// Dossier components.
    pub components: Vec<Component>,
    /// What the applicant receives.
    pub result: Text,
    /// The e-form.
    pub form: FormDefinition,
    /// The fee schedule.
    pub fees: FeeSchedule,
    /// Sample data: a valid filing and an invalid one with the codes it must produce.
    pub samples: Value,
}

const KEYS: &[&str] = &[
    "code",
    "name",
    "field",
    "level",
    "agency_type",
    "online_mode",
    "processing_time",
    "legal_basis",
    "components",
    "result",
    "form",
    "fees",
    "samples",
    "source",
    "$comment",
];

/// `N.NNNNNN`, the national procedure database's format.
fn is_procedure_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 8
        && b.get(1) == Some(&b'.')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 1 || c.is_ascii_digit())
}

impl Procedure {
    /// Loads a catalogue entry.
    ///
    /// # Errors
    /// The first problem, with its JSON Pointer in the entry.
    pub fn load(v: &Value) -> Result<Self, CatalogError> {
        let m: &Map<String, Value> = v
            .as_object()
            .ok_or_else(|| err("/", "MALFORMED", "expected an object"))?;
        if let Some(k) = m.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(err(
                format!("/{k}"),
                "UNKNOWN_KEY",
                format!("`{k}` is not a key of a procedure"),
            ));
        }
        let code = string(m.get("code"), "/code")?;
        if !is_procedure_code(&code) {
            return Err(err(
                "/code",
                "MALFORMED",
                "a procedure code looks like 2.000815",
            ));
        }
        let times = m
            .get("processing_time")
            .and_then(Value::as_object)
            .ok_or_else(|| err("/processing_time", "MALFORMED", "expected an object"))?;
        if let Some(k) = times
            .keys()
            .find(|k| !["in_person", "online", "same_day_cutoff", "note"].contains(&k.as_str()))
        {
            return Err(err(
                format!("/processing_time/{k}"),
                "UNKNOWN_KEY",
                format!("`{k}` is not a key here"),
            ));
        }
        let same_day_cutoff = match times.get("same_day_cutoff") {
            None => None,
            Some(c) => {
                let c = string(Some(c), "/processing_time/same_day_cutoff")?;
                chrono::NaiveTime::parse_from_str(&c, "%H:%M").map_err(|_| {
                    err(
                        "/processing_time/same_day_cutoff",
                        "MALFORMED",
                        "expected HH:MM",
                    )
                })?;
                Some(c)
            }
        };
        let form = FormDefinition::load(m.get("form").unwrap_or(&Value::Null))
            .map_err(|e| e.within("/form"))?;
        if form.form != code {
            return Err(err(
                "/form/form",
                "MISMATCH",
                "the form belongs to another procedure",
            ));
        }
        let fees = FeeSchedule::load(m.get("fees").unwrap_or(&Value::Null))
            .map_err(|e| e.within("/fees"))?;
        if fees.procedure != code {
            return Err(err(
                "/fees/procedure",
                "MISMATCH",
                "the fee schedule belongs to another procedure",
            ));
        }
        let list = m
            .get("components")
            .and_then(Value::as_array)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| err("/components", "MALFORMED", "expected a non-empty array"))?;
        let mut components: Vec<Component> = Vec::new();
        for (i, c) in list.iter().enumerate() {
            let at = format!("/components/{i}");
            let cm = c
                .as_object()
                .ok_or_else(|| err(&at, "MALFORMED", "expected an object"))?;
            if let Some(k) = cm.keys().find(|k| {
                ![
                    "id",
                    "name",
                    "required",
                    "originals",
                    "copies",
                    "note",
                    "source",
                ]
                .contains(&k.as_str())
            }) {
                return Err(err(
                    format!("{at}/{k}"),
                    "UNKNOWN_KEY",
                    format!("`{k}` is not a key of a component"),
                ));
            }
            let component = Component {
                id: string(cm.get("id"), &format!("{at}/id"))?,
                name: text(cm.get("name"), &format!("{at}/name"))?,
                required: typed(cm.get("required"), &format!("{at}/required"), "a boolean")?,
                originals: typed(
                    cm.get("originals").or(Some(&Value::from(0))),
                    &format!("{at}/originals"),
                    "a count",
                )?,
                copies: typed(
                    cm.get("copies").or(Some(&Value::from(0))),
                    &format!("{at}/copies"),
                    "a count",
                )?,
            };
            if components.iter().any(|o| o.id == component.id) {
                return Err(err(
                    format!("{at}/id"),
                    "DUPLICATE",
                    "component ids are unique",
                ));
            }
            components.push(component);
        }
        let legal_basis: Vec<String> =
            typed(m.get("legal_basis"), "/legal_basis", "an array of strings")?;
        if legal_basis.is_empty() {
            return Err(err(
                "/legal_basis",
                "MALFORMED",
                "name at least one legal basis",
            ));
        }
        Ok(Self {
            name: text(m.get("name"), "/name")?,
            field: text(m.get("field"), "/field")?,
            level: typed(m.get("level"), "/level", "CENTRAL, PROVINCE or COMMUNE")?,
            agency_type: string(m.get("agency_type"), "/agency_type")?,
            online_mode: typed(
                m.get("online_mode"),
                "/online_mode",
                "FULL, PARTIAL or NONE",
            )?,
            time_in_person: typed(
                times.get("in_person"),
                "/processing_time/in_person",
                "{value, unit}",
            )?,
            time_online: typed(
                times.get("online"),
                "/processing_time/online",
                "{value, unit}",
            )?,
            same_day_cutoff,
            legal_basis,
            components,
            result: text(m.get("result"), "/result")?,
            form,
            fees,
            samples: m.get("samples").cloned().unwrap_or(Value::Null),
            code,
        })
    }

    /// The processing time for a channel (postal filings follow the in-person time).
    #[must_use]
    pub fn processing_time(&self, channel: Channel) -> ProcessingTime {
        match channel {
            Channel::Online => self.time_online,
            Channel::InPerson | Channel::Postal => self.time_in_person,
        }
    }

    /// The due-date request of a dossier of this procedure filed through `channel` and received at
    /// `received_at`: its processing time for the channel and its same-day cut-off (15:00 unless
    /// the entry says otherwise). The phone's expected due date and the server's use this one.
    #[must_use]
    pub fn due_request(
        &self,
        channel: Channel,
        received_at: chrono::DateTime<chrono::FixedOffset>,
        pauses: crate::deadline::Pauses,
    ) -> crate::deadline::DueRequest {
        crate::deadline::DueRequest {
            received_at,
            duration: self.processing_time(channel),
            // Checked as `HH:MM` when the entry was loaded.
            same_day_cutoff: self
                .same_day_cutoff
                .as_deref()
                .and_then(|c| chrono::NaiveTime::parse_from_str(c, "%H:%M").ok())
                .unwrap_or(crate::deadline::DEFAULT_CUTOFF),
            pauses,
        }
    }

    /// Checks the entry's samples: the valid one validates and quotes; the invalid one fails with
    /// exactly the expected `CODE@/path` violations. Returns what is wrong, empty when all is well.
    #[must_use]
    pub fn check_samples(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let empty = Value::Object(Map::new());
        for kind in ["valid", "invalid"] {
            let Some(sample) = self.samples.get(kind) else {
                problems.push(format!("no `{kind}` sample"));
                continue;
            };
            let data = sample.get("data").unwrap_or(&Value::Null);
            let context = sample.get("context").unwrap_or(&empty);
            let result = self.form.validate(data, context);
            let got: Vec<String> = result
                .violations
                .iter()
                .map(|v| format!("{}@{}", v.code, v.path))
                .collect();
            if kind == "valid" {
                if !result.valid {
                    problems.push(format!("the valid sample has violations: {got:?}"));
                }
                let quote_context = crate::fee::QuoteContext {
                    date: context
                        .get("today")
                        .and_then(Value::as_str)
                        .and_then(|d| d.parse().ok())
                        .unwrap_or_default(),
                    channel: context
                        .get("channel")
                        .and_then(Value::as_str)
                        .and_then(Channel::parse)
                        .unwrap_or(Channel::Online),
                    categories: Vec::new(),
                };
                if let Err(e) = self.fees.quote(data, &quote_context) {
                    problems.push(format!("the valid sample cannot be quoted: {e}"));
                }
            } else {
                let mut expected: Vec<String> = sample
                    .get("expect")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                expected.sort();
                let mut got_sorted = got.clone();
                got_sorted.sort();
                if expected.is_empty() || got_sorted != expected {
                    problems.push(format!(
                        "the invalid sample gives {got_sorted:?}, expected {expected:?}"
                    ));
                }
            }
        }
        problems
    }
}

/// The demo catalogue's procedures (`catalog/procedures/*.json`) as JSON, for tests that run
/// every form.
#[cfg(test)]
pub(crate) fn demo_procedures() -> Vec<serde_json::Value> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect()
}
