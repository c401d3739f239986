//! Validating an instance: every violation, each at its JSON Pointer.

use std::borrow::Cow;

use serde_json::Value;

use crate::json::{Json, member, order, same};

use super::compile::{CompiledSchema, Node, Schema, checks, ty};
use crate::form::paths::escape;
use crate::form::validate::{REQUIRED_EN, REQUIRED_VI};

/// One failed check of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON Pointer of the value (for `required`, of the missing property).
    pub path: String,
    /// Stable code.
    pub code: &'static str,
    /// What is wrong, in Vietnamese (without the field's name).
    pub message_vi: String,
    /// What is wrong, in English.
    pub message_en: String,
}

impl SchemaViolation {
    /// A violation a probe ([`Run::passes`]) found: only that there is one counts.
    fn found(code: &'static str) -> Self {
        Self {
            path: String::new(),
            code,
            message_vi: String::new(),
            message_en: String::new(),
        }
    }
}

/// JSON Schema equality: numbers compare by value (`1` equals `1.0`), objects by their members.
#[must_use]
pub fn json_equal(a: &Value, b: &Value) -> bool {
    equal(&Json::borrow(a), &Json::borrow(b))
}

fn equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        // Members are sorted by key on both sides.
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && equal(v, w))
        }
        _ => a == b,
    }
}

/// Whether an object's members have `name`.
fn has(members: &[(Cow<'_, str>, Json<'_>)], name: &str) -> bool {
    member(members, name).is_some()
}

fn type_of(v: &Json) -> u8 {
    match v {
        Json::Null => ty::NULL,
        Json::Bool(_) => ty::BOOLEAN,
        Json::Object(_) => ty::OBJECT,
        Json::Array(_) => ty::ARRAY,
        Json::String(_) => ty::STRING,
        Json::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            if integral { ty::INTEGER } else { ty::NUMBER }
        }
    }
}

/// The messages of a missing required member: the ones the form engine gives a field required
/// by a condition.
fn required() -> (String, String) {
    (REQUIRED_VI.to_owned(), REQUIRED_EN.to_owned())
}

/// The messages of an `anyOf` or `oneOf` that no choice matches.
fn no_match() -> (String, String) {
    (
        "không khớp với lựa chọn nào cho phép.".to_owned(),
        "matches none of the allowed choices.".to_owned(),
    )
}

/// The expected types in Vietnamese and English (`chuỗi ký tự hoặc rỗng`).
fn type_names(bits: u8) -> (String, String) {
    let names = [
        (ty::NULL, "để trống", "empty (null)"),
        (ty::BOOLEAN, "đúng/sai", "true/false"),
        (ty::OBJECT, "nhóm thông tin", "an object"),
        (ty::ARRAY, "danh sách", "a list"),
        (ty::NUMBER, "số", "a number"),
        (ty::STRING, "chuỗi ký tự", "text"),
    ];
    let mut vi: Vec<&str> = Vec::new();
    let mut en: Vec<&str> = Vec::new();
    for (b, v, e) in names {
        if bits & b != 0 {
            vi.push(v);
            en.push(e);
        }
    }
    if bits & ty::INTEGER != 0 && bits & ty::NUMBER == 0 {
        vi.push("số nguyên");
        en.push("a whole number");
    }
    (vi.join(" hoặc "), en.join(" or "))
}

struct Run<'s> {
    schema: &'s CompiledSchema,
    out: Vec<SchemaViolation>,
    path: String,
    /// Whether only the presence of violations counts ([`Self::passes`]): none of their places
    /// or messages is written.
    probe: bool,
}

impl<'s> Run<'s> {
    /// A check of a value against `schema`, from its root.
    fn new(schema: &'s CompiledSchema) -> Self {
        Self {
            schema,
            out: Vec::new(),
            path: String::new(),
            probe: false,
        }
    }

    /// Reports a violation here. Its messages are written by `messages` in a function of their
    /// own for each kind of violation (`#[cold]`, never inlined): on a phone V8 compiles a
    /// function whole at its first call, and with the messages' formatting inline the checker
    /// was twice the code a check that finds no violation of a kind runs.
    #[cold]
    #[inline(never)]
    fn push(&mut self, code: &'static str, messages: impl FnOnce() -> (String, String)) {
        if self.probe {
            self.out.push(SchemaViolation::found(code));
            return;
        }
        let (message_vi, message_en) = messages();
        self.out.push(SchemaViolation {
            path: self.path.clone(),
            code,
            message_vi,
            message_en,
        });
    }

    /// Reports a violation at the member `suffix` of the value here, as [`Self::push`] does.
    /// Not one function with `push` taking the path as a closure: written so, a full check of the
    /// largest demo form took natively 3 % more instructions, from the inlining moved elsewhere.
    #[cold]
    #[inline(never)]
    fn push_at(
        &mut self,
        suffix: &str,
        code: &'static str,
        messages: impl FnOnce() -> (String, String),
    ) {
        if self.probe {
            self.out.push(SchemaViolation::found(code));
            return;
        }
        let (message_vi, message_en) = messages();
        self.out.push(SchemaViolation {
            path: format!("{}/{}", self.path, escape(suffix)),
            code,
            message_vi,
            message_en,
        });
    }

    /// Whether `value` is valid against `schema`, without reporting: what `anyOf`, `oneOf`,
    /// `not` and `if` ask of their schemas, which fail as a matter of course.
    fn passes(&self, schema: &Schema, value: &Json) -> bool {
        let mut probe = Run {
            probe: true,
            ..Run::new(self.schema)
        };
        probe.check(schema, value);
        probe.out.is_empty()
    }

    fn check(&mut self, schema: &Schema, value: &Json) {
        match schema {
            Schema::Bool(true) => {}
            Schema::Bool(false) => self.push("NOT_ALLOWED", || {
                (
                    "không được phép có giá trị này.".to_owned(),
                    "no value is allowed here.".to_owned(),
                )
            }),
            Schema::Node(node) => self.node(node, value),
        }
    }

    fn node(&mut self, node: &Node, value: &Json) {
        if let Some(index) = node.reference
            && let Some(target) = self.schema.defs.get(index)
        {
            self.check(target, value);
        }
        if let Some(bits) = node.types
            && bits & type_of(value) == 0
        {
            self.push("TYPE", || {
                let (vi, en) = type_names(bits);
                (format!("phải là {vi}."), format!("must be {en}."))
            });
            return;
        }
        if node.checks & checks::VALUES != 0 {
            self.values(node, value);
        }
        match value {
            Json::String(s) => self.string(node, s),
            Json::Number(n) => {
                if node.checks & checks::NUMBER != 0
                    && let Some(f) = n.as_f64()
                {
                    self.number(node, f);
                }
            }
            Json::Object(map) => self.object(node, map),
            Json::Array(items) => self.array(node, items),
            _ => {}
        }
        if node.checks & checks::COMBINATORS != 0 {
            self.combinators(node, value);
        }
    }

    fn values(&mut self, node: &Node, value: &Json) {
        if let Some(values) = &node.enumeration
            && !values.iter().any(|v| equal(v, value))
        {
            self.push("ENUM", || {
                (
                    "không nằm trong danh sách giá trị cho phép.".to_owned(),
                    "is not one of the allowed values.".to_owned(),
                )
            });
        }
        if let Some(c) = &node.constant
            && !equal(c, value)
        {
            self.push("CONST", || {
                (format!("phải bằng {c}."), format!("must equal {c}."))
            });
        }
    }

    fn string(&mut self, node: &Node, s: &str) {
        if node.checks & checks::LENGTH != 0 {
            self.length(node, s);
        }
        if let Some(pattern) = &node.pattern
            && !pattern.is_match(s)
        {
            self.push("PATTERN", || {
                (
                    "không đúng định dạng.".to_owned(),
                    "does not have the expected form.".to_owned(),
                )
            });
        }
        if let Some(format) = node.format
            && let Some((code, vi, en)) = format.check(s)
        {
            self.push(code, || (vi.to_owned(), en.to_owned()));
        }
    }

    fn length(&mut self, node: &Node, s: &str) {
        let len = s.chars().count() as u64;
        if let Some(min) = node.min_length
            && len < min
        {
            self.push("TOO_SHORT", || {
                (
                    format!("phải có ít nhất {min} ký tự."),
                    format!("must have at least {min} characters."),
                )
            });
        }
        if let Some(max) = node.max_length
            && len > max
        {
            self.push("TOO_LONG", || {
                (
                    format!("chỉ được có tối đa {max} ký tự."),
                    format!("must have at most {max} characters."),
                )
            });
        }
    }

    fn number(&mut self, node: &Node, f: f64) {
        let show = |x: f64| super::super::show_number(x);
        if let Some(min) = node.minimum
            && f < min
        {
            self.push("BELOW_MINIMUM", || {
                (
                    format!("phải từ {} trở lên.", show(min)),
                    format!("must be at least {}.", show(min)),
                )
            });
        }
        if let Some(max) = node.maximum
            && f > max
        {
            self.push("ABOVE_MAXIMUM", || {
                (
                    format!("không được vượt quá {}.", show(max)),
                    format!("must be at most {}.", show(max)),
                )
            });
        }
        if let Some(min) = node.exclusive_minimum
            && f <= min
        {
            self.push("BELOW_MINIMUM", || {
                (
                    format!("phải lớn hơn {}.", show(min)),
                    format!("must be greater than {}.", show(min)),
                )
            });
        }
        if let Some(max) = node.exclusive_maximum
            && f >= max
        {
            self.push("ABOVE_MAXIMUM", || {
                (
                    format!("phải nhỏ hơn {}.", show(max)),
                    format!("must be less than {}.", show(max)),
                )
            });
        }
        if let Some(m) = node.multiple_of {
            let q = f / m;
            let ok = q.is_finite() && (q - q.round()).abs() < 1e-9;
            if !ok {
                self.push("NOT_MULTIPLE", || {
                    (
                        format!("phải là bội số của {}.", show(m)),
                        format!("must be a multiple of {}.", show(m)),
                    )
                });
            }
        }
    }

    fn object(&mut self, node: &Node, map: &[(Cow<'_, str>, Json<'_>)]) {
        if node.checks & checks::OBJECT != 0 {
            self.object_counts(node, map);
        }
        self.members(node, map);
    }

    fn object_counts(&mut self, node: &Node, map: &[(Cow<'_, str>, Json<'_>)]) {
        for (name, deps) in &node.dependent_required {
            if has(map, name) {
                for dep in deps.iter().filter(|d| !has(map, d)) {
                    self.push_at(dep, "FIELD_REQUIRED", required);
                }
            }
        }
        let count = map.len() as u64;
        if let Some(min) = node.min_properties
            && count < min
        {
            self.push("TOO_FEW_PROPERTIES", || {
                (
                    format!("phải có ít nhất {min} mục."),
                    format!("must have at least {min} entries."),
                )
            });
        }
        if let Some(max) = node.max_properties
            && count > max
        {
            self.push("TOO_MANY_PROPERTIES", || {
                (
                    format!("chỉ được có tối đa {max} mục."),
                    format!("must have at most {max} entries."),
                )
            });
        }
    }

    fn members(&mut self, node: &Node, map: &[(Cow<'_, str>, Json<'_>)]) {
        self.members_descending(node, map, true);
    }

    /// The schema a member is checked against (its declaration, else `additionalProperties`)
    /// and the member's pointer segment; `None` when it is not checked further (no schema for
    /// it, or `additionalProperties: false`, reported by the walk over the members).
    fn member_schema<'n>(node: &'n Node, key: &str) -> Option<(&'n Schema, Cow<'n, str>)> {
        let declared = node
            .properties
            .iter()
            .zip(&node.pointer_names)
            .find(|((name, _), _)| same(name, key));
        match (declared, &node.additional) {
            (Some(((_, schema), name)), _) => Some((schema, Cow::Borrowed(name.as_str()))),
            (None, Some(Schema::Bool(false)) | None) => None,
            (None, Some(additional)) => Some((additional, Cow::Owned(escape(key).into_owned()))),
        }
    }

    /// The walk over an object's members; without `descend`, only what the object itself is
    /// judged on (unknown and missing members), not the members' own values.
    fn members_descending(&mut self, node: &Node, map: &[(Cow<'_, str>, Json<'_>)], descend: bool) {
        // The instance's members and the declared properties are both sorted by name (both come
        // from JSON objects), so one merged walk finds each declaration without a search.
        let mut declarations = node
            .properties
            .iter()
            .zip(&node.required_marks)
            .zip(&node.pointer_names)
            .map(|((declared, required), name)| (declared, required, name))
            .peekable();
        let mut required_met = 0;
        for (key, v) in map {
            while declarations
                .next_if(|((name, _), _, _)| order(name, key).is_lt())
                .is_some()
            {}
            let declared = declarations
                .next_if(|((name, _), _, _)| same(name, key))
                .map(|((_, schema), required, name)| {
                    required_met += usize::from(*required);
                    (schema, name)
                });
            let sub = match (declared, &node.additional) {
                (Some((s, name)), _) => Some((s, Cow::Borrowed(name.as_str()))),
                (None, Some(Schema::Bool(false))) => {
                    self.push_at(key, "UNKNOWN_FIELD", || {
                        (
                            "không có trong biểu mẫu.".to_owned(),
                            "is not part of the form.".to_owned(),
                        )
                    });
                    continue;
                }
                (None, additional) => additional.as_ref().map(|s| (s, escape(key))),
            };
            if let Some((sub, name)) = sub
                && descend
            {
                let len = self.path.len();
                self.path.push('/');
                self.path.push_str(&name);
                self.check(sub, v);
                self.path.truncate(len);
            }
        }
        if node.required_all_declared != Some(required_met) {
            for name in &node.required {
                if !has(map, name) {
                    self.push_at(name, "FIELD_REQUIRED", required);
                }
            }
        }
    }

    fn array(&mut self, node: &Node, items: &[Json]) {
        let count = items.len() as u64;
        if let Some(min) = node.min_items
            && count < min
        {
            self.push("TOO_FEW_ITEMS", || {
                (
                    format!("phải có ít nhất {min} mục."),
                    format!("must have at least {min} items."),
                )
            });
        }
        if let Some(max) = node.max_items
            && count > max
        {
            self.push("TOO_MANY_ITEMS", || {
                (
                    format!("chỉ được có tối đa {max} mục."),
                    format!("must have at most {max} items."),
                )
            });
        }
        if node.unique_items {
            let duplicate = items
                .iter()
                .enumerate()
                .any(|(i, a)| items.iter().skip(i + 1).any(|b| equal(a, b)));
            if duplicate {
                self.push("DUPLICATE_ITEMS", || {
                    (
                        "có các mục trùng nhau.".to_owned(),
                        "has duplicate items.".to_owned(),
                    )
                });
            }
        }
        if let Some(sub) = &node.items {
            for (i, v) in items.iter().enumerate() {
                let len = self.path.len();
                self.path.push('/');
                self.path.push_str(&i.to_string());
                self.check(sub, v);
                self.path.truncate(len);
            }
        }
    }

    fn combinators(&mut self, node: &Node, value: &Json) {
        for s in &node.all_of {
            self.check(s, value);
        }
        if !node.any_of.is_empty() && !node.any_of.iter().any(|s| self.passes(s, value)) {
            self.push("NO_MATCH", no_match);
        }
        if !node.one_of.is_empty() {
            let matches = node.one_of.iter().filter(|s| self.passes(s, value)).count();
            if matches == 0 {
                self.push("NO_MATCH", no_match);
            } else if matches > 1 {
                self.push("MULTIPLE_MATCH", || {
                    (
                        "khớp với nhiều hơn một lựa chọn.".to_owned(),
                        "matches more than one choice.".to_owned(),
                    )
                });
            }
        }
        if let Some(not) = &node.not
            && self.passes(not, value)
        {
            self.push("NOT_ALLOWED", || {
                (
                    "không được phép có giá trị này.".to_owned(),
                    "this value is not allowed.".to_owned(),
                )
            });
        }
        if let Some((cond, then_, else_)) = &node.condition {
            let branch = if self.passes(cond, value) {
                then_
            } else {
                else_
            };
            if let Some(b) = branch {
                self.check(b, value);
            }
        }
    }
}

impl CompiledSchema {
    /// Validates an instance and returns every violation.
    #[must_use]
    pub fn validate(&self, instance: &Value) -> Vec<SchemaViolation> {
        self.validate_json(&Json::borrow(instance))
    }

    /// Validates an instance read as [`Json`] and returns every violation.
    #[must_use]
    pub fn validate_json(&self, instance: &Json) -> Vec<SchemaViolation> {
        let mut run = Run::new(self);
        run.check(&self.root, instance);
        run.out
    }

    /// The root's object node when the schema judges an object member by member: the root is
    /// an object node (no `$ref`, `enum`, `const` or combinator looking at the whole), so that
    /// its violations are those of the object itself ([`Self::validate_object`]) and those of
    /// each member's own value ([`Self::validate_member`]), which an edit elsewhere cannot
    /// change.
    fn object_root(&self) -> Option<&Node> {
        match &self.root {
            Schema::Node(node)
                if node.reference.is_none()
                    && node.checks & (checks::VALUES | checks::COMBINATORS) == 0
                    && node.types.is_none_or(|bits| bits & ty::OBJECT != 0) =>
            {
                Some(node)
            }
            _ => None,
        }
    }

    /// Whether [`Self::validate_object`] and [`Self::validate_member`] together find what
    /// [`Self::validate_json`] finds for an object.
    pub(crate) fn is_member_wise(&self) -> bool {
        self.object_root().is_some()
    }

    /// Whether the root object's own violations can name a member other than one that came,
    /// went or was hidden (`dependentRequired`: a member's presence requires another's).
    pub(crate) fn object_names_others(&self) -> bool {
        self.object_root()
            .is_none_or(|node| !node.dependent_required.is_empty())
    }

    /// The violations of a root object itself: counts, `dependentRequired`, unknown and missing
    /// members; none of a member's own value. Only for a [`Self::is_member_wise`] schema.
    pub(crate) fn validate_object(
        &self,
        members: &[(Cow<'_, str>, Json<'_>)],
    ) -> Vec<SchemaViolation> {
        let mut run = Run::new(self);
        if let Some(node) = self.object_root() {
            if node.checks & checks::OBJECT != 0 {
                run.object_counts(node, members);
            }
            run.members_descending(node, members, false);
        }
        run.out
    }

    /// The violations of one member of a root object (`key`), at and under `/key`, in the order
    /// [`Self::validate_json`] finds them. Only for a [`Self::is_member_wise`] schema.
    pub(crate) fn validate_member(&self, key: &str, value: &Json) -> Vec<SchemaViolation> {
        let mut run = Run::new(self);
        if let Some((sub, name)) = self
            .object_root()
            .and_then(|node| Run::member_schema(node, key))
        {
            run.path.push('/');
            run.path.push_str(&name);
            run.check(sub, value);
        }
        run.out
    }

    /// Whether an instance is valid.
    #[must_use]
    pub fn is_valid(&self, instance: &Value) -> bool {
        self.validate(instance).is_empty()
    }
}
