//! JavaScript-like value semantics, as JSON Logic defines them.

use serde_json::{Number, Value};

/// JSON Logic truthiness: `0`, `""`, `[]`, `null` and `false` are false; everything else is true.
#[must_use]
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

/// JavaScript's `Number(v)`, with `None` for `NaN`.
pub(super) fn to_number(v: &Value) -> Option<f64> {
    match v {
        Value::Null => Some(0.0),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                Some(0.0)
            } else {
                t.parse::<f64>().ok().filter(|f| f.is_finite())
            }
        }
        Value::Array(a) => match a.as_slice() {
            [] => Some(0.0),
            [single] => to_number(single),
            _ => None,
        },
        Value::Object(_) => None,
    }
}

/// A number as JSON: integral values become integers so that `2 + 1` is `3`, not `3.0`.
pub(super) fn number(f: f64) -> Value {
    #[expect(clippy::cast_possible_truncation)]
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Value::Number(Number::from(f as i64));
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// JavaScript's `String(v)` for the values forms use.
pub(super) fn to_text(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(
            || n.to_string(),
            |f| match number(f) {
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            },
        ),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(to_text).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// Strict equality (`===`): same type and value; numbers compare numerically.
pub(super) fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => a == b,
    }
}

/// Loose equality (`==`) for primitive values, following JavaScript's coercions.
pub(super) fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => false,
        (Value::Array(_), _) | (_, Value::Array(_)) => to_text(a) == to_text(b),
        _ => match (to_number(a), to_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// `<` as JavaScript compares: two strings lexicographically (ISO dates compare correctly),
/// anything else numerically; `None` when the comparison is undefined (a `NaN`).
pub(super) fn less(a: &Value, b: &Value) -> Option<bool> {
    if let (Value::String(x), Value::String(y)) = (a, b) {
        return Some(x < y);
    }
    Some(to_number(a)? < to_number(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truthiness_follows_json_logic() {
        for v in [json!(0), json!(""), json!([]), json!(null), json!(false)] {
            assert!(!truthy(&v), "{v}");
        }
        for v in [json!("0"), json!([0]), json!({}), json!(-1), json!("a")] {
            assert!(truthy(&v), "{v}");
        }
    }

    #[test]
    fn loose_equality_coerces_like_javascript() {
        assert!(loose_eq(&json!(1), &json!("1")));
        assert!(loose_eq(&json!(0), &json!(false)));
        assert!(!loose_eq(&json!(null), &json!(0)));
        assert!(!strict_eq(&json!(1), &json!("1")));
        assert!(strict_eq(&json!(1), &json!(1.0)));
    }
}
