//! The JSON the form engine reads: strings borrowed from the text they were read from, objects as
//! one sorted vector.
//!
//! `serde_json::Value` gives every string and every key its own allocation and every object a
//! B-tree; reading a 1.4 KB form from text on a phone then cost more than validating it, and
//! dropping it nearly as much again. This keeps the same meaning — members sorted by key, a
//! repeated key's last value wins, numbers as `serde_json::Number` — with one allocation per
//! object or array. A `Value` the server already holds is borrowed the same way.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json<'a> {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, integral or not, as JSON wrote it.
    Number(Number),
    /// A string, borrowed when the text had no escapes in it.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object: members sorted by key, keys unique.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// The text of a key, without a call: the phone's build optimises for size and would otherwise
/// call `Deref` for every key it compares.
#[inline(always)]
#[expect(
    clippy::ptr_arg,
    reason = "matching the Cow itself is the point: its Deref is the call avoided"
)]
fn text<'k>(k: &'k Cow<'_, str>) -> &'k str {
    match k {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => o.as_str(),
    }
}

/// Whether two keys are equal, comparing lengths and the first byte before the rest: keys are
/// short, and most keys compared differ there.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && equal_bytes(a, b)
}

/// Byte equality of two keys of one length, by a loop: a call to `memcmp` costs more than the
/// comparison of a short key, and on the phone `memcmp` is itself a byte loop behind a call.
#[inline]
fn equal_bytes(a: &str, b: &str) -> bool {
    a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Orders two keys as `str` does, by a byte loop: for the short keys of forms a call to
/// `memcmp` costs more than the comparison.
#[inline]
pub(crate) fn order(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// The member `key` of an object's members.
pub(crate) fn member<'m, 'a>(
    members: &'m [(Cow<'a, str>, Json<'a>)],
    key: &str,
) -> Option<&'m Json<'a>> {
    // Forms' objects are small: a scan that compares lengths first touches the bytes of almost no
    // other key, where a binary search compares bytes at every step.
    if members.len() <= 16 {
        return members
            .iter()
            .find(|(k, _)| same(text(k), key))
            .map(|(_, v)| v);
    }
    members
        .binary_search_by(|(k, _)| text(k).cmp(key))
        .ok()
        .and_then(|i| members.get(i))
        .map(|(_, v)| v)
}

/// `null`, to lend where a value is absent.
pub static NULL: Json<'static> = Json::Null;

impl<'a> Json<'a> {
    /// Reads JSON text, borrowing its strings.
    ///
    /// # Errors
    /// When the text is not JSON (or nests deeper than 128 levels).
    pub fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// An object of `members` in any order, kept as every object is (sorted by key, a repeated
    /// key's last value winning): for objects built in code rather than read.
    #[must_use]
    pub fn object(members: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        Json::Object(sorted(members))
    }

    /// Borrows a value the caller holds.
    #[must_use]
    pub fn borrow(value: &'a Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.clone()),
            Value::String(s) => Self::String(Cow::Borrowed(s)),
            Value::Array(items) => Self::Array(items.iter().map(Self::borrow).collect()),
            // A `Map` iterates in key order with unique keys: already this type's order.
            Value::Object(map) => Self::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Self::borrow(v)))
                    .collect(),
            ),
        }
    }

    /// The same value owning its strings.
    #[must_use]
    pub fn into_static(self) -> Json<'static> {
        match self {
            Self::Null => Json::Null,
            Self::Bool(b) => Json::Bool(b),
            Self::Number(n) => Json::Number(n),
            Self::String(s) => Json::String(Cow::Owned(s.into_owned())),
            Self::Array(items) => Json::Array(items.into_iter().map(Json::into_static).collect()),
            Self::Object(members) => Json::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_static()))
                    .collect(),
            ),
        }
    }

    /// The value as a `serde_json::Value`.
    #[must_use]
    pub fn to_value(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => Value::Number(n.clone()),
            Self::String(s) => Value::String(s.as_ref().to_owned()),
            Self::Array(items) => Value::Array(items.iter().map(Self::to_value).collect()),
            Self::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }

    fn index_of(members: &[(Cow<'a, str>, Json<'a>)], key: &str) -> Result<usize, usize> {
        members.binary_search_by(|(k, _)| k.as_ref().cmp(key))
    }

    /// The member `key` of an object.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Object(members) => member(members, key),
            _ => None,
        }
    }

    /// The member `key` of an object, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Self> {
        match self {
            Self::Object(members) => match Self::index_of(members, key) {
                Ok(i) => members.get_mut(i).map(|(_, v)| v),
                Err(_) => None,
            },
            _ => None,
        }
    }

    /// The member `key` of an object, inserted as `make()` when absent; `None` for a non-object.
    pub fn entry(&mut self, key: &str, make: impl FnOnce() -> Self) -> Option<&mut Self> {
        let Self::Object(members) = self else {
            return None;
        };
        let i = match Self::index_of(members, key) {
            Ok(i) => i,
            Err(i) => {
                members.insert(i, (Cow::Owned(key.to_owned()), make()));
                i
            }
        };
        members.get_mut(i).map(|(_, v)| v)
    }

    /// Removes the member `key` of an object.
    pub fn remove(&mut self, key: &str) {
        if let Self::Object(members) = self
            && let Ok(i) = Self::index_of(members, key)
        {
            members.remove(i);
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `f64`, if this is one.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as `i64`, if this is an integer in its range.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as `u64`, if this is a non-negative integer.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&[Self]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members (sorted by key), if this is an object.
    #[must_use]
    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Self)]> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether this is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// Whether this is an object.
    #[must_use]
    pub fn is_object(&self) -> bool {
        matches!(self, Self::Object(_))
    }
}

impl From<bool> for Json<'_> {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<&'static str> for Json<'_> {
    fn from(s: &'static str) -> Self {
        Self::String(Cow::Borrowed(s))
    }
}

impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_unit(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Number(n) => n.serialize(s),
            Self::String(text) => s.serialize_str(text),
            Self::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k.as_ref(), v)?;
                }
                map.end()
            }
        }
    }
}

/// A string read from JSON text: borrowed when it had no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Json::String(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // Room for a form's usual object at once: grown from empty, an object of five to
                // eight members took two allocations and one of nine to sixteen three (−1.6 % of
                // a validation's instructions).
                let mut members: Vec<(Cow<'de, str>, Json<'de>)> = Vec::with_capacity(8);
                while let Some((Text(k), v)) = map.next_entry::<Text<'de>, Json<'de>>()? {
                    members.push((k, v));
                }
                Ok(Json::Object(sorted(members)))
            }
        }
        d.deserialize_any(JsonVisitor)
    }
}

/// Members in key order, a repeated key keeping its last value (as a `serde_json::Map` does).
fn sorted<'a>(mut members: Vec<(Cow<'a, str>, Json<'a>)>) -> Vec<(Cow<'a, str>, Json<'a>)> {
    if members.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)) {
        return members;
    }
    // Reversed, a stable sort puts the last of equal keys first, which `dedup` keeps.
    members.reverse();
    members.sort_by(|a, b| a.0.cmp(&b.0));
    members.dedup_by(|later, kept| later.0 == kept.0);
    members
}

/// The members of a JSON object's text as written: each key's text (between its quotes) and its
/// value's text, sorted by key, without reading the values. For telling which members of a form
/// changed from one text to the next (`form::memo`) at a fraction of the cost of reading them.
/// `None` when the text is not an object, a key has an escape, or a key appears twice (then the
/// caller treats every member as changed). The text must be JSON that has been read already.
pub(crate) fn members_as_written(text: &str) -> Option<Vec<(&str, &str)>> {
    let b = text.as_bytes();
    let mut i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_space(b, i + 1);
    let mut out = Vec::with_capacity(16);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_start = i + 1;
        let key_end = key_start + memchr::memchr2(b'"', b'\\', b.get(key_start..)?)?;
        if b.get(key_end) != Some(&b'"') {
            return None;
        }
        i = skip_space(b, key_end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(b, i + 1);
        i = skip_value(b, value_start)?;
        out.push((text.get(key_start..key_end)?, text.get(value_start..i)?));
        i = skip_space(b, i);
        match b.get(i) {
            Some(b',') => i = skip_space(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    out.sort_unstable_by(|x, y| x.0.cmp(y.0));
    if out.windows(2).any(|w| matches!(w, [x, y] if x.0 == y.0)) {
        return None;
    }
    Some(out)
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the string starting at `i` (its opening quote).
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        if b.get(j) == Some(&b'\\') {
            j += 2;
        } else {
            return Some(j + 1);
        }
    }
}

/// The end of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0_usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => j = skip_string(b, j)?,
                    b'{' | b'[' => {
                        depth += 1;
                        j += 1;
                    }
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        j += 1;
                        if depth == 0 {
                            return Some(j);
                        }
                    }
                    _ => j += 1,
                }
            }
        }
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_serde_json_and_borrows_plain_strings() {
        let text =
            r#"{"b": [1, 2.5, "x\ny"], "a": {"z": null, "y": true}, "b": "last", "c": "plain"}"#;
        let json = Json::parse(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(json.to_value(), value);
        assert_eq!(Json::borrow(&value), json);
        assert_eq!(serde_json::to_string(&json).unwrap(), value.to_string());
        assert!(matches!(
            json.get("c"),
            Some(Json::String(Cow::Borrowed("plain")))
        ));
        assert_eq!(json.get("b"), Some(&Json::from("last")));
        assert!(Json::parse("{").is_err());
    }

    #[test]
    fn members_are_inserted_and_removed_in_order() {
        let mut json = Json::borrow(&json!({"a": 1, "c": 3})).into_static();
        *json.entry("b", || Json::Null).unwrap() = Json::from(true);
        json.remove("a");
        assert_eq!(json.to_value(), json!({"b": true, "c": 3}));
    }

    /// Members as written: keys and value texts sorted by key, nested strings and brackets
    /// skipped whole; refused when a key has an escape or appears twice.
    #[test]
    fn members_are_found_as_written() {
        let text =
            r#" { "b" : [1, {"x": "]}\"", "y": [[]]}] , "a":"q\"r}", "c":-1.5e3,"d":{}, "e":null}"#;
        assert_eq!(
            members_as_written(text).unwrap(),
            [
                ("a", r#""q\"r}""#),
                ("b", r#"[1, {"x": "]}\"", "y": [[]]}]"#),
                ("c", "-1.5e3"),
                ("d", "{}"),
                ("e", "null")
            ]
        );
        assert_eq!(members_as_written("{}").unwrap(), []);
        assert_eq!(members_as_written(r#"{"a":1,"a":2}"#), None);
        assert_eq!(members_as_written(r#"{"a\u0041":1}"#), None);
        assert_eq!(members_as_written("[1]"), None);
        assert_eq!(members_as_written("1"), None);
    }
}
