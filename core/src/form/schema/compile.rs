//! Loading a schema: every keyword checked, patterns compiled, references resolved, once.

use std::borrow::Cow;

use serde_json::Value;

use super::format::Format;
use crate::form::paths::escape;
use crate::json::Json;
use crate::load::At;

/// Instance types, as a bit set.
pub(super) mod ty {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const OBJECT: u8 = 4;
    pub const ARRAY: u8 = 8;
    pub const NUMBER: u8 = 16;
    pub const INTEGER: u8 = 32;
    pub const STRING: u8 = 64;
}

/// A loaded schema, or a boolean schema.
#[derive(Debug, Clone)]
pub(super) enum Schema {
    Bool(bool),
    Node(Box<Node>),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Node {
    pub types: Option<u8>,
    pub enumeration: Option<Vec<Json<'static>>>,
    pub constant: Option<Json<'static>>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<super::pattern::Pattern>,
    pub format: Option<Format>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    pub multiple_of: Option<f64>,
    pub properties: Vec<(String, Schema)>,
    pub required: Vec<String>,
    /// Which of `properties` are required, so that a walk over an object's members can count them.
    pub required_marks: Vec<bool>,
    /// How many distinct names `required` has, when every one is a declared property: an object
    /// whose walk met that many required members lacks none, without looking each one up.
    pub required_all_declared: Option<usize>,
    /// Each of `properties`' names as a JSON Pointer segment, escaped once here rather than at
    /// every member of every validation.
    pub pointer_names: Vec<String>,
    /// Which groups of keywords the node has ([`checks`]), so that a validation skips the groups
    /// it has none of: most nodes of a form have a type and one or two keywords of some forty.
    pub checks: u8,
    pub additional: Option<Schema>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub dependent_required: Vec<(String, Vec<String>)>,
    pub items: Option<Schema>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub not: Option<Schema>,
    pub condition: Option<(Schema, Option<Schema>, Option<Schema>)>,
    pub reference: Option<usize>,
    pub title: Option<String>,
}

/// The groups of keywords a [`Node`] may have.
pub(super) mod checks {
    use super::Node;

    /// `enum`, `const`.
    pub const VALUES: u8 = 1;
    /// `minLength`, `maxLength`.
    pub const LENGTH: u8 = 1 << 1;
    /// `minimum`, `maximum`, their exclusive forms, `multipleOf`.
    pub const NUMBER: u8 = 1 << 2;
    /// `dependentRequired`, `minProperties`, `maxProperties`.
    pub const OBJECT: u8 = 1 << 3;
    /// `allOf`, `anyOf`, `oneOf`, `not`, `if`.
    pub const COMBINATORS: u8 = 1 << 4;

    pub(super) fn of(node: &Node) -> u8 {
        let mut bits = 0;
        let mut set = |bit: u8, any: bool| {
            if any {
                bits |= bit;
            }
        };
        set(
            VALUES,
            node.enumeration.is_some() || node.constant.is_some(),
        );
        set(
            LENGTH,
            node.min_length.is_some() || node.max_length.is_some(),
        );
        set(
            NUMBER,
            node.minimum.is_some()
                || node.maximum.is_some()
                || node.exclusive_minimum.is_some()
                || node.exclusive_maximum.is_some()
                || node.multiple_of.is_some(),
        );
        set(
            OBJECT,
            !node.dependent_required.is_empty()
                || node.min_properties.is_some()
                || node.max_properties.is_some(),
        );
        set(
            COMBINATORS,
            !node.all_of.is_empty()
                || !node.any_of.is_empty()
                || !node.one_of.is_empty()
                || node.not.is_some()
                || node.condition.is_some(),
        );
        bits
    }
}

/// A schema ready to validate.
#[derive(Debug, Clone)]
pub struct CompiledSchema {
    pub(super) root: Schema,
    pub(super) defs: Vec<Schema>,
}

/// Why a schema was refused. `path` is a JSON Pointer into the schema.
pub use crate::load::LoadError as SchemaError;

const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Nesting limit for schemas, against hostile definitions.
const MAX_DEPTH: usize = 48;

struct Loader<'a> {
    def_names: Vec<&'a str>,
    /// For each definition, the definitions its `$ref`s point to (to find cycles).
    edges: Vec<(usize, usize)>,
    current_def: Option<usize>,
}

fn error(path: impl Into<String>, code: &'static str, reason: impl Into<String>) -> SchemaError {
    crate::load::err(path, code, reason)
}

fn non_negative(v: &Json, path: At<'_>) -> Result<u64, SchemaError> {
    v.as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| {
                    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let n = f as u64;
                    n
                })
        })
        .ok_or_else(|| error(path, "MALFORMED", "expected a non-negative integer"))
}

fn number(v: &Json, path: At<'_>) -> Result<f64, SchemaError> {
    v.as_f64()
        .ok_or_else(|| error(path, "MALFORMED", "expected a number"))
}

fn schemas<'a>(
    loader: &mut Loader<'a>,
    v: &'a Json<'a>,
    path: At<'_>,
    depth: usize,
) -> Result<Vec<Schema>, SchemaError> {
    let items = v
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| error(path, "MALFORMED", "expected a non-empty array of schemas"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, s)| loader.schema(s, path.index(i), depth + 1))
        .collect()
}

fn type_bit(name: &str) -> Option<u8> {
    Some(match name {
        "null" => ty::NULL,
        "boolean" => ty::BOOLEAN,
        "object" => ty::OBJECT,
        "array" => ty::ARRAY,
        "number" => ty::NUMBER | ty::INTEGER,
        "integer" => ty::INTEGER,
        "string" => ty::STRING,
        _ => return None,
    })
}

impl<'a> Loader<'a> {
    fn schema(
        &mut self,
        v: &'a Json<'a>,
        path: At<'_>,
        depth: usize,
    ) -> Result<Schema, SchemaError> {
        if depth > MAX_DEPTH {
            return Err(error(
                path,
                "MALFORMED",
                format!("nested deeper than {MAX_DEPTH}"),
            ));
        }
        match v {
            Json::Bool(b) => Ok(Schema::Bool(*b)),
            Json::Object(map) => Ok(Schema::Node(Box::new(self.node(map, path, depth)?))),
            _ => Err(error(
                path,
                "MALFORMED",
                "a schema is an object or a boolean",
            )),
        }
    }

    fn node(
        &mut self,
        map: &'a [(Cow<'a, str>, Json<'a>)],
        path: At<'_>,
        depth: usize,
    ) -> Result<Node, SchemaError> {
        let mut node = Node::default();
        let mut condition = (None, None, None);
        for (key, v) in map {
            self.keyword(&mut node, &mut condition, key, v, path, depth)?;
        }
        let (if_, then_, else_) = condition;
        if let Some(i) = if_ {
            node.condition = Some((i, then_, else_));
        }
        // Sorted explicitly (not left to the JSON map's order): validation walks them beside the
        // instance's sorted members. By insertion while short (a form's objects have a few
        // dozen properties at most): the shared sort is 5 KB of WebAssembly that loading a form
        // would otherwise compile.
        crate::sort::small_by(&mut node.properties, |a, b| a.0.cmp(&b.0));
        node.required_marks = node
            .properties
            .iter()
            .map(|(name, _)| node.required.contains(name))
            .collect();
        let marked = node.required_marks.iter().filter(|m| **m).count();
        let mut distinct = node.required.clone();
        crate::sort::small_by(&mut distinct, Ord::cmp);
        distinct.dedup();
        node.required_all_declared = (marked == distinct.len()).then_some(marked);
        node.pointer_names = node
            .properties
            .iter()
            .map(|(name, _)| escape(name).into_owned())
            .collect();
        node.checks = checks::of(&node);
        Ok(node)
    }

    /// One keyword of a schema object, into `node`.
    ///
    /// Out of line from [`Self::node`], and its longer arms out of line from it: V8 compiles a
    /// WebAssembly function again, optimised, once the work done in it passes a budget
    /// (roughly the size of its code at each return and loop turn), on another thread. Loading
    /// a form runs this for every keyword of its schema; as one 15 KB function with the loop,
    /// it passed the budget during the load, and compiling it again (14 ms on another core)
    /// slowed the load and the first check while it ran.
    #[inline(never)]
    fn keyword(
        &mut self,
        node: &mut Node,
        (if_, then_, else_): &mut Condition,
        key: &str,
        v: &'a Json<'a>,
        path: At<'_>,
        depth: usize,
    ) -> Result<(), SchemaError> {
        let here = path.key(key);
        match key {
            "$defs" if path.is_root() => {}
            "type" => node.types = Some(types(v, here)?),
            "enum" => node.enumeration = Some(enumeration(v, here)?),
            "const" => node.constant = Some(v.clone().into_static()),
            "minLength" => node.min_length = Some(non_negative(v, here)?),
            "maxLength" => node.max_length = Some(non_negative(v, here)?),
            "pattern" => node.pattern = Some(pattern(v, here)?),
            "format" => node.format = Some(format(v, here)?),
            "minimum" => node.minimum = Some(number(v, here)?),
            "maximum" => node.maximum = Some(number(v, here)?),
            "exclusiveMinimum" => node.exclusive_minimum = Some(number(v, here)?),
            "exclusiveMaximum" => node.exclusive_maximum = Some(number(v, here)?),
            "multipleOf" => {
                let m = number(v, here)?;
                if m <= 0.0 {
                    return Err(error(here, "MALFORMED", "multipleOf must be positive"));
                }
                node.multiple_of = Some(m);
            }
            "properties" => node.properties = self.properties(v, here, depth)?,
            "required" => {
                node.required = names(v)
                    .ok_or_else(|| error(here, "MALFORMED", "expected an array of strings"))?;
            }
            "additionalProperties" => node.additional = Some(self.schema(v, here, depth + 1)?),
            "minProperties" => node.min_properties = Some(non_negative(v, here)?),
            "maxProperties" => node.max_properties = Some(non_negative(v, here)?),
            "dependentRequired" => node.dependent_required = dependent_required(v, here)?,
            "items" => node.items = Some(self.schema(v, here, depth + 1)?),
            "minItems" => node.min_items = Some(non_negative(v, here)?),
            "maxItems" => node.max_items = Some(non_negative(v, here)?),
            "uniqueItems" => {
                node.unique_items = v
                    .as_bool()
                    .ok_or_else(|| error(here, "MALFORMED", "expected a boolean"))?;
            }
            "allOf" => node.all_of = schemas(self, v, here, depth)?,
            "anyOf" => node.any_of = schemas(self, v, here, depth)?,
            "oneOf" => node.one_of = schemas(self, v, here, depth)?,
            "not" => node.not = Some(self.schema(v, here, depth + 1)?),
            "if" => *if_ = Some(self.schema(v, here, depth + 1)?),
            "then" => *then_ = Some(self.schema(v, here, depth + 1)?),
            "else" => *else_ = Some(self.schema(v, here, depth + 1)?),
            "$ref" => node.reference = Some(self.reference(v, here)?),
            // Annotations last: most keys are keywords.
            k if ANNOTATIONS.contains(&k) || k.starts_with("x-") => {
                if k == "title" {
                    node.title = v.as_str().map(str::to_owned);
                }
            }
            other => return Err(unsupported(here, other)),
        }
        Ok(())
    }

    /// `properties`: each property's schema, by name.
    #[inline(never)]
    fn properties(
        &mut self,
        v: &'a Json<'a>,
        here: At<'_>,
        depth: usize,
    ) -> Result<Vec<(String, Schema)>, SchemaError> {
        let props = v
            .as_object()
            .ok_or_else(|| error(here, "MALFORMED", "expected an object"))?;
        let mut properties = Vec::with_capacity(props.len());
        for (name, s) in props {
            let schema = self.schema(s, here.key(name), depth + 1)?;
            properties.push((name.to_string(), schema));
        }
        Ok(properties)
    }

    /// `$ref`: the index of the definition it names, noted for finding cycles.
    #[inline(never)]
    fn reference(&mut self, v: &Json, here: At<'_>) -> Result<usize, SchemaError> {
        let target = v
            .as_str()
            .ok_or_else(|| error(here, "MALFORMED", "expected a string"))?;
        let name = target.strip_prefix("#/$defs/").ok_or_else(|| {
            error(
                here,
                "UNRESOLVED_REF",
                "only `#/$defs/<name>` references are supported",
            )
        })?;
        let index = self
            .def_names
            .iter()
            .position(|n| escape(n) == name)
            .ok_or_else(|| error(here, "UNRESOLVED_REF", format!("no definition `{name}`")))?;
        if let Some(from) = self.current_def {
            self.edges.push((from, index));
        }
        Ok(index)
    }
}

/// `if`, `then` and `else` of a schema object, as read.
type Condition = (Option<Schema>, Option<Schema>, Option<Schema>);

/// `type`: a name or a non-empty array of names, as bits.
#[inline(never)]
fn types(v: &Json, here: At<'_>) -> Result<u8, SchemaError> {
    let names = match v {
        Json::Array(a) if !a.is_empty() => a.as_slice(),
        Json::String(_) => std::slice::from_ref(v),
        _ => {
            return Err(error(
                here,
                "MALFORMED",
                "a type name or a non-empty array of them",
            ));
        }
    };
    let mut bits = 0;
    for n in names {
        bits |= n
            .as_str()
            .and_then(type_bit)
            .ok_or_else(|| error(here, "MALFORMED", format!("unknown type {n}")))?;
    }
    Ok(bits)
}

/// `enum`: the values, kept.
#[inline(never)]
fn enumeration(v: &Json, here: At<'_>) -> Result<Vec<Json<'static>>, SchemaError> {
    let values = v
        .as_array()
        .ok_or_else(|| error(here, "MALFORMED", "expected an array"))?;
    Ok(values.iter().map(|v| v.clone().into_static()).collect())
}

/// `pattern`: the regular expression, compiled.
#[inline(never)]
fn pattern(v: &Json, here: At<'_>) -> Result<super::pattern::Pattern, SchemaError> {
    let source = v
        .as_str()
        .ok_or_else(|| error(here, "MALFORMED", "expected a string"))?;
    super::pattern::Pattern::new(source).map_err(|e| error(here, "INVALID_PATTERN", e))
}

/// `format`: one the engine checks.
#[inline(never)]
fn format(v: &Json, here: At<'_>) -> Result<Format, SchemaError> {
    let name = v
        .as_str()
        .ok_or_else(|| error(here, "MALFORMED", "expected a string"))?;
    Format::parse(name).ok_or_else(|| {
        error(
            here,
            "UNKNOWN_FORMAT",
            format!("format `{name}` is not supported"),
        )
    })
}

/// An array of strings.
fn names(v: &Json) -> Option<Vec<String>> {
    v.as_array()
        .and_then(|a| a.iter().map(|n| n.as_str().map(str::to_owned)).collect())
}

/// `dependentRequired`: for each name, the names it requires.
#[inline(never)]
fn dependent_required(v: &Json, here: At<'_>) -> Result<Vec<(String, Vec<String>)>, SchemaError> {
    let deps = v
        .as_object()
        .ok_or_else(|| error(here, "MALFORMED", "expected an object"))?;
    deps.iter()
        .map(|(name, list)| {
            let names = names(list)
                .ok_or_else(|| error(here, "MALFORMED", "expected arrays of strings"))?;
            Ok((name.to_string(), names))
        })
        .collect()
}

/// A keyword the engine does not support.
#[cold]
#[inline(never)]
fn unsupported(here: At<'_>, keyword: &str) -> SchemaError {
    error(
        here,
        "UNSUPPORTED_KEYWORD",
        format!("`{keyword}` is not supported by motcua's form engine (ADR 0002)"),
    )
}

impl CompiledSchema {
    /// Loads a schema.
    ///
    /// # Errors
    /// The first problem found, with its JSON Pointer in the schema.
    pub fn compile(schema: &Value) -> Result<Self, SchemaError> {
        Self::compile_json(&Json::borrow(schema))
    }

    /// [`Self::compile`], from a schema read as [`Json`].
    ///
    /// # Errors
    /// As [`Self::compile`].
    pub fn compile_json(schema: &Json) -> Result<Self, SchemaError> {
        let defs_value = schema.get("$defs");
        let defs_map = match defs_value {
            None => None,
            Some(Json::Object(m)) => Some(m),
            Some(_) => return Err(error("/$defs", "MALFORMED", "expected an object")),
        };
        let mut loader = Loader {
            def_names: defs_map
                .map(|m| m.iter().map(|(k, _)| k.as_ref()).collect())
                .unwrap_or_default(),
            edges: Vec::new(),
            current_def: None,
        };
        let mut defs = Vec::new();
        let defs_at = At::ROOT.key("$defs");
        for (i, (name, def)) in defs_map.into_iter().flatten().enumerate() {
            loader.current_def = Some(i);
            defs.push(loader.schema(def, defs_at.key(name), 1)?);
        }
        loader.current_def = None;
        let root = loader.schema(schema, At::ROOT, 0)?;
        if let Some(name) =
            find_cycle(defs.len(), &loader.edges).and_then(|i| loader.def_names.get(i))
        {
            return Err(error(
                defs_at.key(name),
                "REF_CYCLE",
                "recursive references are not supported",
            ));
        }
        Ok(Self { root, defs })
    }
}

/// A definition that takes part in a reference cycle, if any.
fn find_cycle(n: usize, edges: &[(usize, usize)]) -> Option<usize> {
    // 0 = unvisited, 1 = on the stack, 2 = done.
    fn visit(v: usize, edges: &[(usize, usize)], state: &mut [u8]) -> Option<usize> {
        match state.get(v) {
            Some(1) => return Some(v),
            Some(2) | None => return None,
            _ => {}
        }
        if let Some(s) = state.get_mut(v) {
            *s = 1;
        }
        for &(_, to) in edges.iter().filter(|(from, _)| *from == v) {
            if let Some(c) = visit(to, edges, state) {
                return Some(c);
            }
        }
        if let Some(s) = state.get_mut(v) {
            *s = 2;
        }
        None
    }
    let mut state = vec![0u8; n];
    (0..n).find_map(|v| visit(v, edges, &mut state))
}

impl CompiledSchema {
    /// Whether the schema declares a place for a pointer pattern (`*` for array items): through
    /// `properties`, `items`, `$ref` and the branches of combinators.
    #[must_use]
    pub fn declares(&self, segments: &[String]) -> bool {
        self.declares_in(&self.root, segments, 0)
    }

    fn declares_in(&self, schema: &Schema, segments: &[String], depth: usize) -> bool {
        let Some((first, rest)) = segments.split_first() else {
            return true;
        };
        let Schema::Node(node) = schema else {
            return false;
        };
        if depth > MAX_DEPTH * 2 {
            return false;
        }
        let direct = if first == "*" {
            node.items
                .as_ref()
                .is_some_and(|s| self.declares_in(s, rest, depth + 1))
        } else {
            node.properties
                .iter()
                .filter(|(name, _)| name == first)
                .any(|(_, s)| self.declares_in(s, rest, depth + 1))
        };
        direct
            || node
                .reference
                .and_then(|i| self.defs.get(i))
                .is_some_and(|s| self.declares_in(s, segments, depth + 1))
            || node
                .all_of
                .iter()
                .chain(&node.any_of)
                .chain(&node.one_of)
                .chain(
                    node.condition
                        .iter()
                        .flat_map(|(_, t, e)| t.iter().chain(e.iter())),
                )
                .any(|s| self.declares_in(s, segments, depth + 1))
    }
}
