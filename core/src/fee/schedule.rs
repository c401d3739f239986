//! Loading a fee schedule: versions, items, reductions and exemptions, all checked once.

use chrono::NaiveDate;
use serde_json::Value;

use super::amount::Amount;
use crate::dossier::Channel;
use crate::form::Text;
pub use crate::load::LoadError as ScheduleError;
use crate::load::{date, err, is_code, object, only_keys, string, text};
use crate::logic::Logic;

/// Phí (a fee for a service) or lệ phí (a charge for a state act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeeKind {
    /// Phí.
    Phi,
    /// Lệ phí.
    LePhi,
}

/// A reduction of an item: a percentage off, or a fixed amount instead, for some channels and/or
/// categories, between two dates.
#[derive(Debug, Clone)]
pub(super) struct Reduction {
    pub(super) id: String,
    pub(super) channels: Option<Vec<Channel>>,
    pub(super) categories: Option<Vec<String>>,
    pub(super) valid_from: Option<NaiveDate>,
    pub(super) valid_to: Option<NaiveDate>,
    pub(super) percent: Option<f64>,
    pub(super) fixed_amount: Option<f64>,
    pub(super) legal_basis: String,
}

/// An exemption for applicant categories.
#[derive(Debug, Clone)]
pub(super) struct Exemption {
    pub(super) categories: Vec<String>,
    pub(super) valid_from: Option<NaiveDate>,
    pub(super) valid_to: Option<NaiveDate>,
    pub(super) legal_basis: String,
}

/// One fee item.
#[derive(Debug, Clone)]
pub struct FeeItem {
    /// Identifier within the schedule.
    pub id: String,
    /// Phí or lệ phí.
    pub kind: FeeKind,
    /// Name.
    pub name: Text,
    /// The legal basis (circular, resolution).
    pub legal_basis: String,
    /// The original text of the legal provision.
    pub original_text: String,
    pub(super) applies_if: Option<Logic>,
    pub(super) amount: Amount,
    pub(super) reductions: Vec<Reduction>,
    pub(super) exemptions: Vec<Exemption>,
}

/// One effective-dated version of a schedule.
#[derive(Debug, Clone)]
pub struct FeeVersion {
    /// Version name.
    pub version: String,
    /// First day in force.
    pub valid_from: NaiveDate,
    /// Last day in force, inclusive; open when `None`.
    pub valid_to: Option<NaiveDate>,
    /// The legal basis when the procedure is free of charge.
    pub free: Option<String>,
    /// The items (empty when free).
    pub items: Vec<FeeItem>,
}

/// A procedure's fee schedule.
#[derive(Debug, Clone)]
pub struct FeeSchedule {
    /// The procedure code.
    pub procedure: String,
    /// Versions, in date order.
    pub versions: Vec<FeeVersion>,
}

fn categories(v: Option<&Value>, at: &str) -> Result<Option<Vec<String>>, ScheduleError> {
    let Some(v) = v else { return Ok(None) };
    let list: Option<Vec<String>> = v
        .as_array()
        .filter(|a| !a.is_empty())
        .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_owned)).collect());
    let list = list.ok_or_else(|| {
        err(
            at,
            "MALFORMED",
            "expected a non-empty array of category codes",
        )
    })?;
    if let Some(bad) = list.iter().find(|c| !is_code(c)) {
        return Err(err(
            at,
            "MALFORMED",
            format!("`{bad}` is not an UPPER_SNAKE_CASE category code"),
        ));
    }
    Ok(Some(list))
}

fn reduction(v: &Value, at: &str) -> Result<Reduction, ScheduleError> {
    let m = object(v, at)?;
    only_keys(
        m,
        &[
            "id",
            "channels",
            "categories",
            "valid_from",
            "valid_to",
            "percent",
            "fixed_amount",
            "legal_basis",
            "note",
        ],
        at,
    )?;
    let channels = match m.get("channels") {
        None => None,
        Some(c) => Some(
            c.as_array()
                .filter(|a| !a.is_empty())
                .and_then(|a| {
                    a.iter()
                        .map(|x| x.as_str().and_then(Channel::parse))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    err(
                        format!("{at}/channels"),
                        "MALFORMED",
                        "expected channels among IN_PERSON, ONLINE, POSTAL",
                    )
                })?,
        ),
    };
    let percent = match m.get("percent") {
        None => None,
        Some(p) => Some(
            p.as_f64()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| {
                    err(
                        format!("{at}/percent"),
                        "MALFORMED",
                        "a percentage from 0 to 100",
                    )
                })?,
        ),
    };
    let fixed_amount = match m.get("fixed_amount") {
        None => None,
        Some(a) => Some(a.as_f64().filter(|a| *a >= 0.0).ok_or_else(|| {
            err(
                format!("{at}/fixed_amount"),
                "MALFORMED",
                "a non-negative amount",
            )
        })?),
    };
    if percent.is_some() == fixed_amount.is_some() {
        return Err(err(
            at,
            "MALFORMED",
            "a reduction has exactly one of percent and fixed_amount",
        ));
    }
    Ok(Reduction {
        id: string(m.get("id"), &format!("{at}/id"))?,
        channels,
        categories: categories(m.get("categories"), &format!("{at}/categories"))?,
        valid_from: date(m.get("valid_from"), &format!("{at}/valid_from"))?,
        valid_to: date(m.get("valid_to"), &format!("{at}/valid_to"))?,
        percent,
        fixed_amount,
        legal_basis: string(m.get("legal_basis"), &format!("{at}/legal_basis"))?,
    })
}

fn item(v: &Value, at: &str) -> Result<FeeItem, ScheduleError> {
    let m = object(v, at)?;
    only_keys(
        m,
        &[
            "id",
            "kind",
            "name",
            "legal_basis",
            "original_text",
            "source",
            "applies_if",
            "amount",
            "reductions",
            "exemptions",
        ],
        at,
    )?;
    let kind = match m.get("kind").and_then(Value::as_str) {
        Some("PHI") => FeeKind::Phi,
        Some("LE_PHI") => FeeKind::LePhi,
        _ => return Err(err(format!("{at}/kind"), "MALFORMED", "PHI or LE_PHI")),
    };
    let applies_if = crate::load::logic(m.get("applies_if"), &format!("{at}/applies_if"))?;
    let amount = Amount::load(
        m.get("amount").unwrap_or(&Value::Null),
        &format!("{at}/amount"),
    )?;
    let mut reductions = Vec::new();
    if let Some(list) = m.get("reductions") {
        let list = list
            .as_array()
            .ok_or_else(|| err(format!("{at}/reductions"), "MALFORMED", "expected an array"))?;
        for (i, r) in list.iter().enumerate() {
            reductions.push(reduction(r, &format!("{at}/reductions/{i}"))?);
        }
    }
    let mut exemptions = Vec::new();
    if let Some(list) = m.get("exemptions") {
        let list = list
            .as_array()
            .ok_or_else(|| err(format!("{at}/exemptions"), "MALFORMED", "expected an array"))?;
        for (i, e) in list.iter().enumerate() {
            let eat = format!("{at}/exemptions/{i}");
            let em = object(e, &eat)?;
            only_keys(
                em,
                &[
                    "categories",
                    "valid_from",
                    "valid_to",
                    "legal_basis",
                    "note",
                ],
                &eat,
            )?;
            exemptions.push(Exemption {
                categories: categories(em.get("categories"), &format!("{eat}/categories"))?
                    .ok_or_else(|| {
                        err(
                            format!("{eat}/categories"),
                            "MALFORMED",
                            "an exemption names categories",
                        )
                    })?,
                valid_from: date(em.get("valid_from"), &format!("{eat}/valid_from"))?,
                valid_to: date(em.get("valid_to"), &format!("{eat}/valid_to"))?,
                legal_basis: string(em.get("legal_basis"), &format!("{eat}/legal_basis"))?,
            });
        }
    }
    Ok(FeeItem {
        id: string(m.get("id"), &format!("{at}/id"))?,
        kind,
        name: text(m.get("name"), &format!("{at}/name"))?,
        legal_basis: string(m.get("legal_basis"), &format!("{at}/legal_basis"))?,
        original_text: string(m.get("original_text"), &format!("{at}/original_text"))?,
        applies_if,
        amount,
        reductions,
        exemptions,
    })
}

impl FeeSchedule {
    /// Loads a schedule.
    ///
    /// # Errors
    /// The first problem, with its JSON Pointer in the schedule.
    pub fn load(v: &Value) -> Result<Self, ScheduleError> {
        let m = object(v, "/")?;
        only_keys(m, &["procedure", "currency", "versions", "$comment"], "")?;
        if m.get("currency").is_some_and(|c| c.as_str() != Some("VND")) {
            return Err(err("/currency", "MALFORMED", "amounts are whole VND"));
        }
        let list = m
            .get("versions")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| err("/versions", "MALFORMED", "expected a non-empty array"))?;
        let mut versions: Vec<FeeVersion> = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let at = format!("/versions/{i}");
            let vm = object(v, &at)?;
            only_keys(
                vm,
                &["version", "valid_from", "valid_to", "free", "items", "note"],
                &at,
            )?;
            let valid_from =
                date(vm.get("valid_from"), &format!("{at}/valid_from"))?.ok_or_else(|| {
                    err(
                        format!("{at}/valid_from"),
                        "MALFORMED",
                        "a version starts on a date",
                    )
                })?;
            let valid_to = date(vm.get("valid_to"), &format!("{at}/valid_to"))?;
            if valid_to.is_some_and(|t| t < valid_from) {
                return Err(err(
                    format!("{at}/valid_to"),
                    "MALFORMED",
                    "ends before it starts",
                ));
            }
            let free = match vm.get("free") {
                None => None,
                Some(f) => {
                    let fm = object(f, &format!("{at}/free"))?;
                    only_keys(fm, &["legal_basis", "note"], &format!("{at}/free"))?;
                    Some(string(
                        fm.get("legal_basis"),
                        &format!("{at}/free/legal_basis"),
                    )?)
                }
            };
            let mut items: Vec<FeeItem> = Vec::new();
            if let Some(list) = vm.get("items") {
                let list = list
                    .as_array()
                    .ok_or_else(|| err(format!("{at}/items"), "MALFORMED", "expected an array"))?;
                for (j, it) in list.iter().enumerate() {
                    let item = item(it, &format!("{at}/items/{j}"))?;
                    if items.iter().any(|x| x.id == item.id) {
                        return Err(err(
                            format!("{at}/items/{j}/id"),
                            "DUPLICATE",
                            format!("item `{}` appears twice", item.id),
                        ));
                    }
                    items.push(item);
                }
            }
            // An empty list does not mean free: free must be stated with its legal basis.
            if items.is_empty() == free.is_none() {
                return Err(err(
                    &at,
                    "EMPTY_SCHEDULE",
                    "a version has fee items, or `free` with its legal basis (not both)",
                ));
            }
            let version = FeeVersion {
                version: string(vm.get("version"), &format!("{at}/version"))?,
                valid_from,
                valid_to,
                free,
                items,
            };
            if let Some(other) = versions.iter().find(|o| overlaps(o, &version)) {
                return Err(err(
                    &at,
                    "OVERLAPPING_VERSIONS",
                    format!("overlaps version `{}`", other.version),
                ));
            }
            versions.push(version);
        }
        crate::sort::by_key(&mut versions, |v| v.valid_from);
        Ok(Self {
            procedure: string(m.get("procedure"), "/procedure")?,
            versions,
        })
    }

    /// The version in force on a date.
    #[must_use]
    pub fn version_on(&self, date: NaiveDate) -> Option<&FeeVersion> {
        self.versions
            .iter()
            .find(|v| v.valid_from <= date && v.valid_to.is_none_or(|t| date <= t))
    }
}

fn overlaps(a: &FeeVersion, b: &FeeVersion) -> bool {
    let a_end = a.valid_to.unwrap_or(NaiveDate::MAX);
    let b_end = b.valid_to.unwrap_or(NaiveDate::MAX);
    a.valid_from <= b_end && b.valid_from <= a_end
}
