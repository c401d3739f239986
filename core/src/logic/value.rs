//! JavaScript-like value semantics, as JSON Logic defines them.

use serde_json::Number;

use std::borrow::Cow;

use crate::json::Json;

/// JSON Logic truthiness: `0`, `""`, `[]`, `null` and `false` are false; everything else is true.
#[must_use]
pub fn truthy(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => !a.is_empty(),
        Json::Object(_) => true,
    }
}

/// JavaScript's `Number(v)`, with `None` for `NaN`.
pub(super) fn to_number(v: &Json) -> Option<f64> {
    match v {
        Json::Null => Some(0.0),
        Json::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Json::Number(n) => n.as_f64(),
        Json::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                Some(0.0)
            } else {
                t.parse::<f64>().ok().filter(|f| f.is_finite())
            }
        }
        Json::Array(a) => match a.as_slice() {
            [] => Some(0.0),
            [single] => to_number(single),
            _ => None,
        },
        Json::Object(_) => None,
    }
}

/// A number as JSON: integral values become integers so that `2 + 1` is `3`, not `3.0`.
pub(super) fn number(f: f64) -> Json<'static> {
    #[expect(clippy::cast_possible_truncation)]
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Json::Number(Number::from(f as i64));
    }
    Number::from_f64(f).map_or(Json::Null, Json::Number)
}

/// [`to_text`], borrowing a string's own text: `in` and `identifier_error` read strings, and
/// copying one costs more than the test.
pub(super) fn text_of<'v>(v: &'v Json) -> Cow<'v, str> {
    match v {
        Json::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(to_text(other)),
    }
}

/// JavaScript's `String(v)` for the values forms use.
pub(super) fn to_text(v: &Json) -> String {
    match v {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.as_f64().map_or_else(
            || n.to_string(),
            |f| match number(f) {
                Json::Number(n) => n.to_string(),
                _ => String::new(),
            },
        ),
        Json::String(s) => s.as_ref().to_owned(),
        Json::Array(a) => a.iter().map(to_text).collect::<Vec<_>>().join(","),
        Json::Object(_) => "[object Object]".to_owned(),
    }
}

/// Strict equality (`===`): same type and value; numbers compare numerically.
pub(super) fn strict_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(_) | Json::Object(_), _) | (_, Json::Array(_) | Json::Object(_)) => false,
        _ => a == b,
    }
}

/// Loose equality (`==`) for primitive values, following JavaScript's coercions.
pub(super) fn loose_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Null, Json::Null) => true,
        (Json::Null, _) | (_, Json::Null) => false,
        (Json::String(x), Json::String(y)) => x == y,
        (Json::Array(_) | Json::Object(_), Json::Array(_) | Json::Object(_)) => false,
        (Json::Array(_), _) | (_, Json::Array(_)) => to_text(a) == to_text(b),
        _ => match (to_number(a), to_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// `<` as JavaScript compares: two strings lexicographically (ISO dates compare correctly),
/// anything else numerically; `None` when the comparison is undefined (a `NaN`).
pub(super) fn less(a: &Json, b: &Json) -> Option<bool> {
    if let (Json::String(x), Json::String(y)) = (a, b) {
        return Some(x < y);
    }
    Some(to_number(a)? < to_number(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn j(v: serde_json::Value) -> Json<'static> {
        Json::borrow(&v).into_static()
    }

    #[test]
    fn truthiness_follows_json_logic() {
        for v in [
            j(json!(0)),
            j(json!("")),
            j(json!([])),
            j(json!(null)),
            j(json!(false)),
        ] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [
            j(json!("0")),
            j(json!([0])),
            j(json!({})),
            j(json!(-1)),
            j(json!("a")),
        ] {
            assert!(truthy(&v), "{v}");
        }
    }

    #[test]
    fn loose_equality_coerces_like_javascript() {
        assert!(loose_eq(&j(json!(1)), &j(json!("1"))));
        assert!(loose_eq(&j(json!(0)), &j(json!(false))));
        assert!(!loose_eq(&j(json!(null)), &j(json!(0))));
        assert!(!strict_eq(&j(json!(1)), &j(json!("1"))));
        assert!(strict_eq(&j(json!(1)), &j(json!(1.0))));
    }
}
