//! `Form`: a form definition loaded once and validated as a citizen types.

use std::cell::{Cell, RefCell};

use js_sys::{Array, JSON, Object};
use motcua_core::form::{Memo, Violation};
use motcua_core::json::Json;
use motcua_core::ops::{self, AnswerParts};
use rustc_hash::FxHashMap;
use wasm_bindgen::prelude::*;

use crate::op_error;

/// A form definition loaded once, validated many times (as a citizen types).
#[wasm_bindgen]
pub struct Form {
    loaded: ops::LoadedForm,
    /// What the last check found, for the core to reuse where the form did not change since:
    /// made at the second check. A form's first check reads everything anyway, and a form checked
    /// once (a dossier's data shown to an officer) never needs it; a form opened then neither
    /// builds it nor compiles the code that keeps and compares (V8 compiles a function whole at
    /// its first call): the first answer ~1.2 ms sooner, the second and third checks that much
    /// slower once (ADR 0002, issue 18).
    memo: RefCell<Option<Memo>>,
    /// Whether the form was checked before: the check after the first makes the memo.
    checked: Cell<bool>,
    kept: RefCell<Kept>,
}

/// The JavaScript values the form's last answer was made of, each handed out again (frozen) while
/// its part of the answer stays the same. Turning an answer into JavaScript — its text parsed, a
/// message's text decoded — cost about as much as the check that found it (the largest demo form's
/// invalid answer: a fifth of the 40 µs), while from one keystroke to the next most parts do not
/// change. The core decides every answer (see `Form::memo`); only its conversion is kept here.
struct Kept {
    form: JsValue,
    version: JsValue,
    computed: Option<(Vec<(String, Json<'static>)>, JsValue)>,
    hidden: Option<(Vec<String>, JsValue)>,
    required: Option<(Vec<String>, JsValue)>,
    violations: Option<Shown>,
    places: Made,
    messages: Made,
}

/// The violations of the last answer as handed out.
struct Shown {
    /// Given to the next check, which takes from it the violations its answer has too.
    list: Vec<Violation>,
    /// One `{ code, path }` and one `{ en, vi }` per violation, in its order: a changed answer
    /// mostly has the same violations, and the core says where each was in the last list.
    objects: Vec<(JsValue, JsValue)>,
    /// The answer's frozen `violations` and `messages` arrays of them.
    arrays: (JsValue, JsValue),
}

/// Objects made in JavaScript: one call each instead of one `Reflect.set` per member (eight calls
/// for an answer were a twentieth of a check), in the order of the operation's answer.
#[wasm_bindgen(inline_js = "
export function answer(computed, form, hidden, messages, required, valid, version, violations) {
  return { computed, form, hidden, messages, required, valid, version, violations };
}
export function place(code, path) {
  return Object.freeze({ code, path });
}
export function message(en, vi) {
  return Object.freeze({ en, vi });
}
export function frozenJson(text) {
  return deepFreeze(JSON.parse(text));
}
function deepFreeze(v) {
  if (v !== null && typeof v === 'object') {
    for (const inner of Object.values(v)) deepFreeze(inner);
    Object.freeze(v);
  }
  return v;
}
")]
extern "C" {
    fn answer(
        computed: &JsValue,
        form: &JsValue,
        hidden: &JsValue,
        messages: &JsValue,
        required: &JsValue,
        valid: bool,
        version: &JsValue,
        violations: &JsValue,
    ) -> JsValue;
    fn place(code: &str, path: &str) -> JsValue;
    fn message(en: &str, vi: &str) -> JsValue;
    /// JSON text the core wrote (so never refused), parsed and frozen through and through: a
    /// kept part is shared by the answers that have it, so a caller changing one answer must not
    /// change the others. In JavaScript: walking it from here took four imports of their own
    /// (`Object.values`, `instanceof`, an array's length and elements), each a wrapper V8
    /// compiles as it creates the module.
    #[wasm_bindgen(js_name = frozenJson)]
    fn frozen_json(text: &str) -> JsValue;
}

/// Frozen JS objects made of two strings, each handed out again whenever the same two come back:
/// the messages `{ en, vi }` a form has given (a new violation mostly brings back a known
/// message) and the places `{ code, path }` (a keystroke mostly changes one violation of many,
/// and making the others again, their strings decoded, was a tenth of a check).
#[derive(Default)]
struct Made {
    /// By the first string: the second and the object.
    kept: FxHashMap<String, Vec<(String, JsValue)>>,
    count: usize,
}

/// Objects a form keeps of each kind (a form has a few dozen; pointers into long lists make more).
const KEPT: usize = 512;

impl Made {
    fn object(&mut self, first: &str, second: &str, make: impl FnOnce() -> JsValue) -> JsValue {
        let known = self
            .kept
            .get(first)
            .and_then(|l| l.iter().find(|(s, _)| s.as_str().same(second)));
        if let Some((_, o)) = known {
            return o.clone();
        }
        let o = make();
        if self.count < KEPT {
            self.count += 1;
            self.kept
                .entry(first.to_owned())
                .or_default()
                .push((second.to_owned(), o.clone()));
        }
        o
    }
}

/// Frozen array of strings.
fn strings(list: &[String]) -> JsValue {
    let a = Array::new();
    for s in list {
        a.push(&JsValue::from_str(s));
    }
    Object::freeze(&a).into()
}

/// The part kept in `slot` while it is the same, otherwise one made from `new` and kept.
fn part<T: Same, J: Clone>(
    slot: &mut Option<(T, J)>,
    new: T,
    make: impl FnOnce(&T) -> Result<J, JsValue>,
) -> Result<J, JsValue> {
    if let Some((old, js)) = slot
        && old.same(&new)
    {
        return Ok(js.clone());
    }
    let js = make(&new)?;
    *slot = Some((new, js.clone()));
    Ok(js)
}

impl Kept {
    /// The answer of `parts` as a new object made of kept parts where they are unchanged.
    fn answer(&mut self, parts: AnswerParts) -> Result<JsValue, JsValue> {
        // The core found the same answer as last time: its parts as they are.
        if parts.same
            && let (
                Some((_, computed)),
                Some((_, hidden)),
                Some((_, required)),
                Some(Shown {
                    arrays: (places, messages),
                    ..
                }),
            ) = (
                &self.computed,
                &self.hidden,
                &self.required,
                &self.violations,
            )
        {
            return Ok(answer(
                computed,
                &self.form,
                hidden,
                messages,
                required,
                parts.valid,
                &self.version,
                places,
            ));
        }
        let computed = part(&mut self.computed, parts.computed, |values| {
            let text = AnswerParts::computed_text(values).map_err(|e| op_error(&e))?;
            Ok(frozen_json(&text))
        })?;
        let hidden = part(&mut self.hidden, parts.hidden, |l| Ok(strings(l)))?;
        let required = part(&mut self.required, parts.required, |l| Ok(strings(l)))?;
        let shown = match self.violations.take() {
            // Every violation where it was: the same arrays, of the violations taken.
            Some(Shown {
                objects, arrays, ..
            }) if objects.len() == parts.from_last.len()
                && (0..objects.len()).all(|i| parts.from_last.get(i) == Some(&Some(i))) =>
            {
                Shown {
                    list: parts.violations,
                    objects,
                    arrays,
                }
            }
            last => self.show(last.map(|s| s.objects), parts.violations, &parts.from_last),
        };
        let (places, messages) = shown.arrays.clone();
        self.violations = Some(shown);
        Ok(answer(
            &computed,
            &self.form,
            &hidden,
            &messages,
            &required,
            parts.valid,
            &self.version,
            &places,
        ))
    }

    /// `list` as handed out: the objects of the last answer's violations (`last`) where the core
    /// took a violation from there (`from_last`), otherwise those made before for the same
    /// strings.
    fn show(
        &mut self,
        last: Option<Vec<(JsValue, JsValue)>>,
        list: Vec<Violation>,
        from_last: &[Option<usize>],
    ) -> Shown {
        let last = last.unwrap_or_default();
        let mut objects = Vec::with_capacity(list.len());
        let (places, messages) = (Array::new(), Array::new());
        for (i, v) in list.iter().enumerate() {
            let taken = from_last.get(i).copied().flatten();
            let these = match taken.and_then(|j| last.get(j)) {
                Some(these) => these.clone(),
                None => (
                    self.places
                        .object(&v.path, &v.code, || place(&v.code, &v.path)),
                    self.messages.object(&v.message_vi, &v.message_en, || {
                        message(&v.message_en, &v.message_vi)
                    }),
                ),
            };
            places.push(&these.0);
            messages.push(&these.1);
            objects.push(these);
        }
        Shown {
            list,
            objects,
            arrays: (
                Object::freeze(&places).into(),
                Object::freeze(&messages).into(),
            ),
        }
    }
}

/// Equality of a part with the one kept. Strings are compared eight bytes at a time: `==` calls
/// `memcmp`, a byte loop in WebAssembly, and an invalid answer's messages are kilobytes compared
/// on every check.
trait Same {
    fn same(&self, other: &Self) -> bool;
}

impl Same for str {
    fn same(&self, other: &Self) -> bool {
        let (a, b) = (self.as_bytes(), other.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let (a, b) = (a.chunks_exact(8), b.chunks_exact(8));
        let word = |c: &[u8]| <[u8; 8]>::try_from(c).map(u64::from_ne_bytes).unwrap_or(0);
        a.remainder() == b.remainder() && a.zip(b).all(|(x, y)| word(x) == word(y))
    }
}

impl Same for String {
    fn same(&self, other: &Self) -> bool {
        self.as_str().same(other.as_str())
    }
}

impl Same for (String, Json<'static>) {
    fn same(&self, other: &Self) -> bool {
        self.0.same(&other.0) && self.1 == other.1
    }
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
}

#[wasm_bindgen]
impl Form {
    /// Loads a definition from its JSON text; throws `INVALID_DEFINITION` (with `detail`, `path`).
    pub fn load(definition: &str) -> Result<Form, JsValue> {
        let loaded = ops::LoadedForm::load_json(definition).map_err(|e| op_error(&e))?;
        let kept = Kept {
            form: JsValue::from_str(&loaded.definition().form),
            version: JsValue::from_str(&loaded.definition().version),
            computed: None,
            hidden: None,
            required: None,
            violations: None,
            places: Made::default(),
            messages: Made::default(),
        };
        Ok(Form {
            memo: RefCell::new(None),
            checked: Cell::new(false),
            loaded,
            kept: RefCell::new(kept),
        })
    }

    /// Validates form data given as JSON text (and an optional context as JSON text). Only what
    /// changed since the last check is checked again; the answer is the one a full check gives.
    /// The answer's arrays and objects are frozen: parts that did not change since the last
    /// answer are the same objects as in it.
    #[wasm_bindgen(js_name = validateText, unchecked_return_type = "FormValidation")]
    pub fn validate_text(&self, data: &str, context: Option<String>) -> Result<JsValue, JsValue> {
        let mut kept = self.kept.borrow_mut();
        let mut memo = self.memo.borrow_mut();
        let parts = if !self.checked.replace(true) {
            self.loaded.validate_json_parts(data, context.as_deref())
        } else {
            let last = kept.violations.as_mut().map(|s| s.list.as_mut_slice());
            let memo = memo.get_or_insert_with(|| self.loaded.memo());
            self.loaded.validate_json_parts_since(
                memo,
                data,
                context.as_deref(),
                last.unwrap_or_default(),
            )
        }
        .map_err(|e| op_error(&e))?;
        let answer = kept.answer(parts);
        if answer.is_err() {
            // The parts kept may no longer be the memo's last answer: start both again.
            *memo = None;
        }
        answer
    }

    /// Validates form data given as an object.
    #[wasm_bindgen(unchecked_return_type = "FormValidation")]
    pub fn validate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] data: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "FormContext | undefined")] context: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = |v: &JsValue| JSON::stringify(v).ok().and_then(|s| s.as_string());
        let context = if context.is_undefined() {
            None
        } else {
            text(context)
        };
        self.validate_text(&text(data).unwrap_or_default(), context)
    }
}
