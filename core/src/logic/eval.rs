//! Evaluating a compiled expression. Total: every input gives a value.

use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

use super::compile::{Base, Logic, Op, VarPath};
use super::value::{less, loose_eq, number, strict_eq, text_of, to_number, to_text, truthy};
use crate::json::{Json, NULL};

/// What variables resolve against.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The current data: the form, or the element inside `map`/`filter`/`all`/….
    pub data: &'a Json<'a>,
    /// The whole form (`$root.…`).
    pub root: &'a Json<'a>,
    /// The evaluation context (`$context.…`): today, channel, categories.
    pub context: &'a Json<'a>,
    /// The current repeating-group element (`$item.…`), if any.
    pub item: Option<&'a Json<'a>>,
    /// Inside `reduce`: `current` and `accumulator`, read without building a frame object.
    frame: Option<(&'a Json<'a>, &'a Json<'a>)>,
}

impl<'a> Scope<'a> {
    /// A scope over a form and a context.
    #[must_use]
    pub fn new(root: &'a Json<'a>, context: &'a Json<'a>) -> Self {
        Self {
            data: root,
            root,
            context,
            item: None,
            frame: None,
        }
    }

    /// The same scope with `$item` set.
    #[must_use]
    pub fn with_item(self, item: &'a Json<'a>) -> Self {
        Self {
            item: Some(item),
            ..self
        }
    }

    fn with_data(self, data: &'a Json<'a>) -> Self {
        Self {
            data,
            frame: None,
            ..self
        }
    }

    fn with_frame(self, current: &'a Json<'a>, accumulator: &'a Json<'a>) -> Self {
        Self {
            frame: Some((current, accumulator)),
            ..self
        }
    }
}

/// Follows a dot-separated path (`a.b.0`) into a value.
pub(crate) fn lookup<'v>(mut v: &'v Json<'v>, path: &str) -> Option<&'v Json<'v>> {
    if path.is_empty() {
        return Some(v);
    }
    for key in path.split('.') {
        v = match v {
            Json::Object(_) => v.get(key)?,
            Json::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

impl<'a> Scope<'a> {
    /// Looks a pre-split path up.
    fn resolve_static(&self, base: Base, segments: &[String]) -> Option<&'a Json<'a>> {
        if let (Base::Data, Some((current, accumulator))) = (base, self.frame) {
            let (first, rest) = segments.split_first()?;
            let start = match first.as_str() {
                "current" => current,
                "accumulator" => accumulator,
                _ => return None,
            };
            return rest.iter().try_fold(start, |v, key| match v {
                Json::Object(_) => v.get(key),
                Json::Array(items) => items.get(key.parse::<usize>().ok()?),
                _ => None,
            });
        }
        let mut v = match base {
            Base::Data => self.data,
            Base::Context => self.context,
            Base::Root => self.root,
            Base::Item => self.item?,
        };
        for key in segments {
            v = match v {
                Json::Object(_) => v.get(key)?,
                Json::Array(items) => items.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    fn resolve(&self, path: &str) -> Option<&'a Json<'a>> {
        let (base, rest) = if let Some(rest) = path.strip_prefix("$context") {
            (Some(self.context), rest)
        } else if let Some(rest) = path.strip_prefix("$root") {
            (Some(self.root), rest)
        } else if let Some(rest) = path.strip_prefix("$item") {
            (self.item, rest)
        } else {
            if self.frame.is_some() {
                let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
                return self.resolve_static(Base::Data, &segments);
            }
            return lookup(self.data, path);
        };
        match rest.strip_prefix('.') {
            Some(rest) => lookup(base?, rest),
            None if rest.is_empty() => base,
            None => lookup(self.data, path),
        }
    }
}

/// Whether a variable is missing in JSON Logic's sense: absent, `null` or `""`.
fn is_missing(v: Option<&Json>) -> bool {
    matches!(v, None | Some(Json::Null)) || v.and_then(Json::as_str) == Some("")
}

fn var_path(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        other => to_text(other),
    }
}

fn date(v: &Json) -> Option<NaiveDate> {
    crate::calendar::parse_iso_date(v.as_str()?.get(..10)?)
}

impl Logic {
    /// Evaluates the expression. Borrows from the data and the expression where it can, so that
    /// reading a repeating group does not copy it.
    #[must_use]
    pub fn eval<'a>(&'a self, scope: &Scope<'a>) -> Cow<'a, Json<'a>> {
        match self {
            Self::Literal(v) => Cow::Borrowed(v),
            Self::Array(items) => Cow::Owned(Json::Array(
                items.iter().map(|l| l.eval(scope).into_owned()).collect(),
            )),
            Self::Var { path, default } => {
                let found = match path {
                    VarPath::Static(base, segments) => scope.resolve_static(*base, segments),
                    VarPath::Dynamic(l) => scope.resolve(&var_path(&l.eval(scope))),
                };
                match found {
                    Some(v) if !v.is_null() => Cow::Borrowed(v),
                    _ => default
                        .as_ref()
                        .map_or(Cow::Borrowed(&NULL), |d| d.eval(scope)),
                }
            }
            Self::Op { op, args } => eval_op(*op, args, scope),
        }
    }

    /// Evaluates the expression and tells whether the result is truthy.
    #[must_use]
    pub fn test(&self, scope: &Scope<'_>) -> bool {
        truthy(&self.eval(scope))
    }
}

fn arg<'a>(args: &'a [Logic], i: usize, scope: &Scope<'a>) -> Cow<'a, Json<'a>> {
    args.get(i).map_or(Cow::Borrowed(&NULL), |l| l.eval(scope))
}

/// Folds the arguments as numbers; `None` when one is not a number. No list is built: arithmetic
/// runs in every computed value and rule.
fn fold_numbers(
    args: &[Logic],
    scope: &Scope<'_>,
    init: f64,
    f: impl Fn(f64, f64) -> f64,
) -> Option<f64> {
    args.iter()
        .try_fold(init, |acc, a| Some(f(acc, to_number(&a.eval(scope))?)))
}

/// The one or two numeric arguments of `-`, `/` and `%`; `None` for another count or a non-number.
fn one_or_two(args: &[Logic], scope: &Scope<'_>) -> Option<(f64, Option<f64>)> {
    let n = |l: &Logic| to_number(&l.eval(scope));
    match args {
        [x] => Some((n(x)?, None)),
        [x, y] => Some((n(x)?, Some(n(y)?))),
        _ => None,
    }
}

fn array_of<'a>(v: Cow<'a, Json<'a>>) -> Cow<'a, [Json<'a>]> {
    match v {
        Cow::Borrowed(Json::Array(items)) => Cow::Borrowed(items.as_slice()),
        Cow::Owned(Json::Array(items)) => Cow::Owned(items),
        _ => Cow::Owned(Vec::new()),
    }
}

/// The elements of a list argument, read in place where they can be: a `filter` over data the
/// expression borrows keeps references to the elements it passes, so that `length`, `reduce`,
/// `map`, `some`, … of a `filter` (how forms count main business lines or find duplicates, once
/// per element of a group) copy no element. Copying each kept element was a tenth of a check.
enum Elements<'a> {
    /// The list as the data holds it.
    Slice(&'a [Json<'a>]),
    /// The elements a `filter` kept of a list the data holds.
    Kept(Vec<&'a Json<'a>>),
    /// A list the expression built itself.
    Owned(Vec<Json<'a>>),
}

impl<'a> Elements<'a> {
    /// The elements of the list `list` evaluates to (none when it is not a list).
    fn of(list: Option<&'a Logic>, scope: &Scope<'a>) -> Self {
        let Some(list) = list else {
            return Self::Owned(Vec::new());
        };
        if let Logic::Op {
            op: Op::Filter,
            args,
        } = list
        {
            let source = Self::of(args.first(), scope);
            let Some(body) = args.get(1) else {
                return Self::Owned(Vec::new());
            };
            return source.filter(body, scope);
        }
        match array_of(list.eval(scope)) {
            Cow::Borrowed(items) => Self::Slice(items),
            Cow::Owned(items) => Self::Owned(items),
        }
    }

    /// The elements for which `body` is truthy.
    fn filter(self, body: &Logic, scope: &Scope<'a>) -> Self {
        match self {
            Self::Slice(items) => Self::Kept(
                items
                    .iter()
                    .filter(|item| body.test(&scope.with_data(item)))
                    .collect(),
            ),
            Self::Kept(items) => Self::Kept(
                items
                    .into_iter()
                    .filter(|item| body.test(&scope.with_data(item)))
                    .collect(),
            ),
            Self::Owned(items) => Self::Owned(
                items
                    .into_iter()
                    .filter(|item| body.test(&scope.with_data(item)))
                    .collect(),
            ),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Slice(items) => items.len(),
            Self::Kept(items) => items.len(),
            Self::Owned(items) => items.len(),
        }
    }

    fn iter(&self) -> ElementsIter<'_, 'a> {
        match self {
            Self::Slice(items) => ElementsIter::Slice(items.iter()),
            Self::Kept(items) => ElementsIter::Kept(items.iter()),
            Self::Owned(items) => ElementsIter::Slice(items.iter()),
        }
    }

    /// The elements as a list value: the kept ones copied out.
    fn into_json(self) -> Json<'a> {
        Json::Array(match self {
            Self::Slice(items) => items.to_vec(),
            Self::Kept(items) => items.into_iter().cloned().collect(),
            Self::Owned(items) => items,
        })
    }
}

/// [`Elements::iter`], without boxing.
enum ElementsIter<'s, 'a> {
    Slice(std::slice::Iter<'s, Json<'a>>),
    Kept(std::slice::Iter<'s, &'a Json<'a>>),
}

impl<'s, 'a> Iterator for ElementsIter<'s, 'a> {
    type Item = &'s Json<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Slice(items) => items.next(),
            Self::Kept(items) => items.next().copied(),
        }
    }
}

fn owned(v: Json<'_>) -> Cow<'_, Json<'_>> {
    Cow::Owned(v)
}

fn eval_op<'a>(op: Op, args: &'a [Logic], scope: &Scope<'a>) -> Cow<'a, Json<'a>> {
    owned_or_arg(op, args, scope)
}

fn owned_or_arg<'a>(op: Op, args: &'a [Logic], scope: &Scope<'a>) -> Cow<'a, Json<'a>> {
    // Operations that answer one of their arguments keep it borrowed.
    match op {
        Op::If => {
            let mut i = 0;
            while i + 1 < args.len() {
                if args.get(i).is_some_and(|c| c.test(scope)) {
                    return arg(args, i + 1, scope);
                }
                i += 2;
            }
            return if i < args.len() {
                arg(args, i, scope)
            } else {
                Cow::Borrowed(&NULL)
            };
        }
        Op::Or | Op::And => {
            let mut last = owned(Json::Bool(op == Op::And));
            for l in args {
                last = l.eval(scope);
                if truthy(&last) != (op == Op::And) {
                    break;
                }
            }
            return last;
        }
        _ => {}
    }
    owned(compute(op, args, scope))
}

fn compute<'a>(op: Op, args: &'a [Logic], scope: &Scope<'a>) -> Json<'a> {
    let a = |i| arg(args, i, scope);
    match op {
        Op::Missing | Op::MissingSome | Op::Merge | Op::Cat | Op::Substr | Op::Map => {
            lists_and_texts(op, args, scope)
        }
        Op::Eq => Json::Bool(loose_eq(&a(0), &a(1))),
        Op::Ne => Json::Bool(!loose_eq(&a(0), &a(1))),
        Op::StrictEq => Json::Bool(strict_eq(&a(0), &a(1))),
        Op::StrictNe => Json::Bool(!strict_eq(&a(0), &a(1))),
        Op::Not => Json::Bool(!truthy(&a(0))),
        Op::NotNot => Json::Bool(truthy(&a(0))),
        Op::If | Op::Or | Op::And => Json::Null,
        Op::Gt => Json::Bool(less(&a(1), &a(0)).unwrap_or(false)),
        Op::Ge => Json::Bool(
            less(&a(0), &a(1)).is_some_and(|lt| !lt) && to_number_or_text_defined(&a(0), &a(1)),
        ),
        Op::Lt | Op::Le => {
            let values: Vec<Cow<'_, Json<'_>>> = args.iter().map(|l| l.eval(scope)).collect();
            let ok = values.windows(2).all(|w| match w {
                [x, y] if op == Op::Lt => less(x, y).unwrap_or(false),
                [x, y] => less(y, x).is_some_and(|gt| !gt) && to_number_or_text_defined(x, y),
                _ => true,
            });
            Json::Bool(ok)
        }
        Op::Max | Op::Min => {
            let Some((first, rest)) = args.split_first() else {
                return Json::Null;
            };
            let pick = if op == Op::Max { f64::max } else { f64::min };
            to_number(&first.eval(scope))
                .and_then(|x| fold_numbers(rest, scope, x, pick))
                .map_or(Json::Null, number)
        }
        Op::Add => fold_numbers(args, scope, -0.0, |a, b| a + b).map_or(Json::Null, number),
        Op::Mul => fold_numbers(args, scope, 1.0, |a, b| a * b).map_or(Json::Null, number),
        Op::Sub => match one_or_two(args, scope) {
            Some((x, None)) => number(-x),
            Some((x, Some(y))) => number(x - y),
            None => Json::Null,
        },
        Op::Div => match one_or_two(args, scope) {
            Some((x, Some(y))) => number(x / y),
            _ => Json::Null,
        },
        Op::Mod => match one_or_two(args, scope) {
            Some((x, Some(y))) => number(x % y),
            _ => Json::Null,
        },
        Op::Filter | Op::All | Op::Some | Op::None => {
            let items = Elements::of(args.first(), scope);
            let Some(body) = args.get(1) else {
                return Json::Null;
            };
            match op {
                Op::Filter => items.filter(body, scope).into_json(),
                Op::All => Json::Bool(
                    items.len() > 0 && items.iter().all(|item| body.test(&scope.with_data(item))),
                ),
                Op::Some => Json::Bool(items.iter().any(|item| body.test(&scope.with_data(item)))),
                _ => Json::Bool(!items.iter().any(|item| body.test(&scope.with_data(item)))),
            }
        }
        Op::Reduce => {
            let items = Elements::of(args.first(), scope);
            let Some(body) = args.get(1) else {
                return Json::Null;
            };
            // The accumulator is rebuilt at every step from a scope that borrows the previous
            // one, so it owns what it holds (a number, in the forms' sums: nothing to copy).
            let mut acc = a(2).into_owned().into_static();
            for item in items.iter() {
                acc = body
                    .eval(&scope.with_frame(item, &acc))
                    .into_owned()
                    .into_static();
            }
            acc
        }
        Op::In => {
            let needle = a(0);
            Json::Bool(match a(1).as_ref() {
                Json::Array(items) => items.iter().any(|i| strict_eq(i, &needle)),
                Json::String(hay) => crate::text::contains(hay, &text_of(&needle)),
                _ => false,
            })
        }
        // The length of a `filter` counts the kept elements without making a list of them.
        Op::Length if matches!(args.first(), Some(Logic::Op { op: Op::Filter, .. })) => {
            number(len_f64(Elements::of(args.first(), scope).len()))
        }
        Op::Length => match a(0).as_ref() {
            Json::Array(items) => number(len_f64(items.len())),
            Json::String(s) => number(len_f64(s.chars().count())),
            _ => Json::Null,
        },
        Op::DateDiffDays => match (date(&a(0)), date(&a(1))) {
            #[expect(clippy::cast_precision_loss, reason = "day counts are small")]
            (Some(from), Some(to)) => number((to - from).num_days() as f64),
            _ => Json::Null,
        },
        Op::IdentifierError => identifier_error(
            &a(0),
            &a(1),
            args.get(2).map(|l| l.eval(scope)),
            args.get(3).map(|l| l.eval(scope)),
        ),
        Op::AgeYears => match (date(&a(0)), date(&a(1))) {
            (Some(birth), Some(on)) => {
                let mut age = on.year() - birth.year();
                if (on.month(), on.day()) < (birth.month(), birth.day()) {
                    age -= 1;
                }
                number(f64::from(age))
            }
            _ => Json::Null,
        },
    }
}

/// The operations that build lists or texts (`missing`, `missing_some`, `merge`, `cat`,
/// `substr`, `map`), out of line from [`compute`]: V8 compiles a WebAssembly function whole at
/// its first call, and a form's conditions and rules mostly compare, count and add, so its first
/// check compiled these (about 2 KB) for nothing.
#[inline(never)]
fn lists_and_texts<'a>(op: Op, args: &'a [Logic], scope: &Scope<'a>) -> Json<'a> {
    let a = |i| arg(args, i, scope);
    match op {
        Op::Missing => {
            let keys: Vec<Json<'a>> = match args {
                [single] => match single.eval(scope).into_owned() {
                    Json::Array(keys) => keys,
                    other => vec![other],
                },
                _ => args.iter().map(|l| l.eval(scope).into_owned()).collect(),
            };
            Json::Array(
                keys.into_iter()
                    .filter(|k| is_missing(scope.resolve(&var_path(k))))
                    .collect(),
            )
        }
        Op::MissingSome => {
            let need = to_number(&a(0)).unwrap_or(0.0);
            let keys = array_of(a(1));
            let missing: Vec<Json<'a>> = keys
                .iter()
                .filter(|k| is_missing(scope.resolve(&var_path(k))))
                .cloned()
                .collect();
            #[expect(clippy::cast_precision_loss, reason = "key lists are short")]
            let found = (keys.len() - missing.len()) as f64;
            if found >= need {
                Json::Array(Vec::new())
            } else {
                Json::Array(missing)
            }
        }
        Op::Merge => Json::Array(
            args.iter()
                .flat_map(|l| match l.eval(scope).into_owned() {
                    Json::Array(items) => items,
                    other => vec![other],
                })
                .collect(),
        ),
        Op::Cat => Json::String(args.iter().map(|l| to_text(&l.eval(scope))).collect()),
        Op::Substr => substr(
            &to_text(&a(0)),
            to_number(&a(1)),
            args.get(2).map(|l| to_number(&l.eval(scope))),
        ),
        Op::Map => {
            let items = Elements::of(args.first(), scope);
            let Some(body) = args.get(1) else {
                return Json::Null;
            };
            // An element of a list the expression built itself lives only here: what the body
            // answers about it is copied out whole.
            Json::Array(match &items {
                Elements::Owned(items) => items
                    .iter()
                    .map(|item| body.eval(&scope.with_data(item)).into_owned().into_static())
                    .collect(),
                Elements::Slice(items) => items
                    .iter()
                    .map(|item| body.eval(&scope.with_data(item)).into_owned())
                    .collect(),
                Elements::Kept(items) => items
                    .iter()
                    .map(|item| body.eval(&scope.with_data(item)).into_owned())
                    .collect(),
            })
        }
        _ => Json::Null,
    }
}

/// `{"identifier_error": [kind, value, birth_date?, gender?]}`: the rulebook's code for an invalid
/// identifier (`CHECKSUM`, `MISMATCH`, …) or `null` when it is valid, so that a form can cross-check
/// a CCCD against its own birth-date and gender fields with the core's rules, not a copy of them.
/// A kind it does not know, or a malformed birth date or gender, answers `INVALID_INPUT`.
fn identifier_error(
    kind: &Json,
    value: &Json,
    birth: Option<Cow<'_, Json<'_>>>,
    gender: Option<Cow<'_, Json<'_>>>,
) -> Json<'static> {
    use crate::error::Coded;
    use crate::identifier::{self, CccdContext, Gender, IdKind};
    let invalid = || Json::from("INVALID_INPUT");
    let Some(kind) = kind.as_str().and_then(|k| k.parse::<IdKind>().ok()) else {
        return invalid();
    };
    let birth_date = match birth.as_deref() {
        None | Some(Json::Null) => None,
        Some(v) => match date(v) {
            Some(d) => Some(d),
            None => return invalid(),
        },
    };
    let gender = match gender.as_deref().and_then(Json::as_str) {
        None => None,
        Some("MALE") => Some(Gender::Male),
        Some("FEMALE") => Some(Gender::Female),
        Some(_) => return invalid(),
    };
    match identifier::validate(kind, &text_of(value), &CccdContext { birth_date, gender }) {
        Ok(_) => Json::Null,
        Err(e) => Json::from(e.code()),
    }
}

/// `>=`/`<=` are false when either side is `NaN`, even though `!(a < b)` would be true.
fn to_number_or_text_defined(a: &Json, b: &Json) -> bool {
    matches!((a, b), (Json::String(_), Json::String(_)))
        || (to_number(a).is_some() && to_number(b).is_some())
}

#[expect(clippy::cast_precision_loss, reason = "lengths are small")]
fn len_f64(n: usize) -> f64 {
    n as f64
}

/// JSON Logic's `substr`: a negative start counts from the end; a negative length stops that many
/// characters before the end.
fn substr(s: &str, start: Option<f64>, len: Option<Option<f64>>) -> Json<'static> {
    let chars: Vec<char> = s.chars().collect();
    #[expect(clippy::cast_possible_wrap)]
    let n = chars.len() as i64;
    #[expect(clippy::cast_possible_truncation)]
    let start = start.unwrap_or(0.0) as i64;
    let from = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let to = match len {
        None | Some(None) => n,
        #[expect(clippy::cast_possible_truncation)]
        Some(Some(l)) if l < 0.0 => (n + l as i64).max(from),
        #[expect(clippy::cast_possible_truncation)]
        Some(Some(l)) => (from + l as i64).min(n),
    };
    let (from, to) = (
        usize::try_from(from).unwrap_or(0),
        usize::try_from(to).unwrap_or(0),
    );
    Json::String(Cow::Owned(
        chars
            .get(from..to.max(from))
            .map(|c| c.iter().collect())
            .unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn run(logic: Value, data: Value) -> Value {
        let ctx = json!({"today": "2026-11-22", "channel": "ONLINE"});
        let (data, ctx) = (Json::borrow(&data), Json::borrow(&ctx));
        let compiled = Logic::compile(&logic).unwrap();
        compiled.eval(&Scope::new(&data, &ctx)).to_value()
    }

    /// Every list operation answers the same over a `filter` (read in place) as over the list the
    /// filter writes out, whether the filtered list is the data's, one the expression builds, a
    /// filter's, or not a list at all.
    #[test]
    fn list_operations_over_a_filter_answer_as_over_its_list() {
        let data = json!({
            "lines": [
                {"code": "4711", "main": true}, {"code": "5610", "main": false},
                {"code": "4711", "main": true}, {"code": "9999", "main": "yes"}
            ],
            "n": [3, 1, 4, 1, 5, 9, 2, 6],
            "text": "not a list"
        });
        // Each filter with the list it keeps, written by hand.
        let sources = [
            (
                json!({"filter": [{"var": "lines"}, {"==": [{"var": "main"}, true]}]}),
                json!([{"code": "4711", "main": true}, {"code": "4711", "main": true}]),
            ),
            (
                json!({"filter": [{"var": "n"}, {">": [{"var": ""}, 2]}]}),
                json!([3, 4, 5, 9, 6]),
            ),
            (
                json!({"filter": [{"filter": [{"var": "n"}, {">": [{"var": ""}, 1]}]}, {"<": [{"var": ""}, 6]}]}),
                json!([3, 4, 5, 2]),
            ),
            (
                json!({"filter": [{"map": [{"var": "n"}, {"*": [{"var": ""}, 2]}]}, {">": [{"var": ""}, 9]}]}),
                json!([10, 18, 12]),
            ),
            (
                json!({"filter": [[{"var": "n.0"}, 0, {"var": "lines.1"}], {"!!": [{"var": ""}]}]}),
                json!([3, {"code": "5610", "main": false}]),
            ),
            (json!({"filter": [{"var": "text"}, true]}), json!([])),
            (json!({"filter": [{"var": "lines"}, false]}), json!([])),
        ];
        let uses = |list: &Value| {
            vec![
                json!({"length": [list]}),
                json!({"reduce": [list, {"+": [{"var": "accumulator"}, 1]}, 0]}),
                json!({"reduce": [list, {"cat": [{"var": "accumulator"}, {"var": "current.code"}]}, ""]}),
                json!({"map": [list, {"var": "code"}]}),
                json!({"map": [list, {"var": ""}]}),
                json!({"some": [list, {"==": [{"var": "code"}, "4711"]}]}),
                json!({"all": [list, {"!!": [{"var": ""}]}]}),
                json!({"none": [list, {">": [{"var": ""}, 4]}]}),
                json!({"filter": [list, {"!=": [{"var": "code"}, "5610"]}]}),
                json!({"in": [4, list]}),
                list.clone(),
            ]
        };
        for (source, written) in sources {
            assert_eq!(run(source.clone(), data.clone()), written, "{source}");
            // The written list is read from the data: objects in a literal list are operations.
            let mut with_written = data.clone();
            with_written["written"] = written;
            for (over_filter, over_list) in uses(&source)
                .into_iter()
                .zip(uses(&json!({"var": "written"})))
            {
                assert_eq!(
                    run(over_filter.clone(), data.clone()),
                    run(over_list, with_written.clone()),
                    "{over_filter}"
                );
            }
        }
    }

    #[test]
    fn the_examples_of_jsonlogic_com_hold() {
        assert_eq!(run(json!({"==": [1, 1]}), json!(null)), json!(true));
        assert_eq!(
            run(json!({"and": [{">": [3, 1]}, {"<": [1, 3]}]}), json!(null)),
            json!(true)
        );
        assert_eq!(
            run(json!({"var": ["a"]}), json!({"a": 1, "b": 2})),
            json!(1)
        );
        assert_eq!(run(json!({"var": "z"}), json!({"a": 1})), json!(null));
        assert_eq!(run(json!({"var": ["z", 26]}), json!({"a": 1})), json!(26));
        assert_eq!(
            run(
                json!({"var": "champ.name"}),
                json!({"champ": {"name": "Fezzig"}})
            ),
            json!("Fezzig")
        );
        assert_eq!(run(json!({"var": 1}), json!(["zero", "one"])), json!("one"));
        assert_eq!(
            run(json!({"missing": ["a", "b"]}), json!({"a": "apple"})),
            json!(["b"])
        );
        assert_eq!(
            run(
                json!({"missing_some": [1, ["a", "b", "c"]]}),
                json!({"a": "apple"})
            ),
            json!([])
        );
        assert_eq!(
            run(json!({"if": [false, 1, false, 2, 3]}), json!(null)),
            json!(3)
        );
        assert_eq!(run(json!({"<": [1, 2, 3]}), json!(null)), json!(true));
        assert_eq!(run(json!({"<=": [1, 1, 3]}), json!(null)), json!(true));
        assert_eq!(run(json!({"+": ["3", 1]}), json!(null)), json!(4));
        assert_eq!(run(json!({"-": [2]}), json!(null)), json!(-2));
        assert_eq!(run(json!({"/": [1, 0]}), json!(null)), json!(null));
        assert_eq!(run(json!({"%": [101, 2]}), json!(null)), json!(1));
        assert_eq!(
            run(
                json!({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]}),
                json!({"xs": [1, 2]})
            ),
            json!([2, 4])
        );
        assert_eq!(
            run(
                json!({"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]}),
                json!({"xs": [1, 2, 3]})
            ),
            json!(6)
        );
        assert_eq!(
            run(
                json!({"all": [[1, 2], {">": [{"var": ""}, 0]}]}),
                json!(null)
            ),
            json!(true)
        );
        assert_eq!(
            run(json!({"all": [[], {">": [{"var": ""}, 0]}]}), json!(null)),
            json!(false)
        );
        assert_eq!(
            run(json!({"in": ["Spring", "Springfield"]}), json!(null)),
            json!(true)
        );
        assert_eq!(
            run(json!({"cat": ["I love", " pie"]}), json!(null)),
            json!("I love pie")
        );
        assert_eq!(
            run(json!({"substr": ["jsonlogic", -5]}), json!(null)),
            json!("logic")
        );
        assert_eq!(
            run(json!({"substr": ["jsonlogic", 1, -5]}), json!(null)),
            json!("son")
        );
        assert_eq!(
            run(json!({"merge": [[1, 2], 3]}), json!(null)),
            json!([1, 2, 3])
        );
        assert_eq!(run(json!({"or": [0, "", "a"]}), json!(null)), json!("a"));
    }

    #[test]
    fn context_root_item_and_dates_resolve() {
        assert_eq!(
            run(json!({"var": "$context.channel"}), json!({})),
            json!("ONLINE")
        );
        assert_eq!(
            run(
                json!({"age_years": [{"var": "birth"}, {"var": "$context.today"}]}),
                json!({"birth": "2012-11-23"})
            ),
            json!(13)
        );
        assert_eq!(
            run(
                json!({"date_diff_days": ["2026-11-20", "2026-11-22"]}),
                json!(null)
            ),
            json!(2)
        );
        assert_eq!(
            run(json!({"length": [{"var": "xs"}]}), json!({"xs": [1, 2, 3]})),
            json!(3)
        );
        assert_eq!(
            run(
                json!({"map": [{"var": "xs"}, {"var": "$root.k"}]}),
                json!({"xs": [1, 2], "k": "v"})
            ),
            json!(["v", "v"])
        );
        let data = json!({"a": 1});
        let item = json!({"relation": "CON"});
        let ctx = json!({});
        let (data, ctx, item) = (Json::borrow(&data), Json::borrow(&ctx), Json::borrow(&item));
        let scope = Scope::new(&data, &ctx).with_item(&item);
        let logic = Logic::compile(&json!({"var": "$item.relation"})).unwrap();
        assert_eq!(logic.eval(&scope).to_value(), json!("CON"));
    }
}
