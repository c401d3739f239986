//! Loading definitions — forms, fee schedules, catalogue entries: one error type, with the JSON
//! Pointer of the problem, and the checks every loader shares.

use std::fmt;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::json::Json;
use crate::logic::Logic;

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Text {
    /// Tiếng Việt.
    pub vi: String,
    /// English.
    pub en: String,
}

/// Why a definition was refused. `path` is a JSON Pointer into the definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {code}: {reason}")]
pub struct LoadError {
    /// Where in the definition.
    pub path: String,
    /// Stable code: `MALFORMED`, `UNKNOWN_KEY`, `UNSUPPORTED_KEYWORD`, `UNKNOWN_FORMAT`,
    /// `INVALID_PATTERN`, `UNRESOLVED_REF`, `REF_CYCLE`, `INVALID_LOGIC`, `UNKNOWN_FIELD`,
    /// `DUPLICATE`, `EMPTY_SCHEDULE`, `OVERLAPPING_VERSIONS`, `MISMATCH`.
    pub code: &'static str,
    /// Details for the person who wrote the definition.
    pub reason: String,
}

impl LoadError {
    /// The same error seen from a containing document, whose part sits at `prefix`.
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        let path = if self.path == "/" {
            prefix.to_owned()
        } else {
            format!("{prefix}{}", self.path)
        };
        Self { path, ..self }
    }
}

pub(crate) fn err(
    path: impl Into<String>,
    code: &'static str,
    reason: impl Into<String>,
) -> LoadError {
    let path = path.into();
    LoadError {
        path: if path.is_empty() {
            "/".to_owned()
        } else {
            path
        },
        code,
        reason: reason.into(),
    }
}

/// A JSON Pointer into a definition, written out only when an error names it: a definition
/// that loads formats none. Formatting one per key was a third of the work of loading a form on a
/// phone, and made the formatting machinery hot in the first moments of a form page.
#[derive(Clone, Copy)]
pub(crate) struct At<'p> {
    parent: Option<&'p At<'p>>,
    step: Step<'p>,
}

#[derive(Clone, Copy)]
enum Step<'p> {
    /// A pointer already written (the root is `""`).
    Written(&'p str),
    Key(&'p str),
    Index(usize),
}

impl<'p> At<'p> {
    /// The document's root.
    pub(crate) const ROOT: At<'static> = At {
        parent: None,
        step: Step::Written(""),
    };

    /// A place given as a written pointer.
    pub(crate) const fn written(pointer: &'p str) -> Self {
        Self {
            parent: None,
            step: Step::Written(pointer),
        }
    }

    /// The member `key` of the value here.
    pub(crate) const fn key(&'p self, key: &'p str) -> Self {
        Self {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The element `i` of the value here.
    pub(crate) const fn index(&'p self, i: usize) -> Self {
        Self {
            parent: Some(self),
            step: Step::Index(i),
        }
    }

    /// Whether this is the document's root.
    pub(crate) fn is_root(&self) -> bool {
        matches!(
            self,
            At {
                parent: None,
                step: Step::Written("")
            }
        )
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Written(pointer) => f.write_str(pointer),
            Step::Key(key) => write!(f, "/{}", crate::form::paths::escape(key)),
            Step::Index(i) => write!(f, "/{i}"),
        }
    }
}

impl From<At<'_>> for String {
    fn from(at: At<'_>) -> Self {
        at.to_string()
    }
}

pub(crate) fn object<'v>(v: &'v Value, at: &str) -> Result<&'v Map<String, Value>, LoadError> {
    v.as_object()
        .ok_or_else(|| err(at, "MALFORMED", "expected an object"))
}

pub(crate) fn only_keys(
    map: &Map<String, Value>,
    allowed: &[&str],
    at: &str,
) -> Result<(), LoadError> {
    only(map.keys().map(String::as_str), allowed, At::written(at))
}

/// `UNKNOWN_KEY` at the first of `keys` not `allowed`.
fn only<'k>(
    mut keys: impl Iterator<Item = &'k str>,
    allowed: &[&str],
    at: At<'_>,
) -> Result<(), LoadError> {
    match keys.find(|k| !allowed.contains(k)) {
        Some(k) => Err(err(
            at.key(k),
            "UNKNOWN_KEY",
            format!("`{k}` is not a key here; allowed: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

pub(crate) fn string(v: Option<&Value>, at: &str) -> Result<String, LoadError> {
    json::string(v.map(Json::borrow).as_ref(), At::written(at))
}

/// Parses `{"vi": …, "en": …}`; both are required, Vietnamese first.
pub(crate) fn text(v: Option<&Value>, at: &str) -> Result<Text, LoadError> {
    json::text(v.map(Json::borrow).as_ref(), At::written(at))
}

/// Compiles an optional JSON Logic expression found at `at`.
pub(crate) fn logic(v: Option<&Value>, at: &str) -> Result<Option<Logic>, LoadError> {
    json::logic(v.map(Json::borrow).as_ref(), At::written(at))
}

/// The same checks on definitions read as [`Json`]: what a phone loads a form definition from.
/// Read into `serde_json::Value`, the largest demo form's definition took about half of its
/// loading in a cold start (a B-tree per object, an allocation per key, and the compilation of
/// code only loading used), where the validations read `Json` anyway.
pub(crate) mod json {
    use std::borrow::Cow;

    use super::{At, LoadError, Text, err};
    use crate::json::{Json, member};
    use crate::logic::Logic;

    /// An object's members (sorted by key), looked up by key.
    #[derive(Clone, Copy)]
    pub(crate) struct Object<'v, 'a>(&'v [(Cow<'a, str>, Json<'a>)]);

    impl<'v, 'a> Object<'v, 'a> {
        pub(crate) fn get(self, key: &str) -> Option<&'v Json<'a>> {
            member(self.0, key)
        }

        pub(crate) fn iter(self) -> impl Iterator<Item = (&'v str, &'v Json<'a>)> {
            self.0.iter().map(|(k, v)| (k.as_ref(), v))
        }
    }

    pub(crate) fn object<'v, 'a>(v: &'v Json<'a>, at: At<'_>) -> Result<Object<'v, 'a>, LoadError> {
        v.as_object()
            .map(Object)
            .ok_or_else(|| err(at, "MALFORMED", "expected an object"))
    }

    pub(crate) fn only_keys(
        map: Object<'_, '_>,
        allowed: &[&str],
        at: At<'_>,
    ) -> Result<(), LoadError> {
        super::only(map.iter().map(|(k, _)| k), allowed, at)
    }

    pub(crate) fn string(v: Option<&Json>, at: At<'_>) -> Result<String, LoadError> {
        v.and_then(Json::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .ok_or_else(|| err(at, "MALFORMED", "expected a non-empty string"))
    }

    /// Parses `{"vi": …, "en": …}`; both are required, Vietnamese first.
    pub(crate) fn text(v: Option<&Json>, at: At<'_>) -> Result<Text, LoadError> {
        let map = object(v.unwrap_or(&Json::Null), at)?;
        only_keys(map, &["vi", "en"], at)?;
        Ok(Text {
            vi: string(map.get("vi"), at.key("vi"))?,
            en: string(map.get("en"), at.key("en"))?,
        })
    }

    /// Compiles an optional JSON Logic expression found at `at`.
    pub(crate) fn logic(v: Option<&Json>, at: At<'_>) -> Result<Option<Logic>, LoadError> {
        v.map(|v| {
            Logic::compile_json(v).map_err(|e| {
                let inner = if e.path == "/" { String::new() } else { e.path };
                err(format!("{at}{inner}"), "INVALID_LOGIC", e.reason)
            })
        })
        .transpose()
    }
}

/// An optional `YYYY-MM-DD` date.
pub(crate) fn date(v: Option<&Value>, at: &str) -> Result<Option<NaiveDate>, LoadError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => crate::calendar::parse_iso_date(s)
            .map(Some)
            .ok_or_else(|| err(at, "MALFORMED", "expected a date YYYY-MM-DD")),
        Some(_) => Err(err(at, "MALFORMED", "expected a date YYYY-MM-DD")),
    }
}

/// A value read through serde, for small typed parts (enums, counts, processing times).
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    v: Option<&Value>,
    at: &str,
    what: &str,
) -> Result<T, LoadError> {
    v.cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| err(at, "MALFORMED", format!("expected {what}")))
}

/// `UPPER_SNAKE_CASE`, the shape of every code a definition names (rule codes, categories).
pub(crate) fn is_code(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_written_as_the_pointer_it_stands_for() {
        let fields = At::ROOT.key("fields");
        let field = fields.key("/owner/name");
        assert_eq!(
            field.key("label").to_string(),
            "/fields/~1owner~1name/label"
        );
        assert_eq!(At::ROOT.key("rules").index(3).to_string(), "/rules/3");
        assert_eq!(
            At::written("/schema").key("a~b").to_string(),
            "/schema/a~0b"
        );
        assert!(At::ROOT.is_root() && !fields.is_root() && !At::written("/x").is_root());
        // The root is named `/` in an error, as a written empty pointer was.
        assert_eq!(err(At::ROOT, "MALFORMED", "x").path, "/");
        assert_eq!(err(field, "MALFORMED", "x").path, "/fields/~1owner~1name");
        // An unknown key is named by its escaped pointer too.
        let unknown = only(["a/b"].into_iter(), &["c"], fields).unwrap_err();
        assert_eq!(unknown.path, "/fields/a~1b");
    }
}
