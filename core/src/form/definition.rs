//! Loading a form definition: everything checked once, so validation can never fail on the
//! definition itself.

use serde_json::Value;

use crate::json::{self, Json};

use super::paths;
use super::schema::CompiledSchema;
use super::validate::{FORM_EN, FORM_VI, REQUIRED_EN, REQUIRED_VI, labelled};
use crate::load::json::{logic, object, only_keys, string, text};
use crate::load::{At, err, is_code};
pub use crate::load::{LoadError as DefinitionError, Text};
use crate::logic::{Base, Logic};

/// UI hints and conditions of one field (or repeating group).
#[derive(Debug, Clone)]
pub struct FieldHints {
    /// The pointer pattern (`/members/*/full_name`).
    pub path: String,
    pub(super) segments: Vec<String>,
    /// Label.
    pub label: Text,
    /// Help text.
    pub help: Option<Text>,
    /// Widget name.
    pub widget: Option<String>,
    /// Display order.
    pub order: Option<i64>,
    /// Required when this is true.
    pub required_if: Option<Logic>,
    /// Shown (and validated) only when this is true.
    pub visible_if: Option<Logic>,
    /// The "is required" message after the label, written at load when `required_if` is set.
    pub(super) required_message: Option<Labelled>,
}

/// A message after its field's label, Vietnamese and English: written once at load instead of at
/// every check that finds it (see `FormDefinition::placed`).
pub(super) type Labelled = (String, String);

/// A cross-field rule: when `logic` is false, the form is invalid at `path` with `code`.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Identifier within the form.
    pub id: String,
    /// Where the violation is reported (pattern; `*` repeats the rule per element).
    pub path: String,
    pub(super) segments: Vec<String>,
    /// The rule applies only when this is true.
    pub when: Option<Logic>,
    /// Must be true.
    pub logic: Logic,
    /// The stable code reported.
    pub code: String,
    /// The message reported.
    pub message: Text,
    /// The fields the rule reads, as pointers (`$item` ones relative to the element).
    pub(super) reads: Vec<(Base, String)>,
    /// `message` after the label, written at load.
    pub(super) labelled: Option<Labelled>,
}

/// A value the form computes from other fields.
#[derive(Debug, Clone)]
pub(super) struct Computed {
    pub(super) path: String,
    pub(super) segments: Vec<String>,
    pub(super) logic: Logic,
}

impl Computed {
    /// The member its value is set as: its pattern's last segment (`paths::set` takes it only
    /// where it is the pointer's, so not for a `*`).
    pub(super) fn name(&self) -> Option<&str> {
        self.segments.last().map(String::as_str)
    }
}

/// A loaded, checked form definition.
#[derive(Debug, Clone)]
pub struct FormDefinition {
    /// The procedure code it belongs to (e.g. `1.004222`).
    pub form: String,
    /// The definition's version.
    pub version: String,
    /// Title.
    pub title: Text,
    pub(super) schema: CompiledSchema,
    pub(super) fields: Vec<FieldHints>,
    pub(super) rules: Vec<Rule>,
    pub(super) computed: Vec<Computed>,
}

fn pointer(v: Option<&Json>, at: At<'_>) -> Result<String, DefinitionError> {
    let p = string(v, at)?;
    if !p.starts_with('/') {
        return Err(err(
            at,
            "MALFORMED",
            "a path is a JSON Pointer starting with `/`",
        ));
    }
    Ok(p)
}

const WIDGETS: &[&str] = &[
    "text",
    "textarea",
    "number",
    "money",
    "date",
    "select",
    "radio",
    "checkbox",
    "identifier",
    "phone",
    "email",
    "address",
    "group",
    "hidden",
];

impl FormDefinition {
    /// The pointer patterns of the fields the definition describes (its UI hints, e.g.
    /// `/applicant/full_name`), for clients and servers that prefill or lay out the form.
    pub fn field_paths(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.path.as_str())
    }

    /// The direct fields of the `applicant` object (`full_name`, `id_number`, …), which a filing
    /// is prefilled with from the applicant's profile.
    #[must_use]
    pub fn applicant_fields(&self) -> Vec<&str> {
        self.field_paths()
            .filter_map(|p| p.strip_prefix("/applicant/"))
            .filter(|rest| !rest.contains('/'))
            .collect()
    }

    /// Loads a definition from its JSON.
    ///
    /// # Errors
    /// The first problem, with its JSON Pointer in the definition and a stable code.
    pub fn load(definition: &Value) -> Result<Self, DefinitionError> {
        Self::load_json(&Json::borrow(definition))
    }

    /// [`Self::load`], from a definition read as [`Json`] (a phone's, from its text).
    ///
    /// # Errors
    /// As [`Self::load`].
    pub fn load_json(definition: &Json) -> Result<Self, DefinitionError> {
        let root = object(definition, At::ROOT)?;
        only_keys(
            root,
            &[
                "form", "version", "title", "schema", "fields", "rules", "computed", "$comment",
            ],
            At::ROOT,
        )?;
        let schema_value = root
            .get("schema")
            .ok_or_else(|| err("/schema", "MALFORMED", "a definition needs a schema"))?;
        let schema = CompiledSchema::compile_json(schema_value).map_err(|e| e.within("/schema"))?;
        let declared = |segments: &[String], at: At<'_>, path: &str| {
            if schema.declares(segments) {
                Ok(())
            } else {
                Err(err(
                    at,
                    "UNKNOWN_FIELD",
                    format!("`{path}` is not a field of the schema"),
                ))
            }
        };

        let mut fields = Vec::new();
        if let Some(v) = root.get("fields") {
            let all = At::ROOT.key("fields");
            for (path, hints) in object(v, all)?.iter() {
                let at = all.key(path);
                if !path.starts_with('/') {
                    return Err(err(
                        at,
                        "MALFORMED",
                        "field keys are JSON Pointers starting with `/`",
                    ));
                }
                let segments = paths::segments(path);
                declared(&segments, at, path)?;
                let h = object(hints, at)?;
                only_keys(
                    h,
                    &[
                        "label",
                        "help",
                        "widget",
                        "order",
                        "placeholder",
                        "options",
                        "required_if",
                        "visible_if",
                        "readonly",
                    ],
                    at,
                )?;
                let widget = match h.get("widget") {
                    None => None,
                    Some(w) => {
                        let w = string(Some(w), at.key("widget"))?;
                        if !WIDGETS.contains(&w.as_str()) {
                            return Err(err(
                                at.key("widget"),
                                "MALFORMED",
                                format!("unknown widget `{w}`; known: {}", WIDGETS.join(", ")),
                            ));
                        }
                        Some(w)
                    }
                };
                if let Some(options) = h.get("options") {
                    let options_at = at.key("options");
                    for (value, label) in object(options, options_at)?.iter() {
                        text(Some(label), options_at.key(value))?;
                    }
                }
                if let Some(p) = h.get("placeholder") {
                    text(Some(p), at.key("placeholder"))?;
                }
                let order =
                    match h.get("order") {
                        None => None,
                        Some(o) => Some(o.as_i64().ok_or_else(|| {
                            err(at.key("order"), "MALFORMED", "expected an integer")
                        })?),
                    };
                if h.get("readonly").is_some_and(|r| r.as_bool().is_none()) {
                    return Err(err(at.key("readonly"), "MALFORMED", "expected a boolean"));
                }
                fields.push(FieldHints {
                    path: path.to_owned(),
                    segments,
                    label: text(h.get("label"), at.key("label"))?,
                    help: h
                        .get("help")
                        .map(|v| text(Some(v), at.key("help")))
                        .transpose()?,
                    widget,
                    order,
                    required_if: logic(h.get("required_if"), at.key("required_if"))?,
                    visible_if: logic(h.get("visible_if"), at.key("visible_if"))?,
                    required_message: None,
                });
            }
        }

        let mut rules: Vec<Rule> = Vec::new();
        if let Some(v) = root.get("rules") {
            let list = v
                .as_array()
                .ok_or_else(|| err("/rules", "MALFORMED", "expected an array"))?;
            let all = At::ROOT.key("rules");
            for (i, r) in list.iter().enumerate() {
                let at = all.index(i);
                let m = object(r, at)?;
                only_keys(m, &["id", "path", "when", "logic", "code", "message"], at)?;
                let id = string(m.get("id"), at.key("id"))?;
                if rules.iter().any(|r| r.id == id) {
                    return Err(err(
                        at.key("id"),
                        "DUPLICATE",
                        format!("rule id `{id}` is used twice"),
                    ));
                }
                let path = pointer(m.get("path"), at.key("path"))?;
                let segments = paths::segments(&path);
                declared(&segments, at.key("path"), &path)?;
                let code = string(m.get("code"), at.key("code"))?;
                if !is_code(&code) {
                    return Err(err(
                        at.key("code"),
                        "MALFORMED",
                        "codes are UPPER_SNAKE_CASE",
                    ));
                }
                let when = logic(m.get("when"), at.key("when"))?;
                let check = logic(m.get("logic"), at.key("logic"))?
                    .ok_or_else(|| err(at.key("logic"), "MALFORMED", "a rule needs `logic`"))?;
                let reads = check
                    .variables()
                    .into_iter()
                    .chain(when.iter().flat_map(Logic::variables))
                    .filter_map(crate::logic::VarPath::pointer)
                    .filter(|(base, pointer)| *base != Base::Context && !pointer.is_empty())
                    .collect();
                rules.push(Rule {
                    id,
                    path,
                    segments,
                    when,
                    logic: check,
                    code,
                    message: text(m.get("message"), at.key("message"))?,
                    reads,
                    labelled: None,
                });
            }
        }

        let mut computed = Vec::new();
        if let Some(v) = root.get("computed") {
            let list = v
                .as_array()
                .ok_or_else(|| err("/computed", "MALFORMED", "expected an array"))?;
            let all = At::ROOT.key("computed");
            for (i, c) in list.iter().enumerate() {
                let at = all.index(i);
                let m = object(c, at)?;
                only_keys(m, &["path", "logic"], at)?;
                let path = pointer(m.get("path"), at.key("path"))?;
                let segments = paths::segments(&path);
                declared(&segments, at.key("path"), &path)?;
                computed.push(Computed {
                    path,
                    segments,
                    logic: logic(m.get("logic"), at.key("logic"))?.ok_or_else(|| {
                        err(
                            at.key("logic"),
                            "MALFORMED",
                            "a computed value needs `logic`",
                        )
                    })?,
                });
            }
        }

        let mut form = Self {
            form: string(root.get("form"), At::ROOT.key("form"))?,
            version: string(root.get("version"), At::ROOT.key("version"))?,
            title: text(root.get("title"), At::ROOT.key("title"))?,
            schema,
            fields,
            rules,
            computed,
        };
        form.write_messages();
        Ok(form)
    }

    /// Writes each rule's message and each conditionally required field's message after their
    /// label. Not when a field is described at a concrete index (`/a/0/b`): it may have a label of
    /// its own that `/a/1/b` has not, so every label is then looked up at its place.
    fn write_messages(&mut self) {
        let indexed = self.fields.iter().any(|f| {
            f.path
                .split('/')
                .any(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        });
        if indexed {
            return;
        }
        let rules: Vec<_> = self
            .rules
            .iter()
            .map(|r| self.placed(&r.path, &r.message.vi, &r.message.en))
            .collect();
        for (rule, labelled) in self.rules.iter_mut().zip(rules) {
            rule.labelled = labelled;
        }
        let required: Vec<_> = self
            .fields
            .iter()
            .map(|f| {
                f.required_if
                    .as_ref()
                    .and_then(|_| self.placed(&f.path, REQUIRED_VI, REQUIRED_EN))
            })
            .collect();
        for (field, message) in self.fields.iter_mut().zip(required) {
            field.required_message = message;
        }
    }

    /// A message after the label of every place of `pattern`, when that label is the pattern's:
    /// `None` when no field describes the pattern (each place is then labelled by its pointer).
    fn placed(&self, pattern: &str, vi: &str, en: &str) -> Option<Labelled> {
        if !pattern.is_empty() && self.label(pattern).is_none() {
            return None;
        }
        let (label_vi, label_en) = self.violation_label(pattern);
        Some((labelled(label_vi, vi), labelled(label_en, en)))
    }

    /// What a violation at a concrete pointer is labelled with: its field's label, the form's
    /// for the root, or else the pointer itself.
    pub(super) fn violation_label<'s>(&'s self, pointer: &'s str) -> (&'s str, &'s str) {
        match self.label(pointer) {
            Some(t) => (&t.vi, &t.en),
            None if pointer.is_empty() => (FORM_VI, FORM_EN),
            None => (pointer, pointer),
        }
    }

    /// The field hints, in display order.
    #[must_use]
    pub fn fields(&self) -> Vec<&FieldHints> {
        let mut f: Vec<&FieldHints> = self.fields.iter().collect();
        crate::sort::by_key(&mut f, |h| h.order.unwrap_or(i64::MAX));
        f
    }

    /// How many cross-field rules the form has.
    #[must_use]
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The pointer patterns of the computed fields (read-only in a UI: the server recomputes them).
    pub fn computed_paths(&self) -> impl Iterator<Item = &str> {
        self.computed.iter().map(|c| c.path.as_str())
    }

    /// The label of a concrete pointer (`/members/0/name` finds `/members/*/name`).
    #[must_use]
    pub fn label(&self, pointer: &str) -> Option<&Text> {
        // Compared without writing the pattern, and only where it can differ from the pointer
        // (an index in it) and be as long (`*` stands for one digit or more): this labels every
        // violation of a changed answer.
        let indexed = paths::has_index(pointer);
        self.fields
            .iter()
            .find(|f| {
                json::same(&f.path, pointer)
                    || (indexed
                        && f.path.len() <= pointer.len()
                        && paths::is_pattern_of(&f.path, pointer))
            })
            .map(|f| &f.label)
    }
}
