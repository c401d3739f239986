//! Validating form data: computed values, visibility, the schema, conditional requirements and
//! cross-field rules, in that order, returning every violation.

use serde::Serialize;
use serde_json::Value;

use super::definition::FormDefinition;
use super::paths;
use crate::logic::{Base, Scope};

/// One reason the data is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON Pointer of the field.
    pub path: String,
    /// Stable code (`FIELD_REQUIRED`, `CHECKSUM`, a rule's own code, …).
    pub code: String,
    /// Vietnamese message, starting with the field's label.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

/// The outcome of a validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// Whether there is no violation.
    pub valid: bool,
    /// Every violation, sorted by path, then code.
    pub violations: Vec<Violation>,
    /// The computed values, by pointer, as the server will store them.
    pub computed: Vec<(String, Value)>,
    /// The fields whose `visible_if` is false, as concrete pointers: a form renderer hides them
    /// (and the server drops them) without evaluating JSON Logic itself.
    pub hidden: Vec<String>,
    /// The fields whose `required_if` is true, as concrete pointers: a renderer marks them
    /// required as the user types.
    pub required: Vec<String>,
}

/// A value counts as given unless absent, `null`, an empty or blank string, or an empty array.
fn is_given(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// `Số chữ số…` → `số chữ số…`, so that a standalone message reads well after a label.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The scope of a condition or rule at a place: the form, the context, and the `*` element.
fn scope_at<'a>(work: &'a Value, context: &'a Value, place: &paths::Place<'_, 'a>) -> Scope<'a> {
    let scope = Scope::new(work, context);
    place.item_value().map_or(scope, |i| scope.with_item(i))
}

impl FormDefinition {
    /// Validates form data in a context (`today`, `channel`, `categories`, … as the rules use them).
    #[must_use]
    pub fn validate(&self, data: &Value, context: &Value) -> Validation {
        let mut work = data.clone();

        // Computed values first, in order, so that later ones and the rules can use them.
        let mut computed = Vec::new();
        for c in &self.computed {
            let targets: Vec<(String, Option<(String, Value)>)> = paths::expand(&c.segments, &work)
                .into_iter()
                .map(|(p, item)| (p, item.map(|(ip, v)| (ip, v.clone()))))
                .collect();
            for (pointer, item) in targets {
                let scope = Scope::new(&work, context);
                let scope = match &item {
                    Some((_, item)) => scope.with_item(item),
                    None => scope,
                };
                let value = c.logic.eval(&scope).into_owned();
                if paths::set(&mut work, &pointer, value.clone()) {
                    computed.push((pointer, value));
                }
            }
        }

        // Hidden fields are neither validated nor kept.
        let mut buffer = String::with_capacity(64);
        let mut hidden: Vec<String> = Vec::new();
        for f in &self.fields {
            let Some(visible_if) = &f.visible_if else {
                continue;
            };
            paths::each(&f.segments, &work, &mut buffer, &mut |place| {
                if !visible_if.test(&scope_at(&work, context, &place)) {
                    hidden.push(place.pointer.to_owned());
                }
            });
        }
        for pointer in &hidden {
            paths::remove(&mut work, pointer);
        }

        let mut found: Vec<(String, String, String, String)> = self
            .schema
            .validate(&work)
            .into_iter()
            .map(|v| (v.path, v.code.to_owned(), v.message_vi, v.message_en))
            .collect();

        let mut required = Vec::new();
        for f in &self.fields {
            let Some(required_if) = &f.required_if else {
                continue;
            };
            paths::each(&f.segments, &work, &mut buffer, &mut |place| {
                if !required_if.test(&scope_at(&work, context, &place)) {
                    return;
                }
                required.push(place.pointer.to_owned());
                if !is_given(place.value)
                    && !found
                        .iter()
                        .any(|v| v.0 == place.pointer && v.1 == "FIELD_REQUIRED")
                {
                    found.push((
                        place.pointer.to_owned(),
                        "FIELD_REQUIRED".to_owned(),
                        "bắt buộc phải nhập.".to_owned(),
                        "is required.".to_owned(),
                    ));
                }
            });
        }

        // Rules judge valid input only: a rule is skipped when its own field, or a field it reads,
        // already failed the schema or a conditional requirement. Rules do not mask each other.
        let checked = found.len();
        for rule in &self.rules {
            paths::each(&rule.segments, &work, &mut buffer, &mut |place| {
                let earlier = found.get(..checked).unwrap_or_default();
                let failed = |p: &str| earlier.iter().any(|v| paths::is_within(p, &v.0));
                let reads_failed =
                    rule.reads
                        .iter()
                        .any(|(base, read)| match (base, place.item_pointer()) {
                            (Base::Item, Some(item)) => earlier
                                .iter()
                                .any(|v| paths::is_within_joined(item, read, &v.0)),
                            (Base::Item, None) => false,
                            _ => failed(read),
                        });
                if failed(place.pointer) || reads_failed {
                    return;
                }
                let scope = scope_at(&work, context, &place);
                if rule.when.as_ref().is_none_or(|w| w.test(&scope)) && !rule.logic.test(&scope) {
                    found.push((
                        place.pointer.to_owned(),
                        rule.code.clone(),
                        rule.message.vi.clone(),
                        rule.message.en.clone(),
                    ));
                }
            });
        }

        found.retain(|v| !hidden.iter().any(|h| paths::is_within(&v.0, h)));
        found.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        found.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let violations: Vec<Violation> = found
            .into_iter()
            .map(|(path, code, vi, en)| {
                let (label_vi, label_en) = match self.label(&path) {
                    Some(t) => (t.vi.clone(), t.en.clone()),
                    None if path.is_empty() => ("Biểu mẫu".to_owned(), "The form".to_owned()),
                    None => (path.clone(), path.clone()),
                };
                Violation {
                    message_vi: format!("{label_vi}: {}", lower_first(&vi)),
                    message_en: format!("{label_en}: {}", lower_first(&en)),
                    path,
                    code,
                }
            })
            .collect();
        Validation {
            valid: violations.is_empty(),
            violations,
            computed,
            hidden,
            required,
        }
    }
}
