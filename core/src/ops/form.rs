//! `form.validate`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{OpError, parse};
use crate::form::{Checked, FormDefinition, Memo, Since, Violation, or_empty};
use crate::json::Json;

#[derive(Deserialize)]
struct Input {
    definition: Value,
    data: Value,
    #[serde(default)]
    context: Value,
}

/// Loads a form definition, reporting `INVALID_DEFINITION` with the reason and its pointer.
pub(super) fn load(definition: &Value) -> Result<FormDefinition, OpError> {
    FormDefinition::load(definition).map_err(definition_error)
}

fn definition_error(e: crate::form::DefinitionError) -> OpError {
    OpError::definition("INVALID_DEFINITION", e.code, e.path, e.reason)
}

pub(super) fn validate(input: &Value) -> Result<Value, OpError> {
    let input: Input = parse(input)?;
    let form = load(&input.definition)?;
    Ok(output(&form, &input.data, &input.context))
}

/// Validates and answers in the contract's shape.
fn output(form: &FormDefinition, data: &Value, context: &Value) -> Value {
    answer(form, Json::borrow(data), &Json::borrow(context), |a| {
        serde_json::to_value(a).unwrap_or(Value::Null)
    })
}

/// The contract's answer, borrowed from the validation, so that the text a phone receives is
/// written straight from it (members in the order a JSON object of the contract sorts them).
#[derive(Serialize)]
struct Answer<'a> {
    computed: Computed<'a>,
    form: &'a str,
    hidden: &'a [String],
    messages: Vec<Message<'a>>,
    required: &'a [String],
    valid: bool,
    version: &'a str,
    violations: Vec<Place<'a>>,
}

/// The computed values by pointer, as an object (members sorted, a later value of one pointer
/// winning, as they did when this was a JSON object).
type Computed<'a> = Json<'a>;

/// The object of the computed values, each put in its place as it comes. A [`Json`] object
/// rather than a map of its own: a form's first check in the package writes it, and a map type
/// was 2.5 KB more of WebAssembly for the engine to compile then (its insertion, iteration,
/// writing and dropping), 9 KB of the module in all. Put in place one by one, not sorted after:
/// natively the sort of a few pointers cost more than the map had. This is what `Json::object`
/// and `Json::entry_named` do, written again on purpose: built on either, a full check took
/// natively 1.5–2.4 % more instructions (the sort, and the inlining moved elsewhere).
fn computed<'a>(values: &'a [(String, Json<'static>)]) -> Computed<'a> {
    let mut members: Vec<(Cow<'a, str>, Json<'a>)> = Vec::with_capacity(values.len());
    for (pointer, value) in values {
        match members.binary_search_by(|(k, _)| crate::json::order(k, pointer)) {
            Ok(i) => {
                if let Some(member) = members.get_mut(i) {
                    member.1 = value.view();
                }
            }
            Err(i) => members.insert(i, (Cow::Borrowed(pointer.as_str()), value.view())),
        }
    }
    Json::Object(members)
}

#[derive(Serialize)]
struct Message<'a> {
    en: &'a str,
    vi: &'a str,
}

#[derive(Serialize)]
struct Place<'a> {
    code: &'a str,
    path: &'a str,
}

fn answer<T>(
    form: &FormDefinition,
    data: Json<'_>,
    context: &Json<'_>,
    write: impl FnOnce(&Answer<'_>) -> T,
) -> T {
    let result = check(form, data, context);
    write(&Answer {
        computed: computed(&result.computed),
        form: &form.form,
        hidden: &result.hidden,
        messages: result
            .violations
            .iter()
            .map(|v| Message {
                en: &v.message_en,
                vi: &v.message_vi,
            })
            .collect(),
        required: &result.required,
        valid: result.violations.is_empty(),
        version: &form.version,
        violations: result
            .violations
            .iter()
            .map(|v| Place {
                code: &v.code,
                path: &v.path,
            })
            .collect(),
    })
}

/// Validates in a context, `null` meaning an empty one.
fn check(form: &FormDefinition, data: Json<'_>, context: &Json<'_>) -> Checked {
    let empty = Json::Object(Vec::new());
    form.check(data, or_empty(context, &empty))
}

/// A validation's answer taken apart, for a caller that turns each part into objects of its own
/// once and keeps them while they stay the same: the wasm package, where converting an answer
/// into JavaScript (its text parsed, each message's text decoded) cost about as much as the check
/// that found it, while from one keystroke to the next most parts do not change.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerParts {
    /// The answer is the last one given with the same memo
    /// ([`LoadedForm::validate_json_parts_since`]): the lists are left empty.
    pub same: bool,
    /// Whether there is no violation.
    pub valid: bool,
    /// The computed values by pointer as found (written as the answer's `computed` object by
    /// [`Self::computed_text`]): a caller comparing them with the last ones writes them only
    /// when they change.
    pub computed: Vec<(String, Json<'static>)>,
    /// The answer's `hidden`.
    pub hidden: Vec<String>,
    /// The answer's `required`.
    pub required: Vec<String>,
    /// The answer's `violations` and `messages`: each violation's path and code, and its message.
    pub violations: Vec<Violation>,
    /// Per violation, where it was in the last answer's list given to
    /// [`LoadedForm::validate_json_parts_since`] (and taken from there), if it was: a caller
    /// keeping objects made for the last answer's violations hands those out again.
    pub from_last: Vec<Option<usize>>,
}

impl AnswerParts {
    /// The answer's `computed` object of `values` as JSON text.
    ///
    /// # Errors
    /// None in practice: an object with string keys is always written.
    pub fn computed_text(values: &[(String, Json<'static>)]) -> Result<String, OpError> {
        serde_json::to_string(&computed(values)).map_err(|_| OpError::invalid_input())
    }
}

/// A form definition loaded once and used for many validations: what a phone keeps in memory
/// while a citizen fills the form. Answers exactly as `form.validate` does.
#[derive(Debug, Clone)]
pub struct LoadedForm(FormDefinition);

impl LoadedForm {
    /// Loads a definition from its JSON text.
    ///
    /// # Errors
    /// `INVALID_INPUT` for text that is not JSON; `INVALID_DEFINITION` with `detail` and `path`.
    pub fn load_json(definition: &str) -> Result<Self, OpError> {
        // Read as `Json`, not `serde_json::Value`: see `load::json`.
        let definition = Json::parse(definition).map_err(|_| OpError::invalid_input())?;
        FormDefinition::load_json(&definition)
            .map(Self)
            .map_err(definition_error)
    }

    /// Validates form data given as JSON text; the answer is JSON text.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the data or the context is not JSON.
    pub fn validate_json(&self, data: &str, context: Option<&str>) -> Result<String, OpError> {
        let (data, context) = read(data, context)?;
        answer(&self.0, data, &context, |a| serde_json::to_string(a))
            .map_err(|_| OpError::invalid_input())
    }

    /// [`Self::validate_json`], the answer in parts.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the data or the context is not JSON.
    pub fn validate_json_parts(
        &self,
        data: &str,
        context: Option<&str>,
    ) -> Result<AnswerParts, OpError> {
        self.parts(data, context, None)
    }

    /// [`Self::validate_json_parts`] of the next version of data being filled in: what the last
    /// check with `memo` found is reused where the members of the form it came from did not
    /// change (a keystroke changes one field). The answer is the one a full check gives
    /// (`form::memo`). A memo made for another definition is started again.
    ///
    /// `last` is the caller's last answer's violations, as it was given them (or any list, or
    /// none): a violation of the new answer written exactly as one there is taken from there,
    /// left empty, rather than written again (`from_last` says where from). A keystroke that
    /// changes the answer mostly changes one violation of many; `last` is left as it was when
    /// the answer is the same.
    ///
    /// # Errors
    /// `INVALID_INPUT` when the data or the context is not JSON.
    pub fn validate_json_parts_since(
        &self,
        memo: &mut Memo,
        data: &str,
        context: Option<&str>,
        last: &mut [Violation],
    ) -> Result<AnswerParts, OpError> {
        self.parts(data, context, Some((memo, last)))
    }

    fn parts(
        &self,
        data: &str,
        context: Option<&str>,
        memo: Option<(&mut Memo, &mut [Violation])>,
    ) -> Result<AnswerParts, OpError> {
        let result = match memo {
            // The data's text is read by the check: only what changed.
            Some((memo, last)) => {
                let since = Since {
                    memo,
                    data,
                    context,
                    answer: last,
                };
                match self.0.check_since(since) {
                    Some(checked) => checked,
                    // Not JSON: read in full, which says so (and the memo starts again).
                    None => {
                        let (json, context_json) = read(data, context)?;
                        check(&self.0, json, &context_json)
                    }
                }
            }
            None => {
                let (json, context_json) = read(data, context)?;
                check(&self.0, json, &context_json)
            }
        };
        Ok(AnswerParts {
            same: result.same,
            valid: result.valid,
            computed: result.computed,
            hidden: result.hidden,
            required: result.required,
            violations: result.violations,
            from_last: result.from_last,
        })
    }

    /// An empty memo for [`Self::validate_json_parts_since`].
    #[must_use]
    pub fn memo(&self) -> Memo {
        Memo::new(&self.0)
    }

    /// The loaded definition.
    #[must_use]
    pub fn definition(&self) -> &FormDefinition {
        &self.0
    }
}

/// Reads data and context borrowing the text's strings: on a phone, building a
/// `serde_json::Value` for every keystroke's check cost more than the check.
fn read<'a>(data: &'a str, context: Option<&'a str>) -> Result<(Json<'a>, Json<'a>), OpError> {
    let data = Json::parse(data).map_err(|_| OpError::invalid_input())?;
    Ok((data, read_context(context)?))
}

/// The context's text read, `null` when there is none.
fn read_context(context: Option<&str>) -> Result<Json<'_>, OpError> {
    context.map_or(Ok(Json::Null), |c| {
        Json::parse(c).map_err(|_| OpError::invalid_input())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The computed object: members sorted by pointer as a JSON object's are, a later value of
    /// a pointer replacing an earlier one.
    #[test]
    fn computed_values_are_an_object_sorted_with_the_last_value_of_a_pointer() {
        let values: Vec<(String, Json<'static>)> = [
            ("/total", Json::from("1")),
            ("/members/1/share", Json::from("a")),
            ("/member_count", Json::from("2")),
            ("/members/0/share", Json::from("b")),
            ("/total", Json::from("3")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let text = serde_json::to_string(&computed(&values)).unwrap();
        assert_eq!(
            text,
            r#"{"/member_count":"2","/members/0/share":"b","/members/1/share":"a","/total":"3"}"#
        );
        assert_eq!(AnswerParts::computed_text(&values).unwrap(), text);
    }

    /// The phone's path (text in, borrowed JSON, text out) answers what the contract's op answers
    /// from `serde_json` values, on every catalogue form's samples, and on data that breaks them.
    #[test]
    fn the_text_path_answers_as_the_value_path() {
        let mut compared = 0;
        for procedure in crate::catalog::demo_procedures() {
            let definition = &procedure["form"];
            let loaded = LoadedForm::load_json(&definition.to_string()).unwrap();
            for sample in procedure["samples"].as_object().unwrap().values() {
                let broken = serde_json::json!({"extra": 1, "members": [{"share_percent": "x"}]});
                for data in [&sample["data"], &broken] {
                    let context = &sample["context"];
                    let expected = validate(&serde_json::json!({
                        "definition": definition, "data": data, "context": context
                    }))
                    .unwrap();
                    let got = loaded
                        .validate_json(&data.to_string(), Some(&context.to_string()))
                        .unwrap();
                    assert_eq!(serde_json::from_str::<Value>(&got).unwrap(), expected);
                    // The same answer in parts.
                    let parts = loaded
                        .validate_json_parts(&data.to_string(), Some(&context.to_string()))
                        .unwrap();
                    let whole = serde_json::json!({
                        "computed": serde_json::from_str::<Value>(&AnswerParts::computed_text(&parts.computed).unwrap()).unwrap(),
                        "form": expected["form"],
                        "hidden": parts.hidden,
                        "messages": parts.violations.iter()
                            .map(|v| serde_json::json!({"en": v.message_en, "vi": v.message_vi}))
                            .collect::<Vec<_>>(),
                        "required": parts.required,
                        "valid": parts.valid,
                        "version": expected["version"],
                        "violations": parts.violations.iter()
                            .map(|v| serde_json::json!({"code": v.code, "path": v.path}))
                            .collect::<Vec<_>>(),
                    });
                    assert_eq!(whole, expected);
                    compared += 1;
                }
            }
        }
        assert!(compared >= 40, "{compared}");
    }

    /// With a memo the context is read once while its text stays the same: each answer is still
    /// the one for the context given with it (another day, none, one that is not JSON, the first
    /// again), and a context that is not JSON is refused even right after a valid one.
    #[test]
    fn the_context_kept_is_the_one_given() {
        let procedure = crate::catalog::demo_procedures()
            .into_iter()
            .find(|p| p["code"] == "1.001612")
            .unwrap();
        let loaded = LoadedForm::load_json(&procedure["form"].to_string()).unwrap();
        let mut memo = loaded.memo();
        let mut data = procedure["samples"]["valid"]["data"].clone();
        let contexts = [
            Some(r#"{"today": "2026-11-23"}"#),
            Some(r#"{"today": "2026-11-23"}"#),
            // The owner is under 18 on this day: the answer changes with the context alone.
            Some(r#"{"today": "1990-01-01"}"#),
            None,
            Some("not json"),
            Some(r#"{"today": "1990-01-01"}"#),
            Some(""),
            Some(r#"{"today": "2026-11-23"}"#),
            Some("null"),
        ];
        let mut answers = Vec::new();
        for (i, context) in contexts.into_iter().enumerate() {
            data["business"]["name"] = format!("Hộ kinh doanh số {i}").into();
            let text = data.to_string();
            let since = loaded
                .validate_json_parts_since(&mut memo, &text, context, &mut [])
                .map(|p| (p.valid, p.violations));
            let full = loaded
                .validate_json_parts(&text, context)
                .map(|p| (p.valid, p.violations));
            assert_eq!(since, full, "context {i}: {context:?}");
            answers.push(full.map(|(valid, _)| valid));
        }
        let ok = |valid| Ok(valid);
        let refused = Err(OpError::invalid_input());
        assert_eq!(
            answers,
            // Without `today` the owner's age cannot be told: the age rule fails.
            [
                ok(true),
                ok(true),
                ok(false),
                ok(false),
                refused.clone(),
                ok(false),
                refused,
                ok(true),
                ok(false)
            ]
        );
    }

    /// A definition read from text (`Json`, the phones') is refused exactly as one read as a
    /// `serde_json::Value` (the server's): same code, detail, pointer and reason.
    #[test]
    fn a_definition_from_text_is_refused_as_from_a_value() {
        let text = std::fs::read_to_string(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../catalog/procedures/1.001612.json"),
        )
        .unwrap();
        let form = serde_json::from_str::<Value>(&text).unwrap()["form"].clone();
        let broken: Vec<fn(&mut Value)> = vec![
            |_| {},
            |f| f["schema"]["properties"]["owner"]["frobnicate"] = true.into(),
            |f| f["schema"]["properties"]["capital"]["minimum"] = "0".into(),
            |f| f["schema"]["properties"]["capital"]["type"] = "money".into(),
            |f| f["schema"]["properties"]["business"]["properties"]["name"]["pattern"] = "(".into(),
            |f| f["schema"]["properties"]["owner"]["$ref"] = "#/$defs/nowhere".into(),
            |f| f["rules"][0]["logic"] = serde_json::json!({"frobnicate": [1]}),
            |f| f["rules"][1]["id"] = f["rules"][0]["id"].clone(),
            |f| f["rules"][2]["code"] = "lower".into(),
            |f| f["computed"][0]["path"] = "/nowhere".into(),
            |f| f["fields"]["/owner"]["widget"] = "slider".into(),
            |f| f["fields"]["/owner"]["label"] = serde_json::json!({"vi": "Chủ"}),
            |f| f["fields"]["/owner"]["order"] = 1.5.into(),
            |f| f["title"] = Value::Null,
            |f| f["extra"] = 1.into(),
            |f| *f = serde_json::json!([1, 2]),
        ];
        for (i, breaking) in broken.iter().enumerate() {
            let mut definition = form.clone();
            breaking(&mut definition);
            let from_text = LoadedForm::load_json(&definition.to_string()).map(|_| ());
            let from_value = load(&definition).map(|_| ());
            assert_eq!(from_text, from_value, "case {i}");
            assert_eq!(from_text.is_ok(), i == 0, "case {i}: {from_text:?}");
        }
    }
}
