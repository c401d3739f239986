//! `Form`: a form definition loaded once and validated as a citizen types.

use std::cell::RefCell;

use js_sys::{Array, JSON, Object, Reflect};
use motcua_core::form::Violation;
use motcua_core::ops::{self, AnswerParts};
use rustc_hash::FxHashMap;
use wasm_bindgen::prelude::*;

use crate::op_error;

/// A form definition loaded once, validated many times (as a citizen types).
#[wasm_bindgen]
pub struct Form {
    loaded: ops::LoadedForm,
    kept: RefCell<Kept>,
}

/// The JavaScript values the form's last answer was made of, each handed out again (frozen) while
/// its part of the answer stays the same. Turning an answer into JavaScript — its text parsed, a
/// message's text decoded — cost about as much as the check that found it (the largest demo form's
/// invalid answer: a fifth of the 40 µs), while from one keystroke to the next most parts do not
/// change. The core still decides every answer in full; only its conversion is kept.
struct Kept {
    keys: Keys,
    form: JsValue,
    version: JsValue,
    computed: Option<(String, JsValue)>,
    hidden: Option<(Vec<String>, JsValue)>,
    required: Option<(Vec<String>, JsValue)>,
    /// The violations, and their `violations` and `messages` arrays.
    violations: Option<(Vec<Violation>, (JsValue, JsValue))>,
    messages: Messages,
}

/// The answer's member names, made JavaScript strings once.
struct Keys {
    computed: JsValue,
    form: JsValue,
    hidden: JsValue,
    messages: JsValue,
    required: JsValue,
    valid: JsValue,
    version: JsValue,
    violations: JsValue,
    code: JsValue,
    path: JsValue,
    en: JsValue,
    vi: JsValue,
}

impl Keys {
    fn new() -> Self {
        Self {
            computed: "computed".into(),
            form: "form".into(),
            hidden: "hidden".into(),
            messages: "messages".into(),
            required: "required".into(),
            valid: "valid".into(),
            version: "version".into(),
            violations: "violations".into(),
            code: "code".into(),
            path: "path".into(),
            en: "en".into(),
            vi: "vi".into(),
        }
    }
}

/// The messages a form has given so far, each one frozen JS object `{ en, vi }` handed out again
/// whenever the same message comes back (a new violation mostly brings back a known message).
#[derive(Default)]
struct Messages {
    /// By Vietnamese text: the English text and its object.
    kept: FxHashMap<String, Vec<(String, JsValue)>>,
    count: usize,
}

/// Messages a form keeps (a form has a few dozen; pointers without a label make more).
const MESSAGES_KEPT: usize = 512;

impl Messages {
    fn object(&mut self, keys: &Keys, vi: &str, en: &str) -> Result<JsValue, JsValue> {
        let known = self
            .kept
            .get(vi)
            .and_then(|l| l.iter().find(|(e, _)| e == en));
        if let Some((_, o)) = known {
            return Ok(o.clone());
        }
        let o = Object::new();
        Reflect::set(&o, &keys.en, &en.into())?;
        Reflect::set(&o, &keys.vi, &vi.into())?;
        let o: JsValue = Object::freeze(&o).into();
        if self.count < MESSAGES_KEPT {
            self.count += 1;
            self.kept
                .entry(vi.to_owned())
                .or_default()
                .push((en.to_owned(), o.clone()));
        }
        Ok(o)
    }
}

/// Freezes a parsed JSON value and everything in it: a kept part is shared by the answers that
/// have it, so a caller changing one answer must not change the others.
fn deep_freeze(v: &JsValue) {
    if let Some(o) = v.dyn_ref::<Object>() {
        for inner in Object::values(o) {
            deep_freeze(&inner);
        }
        Object::freeze(o);
    }
}

/// Frozen array of strings.
fn strings(list: &[String]) -> JsValue {
    let a = Array::new_with_length(0);
    for s in list {
        a.push(&JsValue::from_str(s));
    }
    Object::freeze(&a).into()
}

/// The part kept in `slot` while it is the same, otherwise one made from `new` and kept.
fn part<T: PartialEq, J: Clone>(
    slot: &mut Option<(T, J)>,
    new: T,
    make: impl FnOnce(&T) -> Result<J, JsValue>,
) -> Result<J, JsValue> {
    if let Some((old, js)) = slot
        && *old == new
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
        let computed = part(&mut self.computed, parts.computed, |text| {
            let v = JSON::parse(text)?;
            deep_freeze(&v);
            Ok(v)
        })?;
        let hidden = part(&mut self.hidden, parts.hidden, |l| Ok(strings(l)))?;
        let required = part(&mut self.required, parts.required, |l| Ok(strings(l)))?;
        let (keys, messages) = (&self.keys, &mut self.messages);
        let (places, messages) = part(&mut self.violations, parts.violations, |list| {
            violations(keys, messages, list)
        })?;

        let answer = Object::new();
        Reflect::set(&answer, &keys.computed, &computed)?;
        Reflect::set(&answer, &keys.form, &self.form)?;
        Reflect::set(&answer, &keys.hidden, &hidden)?;
        Reflect::set(&answer, &keys.messages, &messages)?;
        Reflect::set(&answer, &keys.required, &required)?;
        Reflect::set(&answer, &keys.valid, &JsValue::from_bool(parts.valid))?;
        Reflect::set(&answer, &keys.version, &self.version)?;
        Reflect::set(&answer, &keys.violations, &places)?;
        Ok(answer.into())
    }
}

/// The frozen `violations` and `messages` arrays of a list of violations.
fn violations(
    keys: &Keys,
    messages: &mut Messages,
    list: &[Violation],
) -> Result<(JsValue, JsValue), JsValue> {
    let places = Array::new_with_length(0);
    let texts = Array::new_with_length(0);
    for v in list {
        let place = Object::new();
        Reflect::set(&place, &keys.code, &JsValue::from_str(&v.code))?;
        Reflect::set(&place, &keys.path, &JsValue::from_str(&v.path))?;
        places.push(&Object::freeze(&place));
        texts.push(&messages.object(keys, &v.message_vi, &v.message_en)?);
    }
    Ok((
        Object::freeze(&places).into(),
        Object::freeze(&texts).into(),
    ))
}

#[wasm_bindgen]
impl Form {
    /// Loads a definition from its JSON text; throws `INVALID_DEFINITION` (with `detail`, `path`).
    pub fn load(definition: &str) -> Result<Form, JsValue> {
        let loaded = ops::LoadedForm::load_json(definition).map_err(|e| op_error(&e))?;
        let kept = Kept {
            keys: Keys::new(),
            form: JsValue::from_str(&loaded.definition().form),
            version: JsValue::from_str(&loaded.definition().version),
            computed: None,
            hidden: None,
            required: None,
            violations: None,
            messages: Messages::default(),
        };
        Ok(Form {
            loaded,
            kept: RefCell::new(kept),
        })
    }

    /// Validates form data given as JSON text (and an optional context as JSON text). The
    /// answer's arrays and objects are frozen: parts that did not change since the last answer
    /// are the same objects as in it.
    #[wasm_bindgen(js_name = validateText, unchecked_return_type = "FormValidation")]
    pub fn validate_text(&self, data: &str, context: Option<String>) -> Result<JsValue, JsValue> {
        let parts = self
            .loaded
            .validate_json_parts(data, context.as_deref())
            .map_err(|e| op_error(&e))?;
        self.kept.borrow_mut().answer(parts)
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
