//! Turning JSON into a checked expression tree.

use serde_json::Value;

use crate::json::Json;
use crate::load::At;

/// A compiled JSON Logic expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Logic {
    /// A value as written (numbers, strings, booleans, null, objects that are not operations).
    Literal(Json<'static>),
    /// An array whose elements are expressions.
    Array(Vec<Logic>),
    /// `{"var": path}` or `{"var": [path, default]}`.
    Var {
        /// Where the variable is looked up.
        path: VarPath,
        /// Returned when the path does not resolve.
        default: Option<Box<Logic>>,
    },
    /// Any other operation.
    Op {
        /// The operator.
        op: Op,
        /// Its arguments.
        args: Vec<Logic>,
    },
}

/// What a variable's value is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// The current data (the form, or the element inside `map`/`filter`/…).
    Data,
    /// `$context.…`.
    Context,
    /// `$root.…`.
    Root,
    /// `$item.…`.
    Item,
}

/// A variable's path: split once at load time when written literally (the usual case), or
/// computed at evaluation time.
#[derive(Debug, Clone, PartialEq)]
pub enum VarPath {
    /// `"a.b.0"`, already split.
    Static(Base, Vec<String>),
    /// An expression giving the path.
    Dynamic(Box<Logic>),
}

impl VarPath {
    /// Splits a literal path, recognising the `$context`, `$root` and `$item` prefixes.
    pub(crate) fn parse(path: &str) -> Self {
        let split = |rest: &str| -> Vec<String> {
            if rest.is_empty() {
                Vec::new()
            } else {
                rest.split('.').map(str::to_owned).collect()
            }
        };
        for (prefix, base) in [
            ("$context", Base::Context),
            ("$root", Base::Root),
            ("$item", Base::Item),
        ] {
            if let Some(rest) = path.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Self::Static(base, Vec::new());
                }
                if let Some(rest) = rest.strip_prefix('.') {
                    return Self::Static(base, split(rest));
                }
            }
        }
        Self::Static(Base::Data, split(path))
    }

    /// The form fields a literal path reads, as JSON Pointers (`applicant.birth` →
    /// `/applicant/birth`); `$item.x` is relative to the current element and given as `*` + `x`.
    #[must_use]
    pub fn pointer(&self) -> Option<(Base, String)> {
        match self {
            // Pushed, not formatted: loading a form asks this of every `var`, and the formatting
            // machinery was more code for a phone to compile at a form's cold start.
            Self::Static(base, segments) => Some((
                *base,
                segments.iter().fold(String::new(), |mut acc, s| {
                    acc.push('/');
                    acc.push_str(s);
                    acc
                }),
            )),
            Self::Dynamic(_) => None,
        }
    }
}

/// The operators the engine knows (JSON Logic's names, plus `length`, `date_diff_days`,
/// `age_years` and `identifier_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Missing,
    MissingSome,
    If,
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Not,
    NotNot,
    Or,
    And,
    Gt,
    Ge,
    Lt,
    Le,
    Max,
    Min,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Map,
    Filter,
    Reduce,
    All,
    Some,
    None,
    Merge,
    In,
    Cat,
    Substr,
    Length,
    DateDiffDays,
    AgeYears,
    IdentifierError,
}

impl Op {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "missing" => Self::Missing,
            "missing_some" => Self::MissingSome,
            "if" | "?:" => Self::If,
            "==" => Self::Eq,
            "===" => Self::StrictEq,
            "!=" => Self::Ne,
            "!==" => Self::StrictNe,
            "!" => Self::Not,
            "!!" => Self::NotNot,
            "or" => Self::Or,
            "and" => Self::And,
            ">" => Self::Gt,
            ">=" => Self::Ge,
            "<" => Self::Lt,
            "<=" => Self::Le,
            "max" => Self::Max,
            "min" => Self::Min,
            "+" => Self::Add,
            "-" => Self::Sub,
            "*" => Self::Mul,
            "/" => Self::Div,
            "%" => Self::Mod,
            "map" => Self::Map,
            "filter" => Self::Filter,
            "reduce" => Self::Reduce,
            "all" => Self::All,
            "some" => Self::Some,
            "none" => Self::None,
            "merge" => Self::Merge,
            "in" => Self::In,
            "cat" => Self::Cat,
            "substr" => Self::Substr,
            "length" => Self::Length,
            "date_diff_days" => Self::DateDiffDays,
            "age_years" => Self::AgeYears,
            "identifier_error" => Self::IdentifierError,
            _ => return None,
        })
    }

    /// Allowed argument counts, inclusive.
    fn arity(self) -> (usize, usize) {
        match self {
            Self::Not | Self::NotNot | Self::Length => (1, 1),
            Self::Missing
            | Self::Cat
            | Self::Merge
            | Self::Or
            | Self::And
            | Self::Add
            | Self::Mul => (0, usize::MAX),
            Self::Max | Self::Min | Self::If => (1, usize::MAX),
            Self::MissingSome => (2, 2),
            Self::Eq | Self::StrictEq | Self::Ne | Self::StrictNe | Self::Gt | Self::Ge => (2, 2),
            Self::Lt | Self::Le => (2, 3),
            Self::Sub => (1, 2),
            Self::Div | Self::Mod | Self::In | Self::DateDiffDays | Self::AgeYears => (2, 2),
            Self::Map | Self::Filter | Self::All | Self::Some | Self::None => (2, 2),
            Self::Reduce => (3, 3),
            Self::Substr => (2, 3),
            Self::IdentifierError => (2, 4),
        }
    }
}

/// Why an expression was refused at load time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct LogicError {
    /// JSON Pointer of the offending expression, relative to the expression's root.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// Deepest nesting accepted, so that a hostile definition cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

impl Logic {
    /// Compiles a JSON Logic expression.
    ///
    /// # Errors
    /// An unknown operator, a wrong number of arguments, an operation object with several keys, or
    /// nesting deeper than 64.
    pub fn compile(value: &Value) -> Result<Self, LogicError> {
        Self::compile_json(&Json::borrow(value))
    }

    /// [`Self::compile`], from an expression read as [`Json`].
    ///
    /// # Errors
    /// As [`Self::compile`].
    pub fn compile_json(value: &Json) -> Result<Self, LogicError> {
        compile(value, At::ROOT, 0)
    }

    /// Whether this expression is a plain value (no operation, no variable).
    #[must_use]
    pub fn is_literal(&self) -> bool {
        matches!(self, Self::Literal(_))
    }

    /// Every literal variable path the expression reads (for knowing which fields a rule depends
    /// on).
    #[must_use]
    pub fn variables(&self) -> Vec<&VarPath> {
        let mut out = Vec::new();
        self.collect_variables(&mut out);
        out
    }

    fn collect_variables<'a>(&'a self, out: &mut Vec<&'a VarPath>) {
        match self {
            Self::Literal(_) => {}
            Self::Array(items) => items.iter().for_each(|l| l.collect_variables(out)),
            Self::Var { path, default } => {
                out.push(path);
                if let VarPath::Dynamic(l) = path {
                    l.collect_variables(out);
                }
                if let Some(d) = default {
                    d.collect_variables(out);
                }
            }
            Self::Op { args, .. } => args.iter().for_each(|l| l.collect_variables(out)),
        }
    }

    /// Adds the top-level members of the form the expression reads to `out` (through a plain
    /// `var` or `$root`); `false` when they cannot be known before evaluating it: a `var` of a
    /// computed path or of the whole form, `missing` and `missing_some` (names read as values).
    /// Inside the body of `map`, `filter`, `reduce`, `all`, `some` and `none`, a plain `var` is
    /// the element's (or `current`/`accumulator`), from a list whose reading is counted outside.
    /// `$context` and `$item` are not members.
    pub(crate) fn top_level_reads(&self, out: &mut Vec<String>) -> bool {
        self.reads_in(false, out)
    }

    fn reads_in(&self, in_body: bool, out: &mut Vec<String>) -> bool {
        match self {
            Self::Literal(_) => true,
            Self::Array(items) => items.iter().all(|l| l.reads_in(in_body, out)),
            Self::Var { path, default } => {
                let known = match path {
                    VarPath::Dynamic(_) => false,
                    VarPath::Static(Base::Context | Base::Item, _) => true,
                    VarPath::Static(Base::Data, _) if in_body => true,
                    VarPath::Static(Base::Root | Base::Data, segments) => {
                        segments.first().is_some_and(|first| {
                            out.push(first.clone());
                            true
                        })
                    }
                };
                known && default.as_deref().is_none_or(|d| d.reads_in(in_body, out))
            }
            Self::Op { op, args } => match op {
                Op::Missing | Op::MissingSome => false,
                Op::Map | Op::Filter | Op::Reduce | Op::All | Op::Some | Op::None => args
                    .iter()
                    .enumerate()
                    .all(|(i, l)| l.reads_in(in_body || i == 1, out)),
                _ => args.iter().all(|l| l.reads_in(in_body, out)),
            },
        }
    }
}

fn compile(value: &Json, path: At<'_>, depth: usize) -> Result<Logic, LogicError> {
    let err = |reason: String| LogicError {
        path: if path.is_root() {
            "/".to_owned()
        } else {
            path.to_string()
        },
        reason,
    };
    if depth > MAX_DEPTH {
        return Err(err(format!("nested deeper than {MAX_DEPTH}")));
    }
    match value {
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| compile(v, path.index(i), depth + 1))
            .collect::<Result<_, _>>()
            .map(Logic::Array),
        Json::Object(members) if !members.is_empty() => {
            let (Some((name, args)), None) = (members.first(), members.get(1)) else {
                return Err(err("an operation has exactly one key".to_owned()));
            };
            let name: &str = name;
            let here = path.key(name);
            let args: Vec<Logic> = match args {
                Json::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| compile(v, here.index(i), depth + 1))
                    .collect::<Result<_, _>>()?,
                single => vec![compile(single, here, depth + 1)?],
            };
            if name == "var" {
                let mut args = args.into_iter();
                let path_arg = args.next().unwrap_or(Logic::Literal(Json::Null));
                let default = args.next().map(Box::new);
                if args.next().is_some() {
                    return Err(err("`var` takes a path and an optional default".to_owned()));
                }
                let path = match path_arg {
                    Logic::Literal(Json::String(s)) => VarPath::parse(&s),
                    Logic::Literal(Json::Null) => VarPath::Static(Base::Data, Vec::new()),
                    Logic::Literal(Json::Number(n)) => VarPath::parse(&n.to_string()),
                    other => VarPath::Dynamic(Box::new(other)),
                };
                return Ok(Logic::Var { path, default });
            }
            let op = Op::parse(name).ok_or_else(|| err(format!("unknown operator `{name}`")))?;
            let (min, max) = op.arity();
            if args.len() < min || args.len() > max {
                return Err(err(format!(
                    "`{name}` does not take {} argument(s)",
                    args.len()
                )));
            }
            Ok(Logic::Op { op, args })
        }
        other => Ok(Logic::Literal(other.clone().into_static())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_operators_and_bad_arity_are_refused_with_a_path() {
        let e = Logic::compile(&json!({"and": [true, {"frobnicate": [1]}]})).unwrap_err();
        assert_eq!(e.path, "/and/1");
        assert!(e.reason.contains("frobnicate"));
        let e = Logic::compile(&json!({"if": []})).unwrap_err();
        assert_eq!(e.path, "/");
        assert!(Logic::compile(&json!({"a": 1, "b": 2})).is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut v = json!(true);
        for _ in 0..100 {
            v = json!({"!": [v]});
        }
        assert!(Logic::compile(&v).is_err());
    }
}
