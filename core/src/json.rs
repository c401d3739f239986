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
use std::ops::Range;

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

/// Byte equality of two texts of one length, by a loop: a call to `memcmp` costs more than the
/// comparison of a short key, and on the phone `memcmp` is itself a byte loop behind a call. A
/// long text (a member's value, a message) is compared eight bytes at a time, out of line: `same`
/// is everywhere, and that loop in each place was 9 KB more of WebAssembly.
#[inline]
fn equal_bytes(a: &str, b: &str) -> bool {
    if a.len() < 16 {
        a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
    } else {
        equal_words(a.as_bytes(), b.as_bytes())
    }
}

/// [`equal_bytes`] of long texts: eight bytes at a time, then the rest.
#[inline(never)]
fn equal_words(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (a.chunks_exact(8), b.chunks_exact(8));
    let (a_rest, b_rest) = (a.remainder(), b.remainder());
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map_or(0, u64::from_ne_bytes);
    a.zip(b).all(|(x, y)| word(x) == word(y)) && a_rest.iter().zip(b_rest).all(|(x, y)| x == y)
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
        .binary_search_by(|(k, _)| order(text(k), key))
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
        members.binary_search_by(|(k, _)| order(k, key))
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
        self.entry_named(key, None, make)
    }

    /// [`Self::entry`], a member added named by `name` (which is `key`) borrowed rather than
    /// copied, when the caller holds it for as long as the value.
    pub(crate) fn entry_named(
        &mut self,
        key: &str,
        name: Option<&'a str>,
        make: impl FnOnce() -> Self,
    ) -> Option<&mut Self> {
        let Self::Object(members) = self else {
            return None;
        };
        let i = match Self::index_of(members, key) {
            Ok(i) => i,
            Err(i) => {
                let name = name.map_or_else(|| Cow::Owned(key.to_owned()), Cow::Borrowed);
                members.insert(i, (name, make()));
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
///
/// Through the core's one sort (`crate::sort`, by insertion for the short objects of forms):
/// the standard sort for this type was 4 KB more of WebAssembly that a form's cold start compiles
/// (its definition's objects are sorted as they are read).
fn sorted<'a>(mut members: Vec<(Cow<'a, str>, Json<'a>)>) -> Vec<(Cow<'a, str>, Json<'a>)> {
    if members.is_sorted_by(|a, b| order(&a.0, &b.0).is_lt()) {
        return members;
    }
    // Reversed, a stable sort puts the last of equal keys first, which `dedup` keeps.
    members.reverse();
    crate::sort::small_by(&mut members, |a, b| order(&a.0, &b.0));
    members.dedup_by(|later, kept| same(&later.0, &kept.0));
    members
}

impl Json<'_> {
    /// The same value borrowing this one's strings: a form's member kept from the last check is
    /// lent to the next without copying its text (only its lists are made again).
    #[must_use]
    pub(crate) fn view(&self) -> Json<'_> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(*b),
            Json::Number(n) => Json::Number(n.clone()),
            Json::String(s) => Json::String(Cow::Borrowed(s.as_ref())),
            Json::Array(items) => Json::Array(items.iter().map(Json::view).collect()),
            Json::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_ref()), v.view()))
                    .collect(),
            ),
        }
    }
}

/// Where a member of an object is in its text: its key (between the quotes) and its value.
pub(crate) type Span = (Range<usize>, Range<usize>);

/// The members of a JSON object's text as written, in the order written, without reading the
/// values: for telling which members of a form changed from one text to the next (`form::memo`)
/// at a fraction of the cost of reading them. `None` when the text is not an object, a key has
/// an escape or a control character, or appears twice (then the caller reads the text in full).
/// Values are only skipped, not checked: the caller reads those it uses.
pub(crate) fn member_spans(text: &str) -> Option<Vec<Span>> {
    let b = text.as_bytes();
    let i = skip_space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::with_capacity(16);
    spans_from(b, skip_space(b, i + 1), &mut out, |_| None, |_| None)?;
    distinct(text, out)
}

/// [`member_spans`] of `text` given those of `old`, the text checked before it: the members in
/// the part both texts begin with, and in the part they end with, are where they were (shifted
/// by the change of length); only the members between are read, one keystroke's worth. Also
/// gives which of the members (positions in the list) were read.
///
/// The value the edit is in is not read either when it began and ended in the two common parts
/// (a letter typed into a text in the middle of the form): it is taken to end where it ended,
/// before the same rest of the text. That is the value's end if it is one JSON value (what
/// follows it is white space, a comma or a brace, which no value goes on past), but its text
/// may not be one (a quote typed into it, unescaped): the caller reads every value of the
/// members read, and a text refused there is read in full. With `old` checked the same way,
/// the members not read are as they were.
pub(crate) fn member_spans_since(
    old: &str,
    old_spans: &[Span],
    text: &str,
) -> Option<(Vec<Span>, Range<usize>)> {
    let (a, b) = (old.as_bytes(), text.as_bytes());
    let prefix = common_prefix(a, b);
    let suffix = common_suffix(a.get(prefix..)?, b.get(prefix..)?);
    // A member is in the common beginning when the byte after its value is too.
    let kept = old_spans
        .iter()
        .take_while(|(_, value)| value.end < prefix)
        .count();
    // Room for the members as they were and one more (a member added), made once.
    let mut out: Vec<Span> = Vec::with_capacity(old_spans.len() + 1);
    out.extend_from_slice(old_spans.get(..kept)?);
    let start = match out.last() {
        Some((_, value)) => {
            let i = skip_space(b, value.end);
            match b.get(i) {
                Some(b',') => skip_space(b, i + 1),
                // The last member: nothing between.
                Some(b'}') => {
                    ends(b, i)?;
                    return distinct_since(text, out, kept..kept);
                }
                _ => return None,
            }
        }
        None => {
            let i = skip_space(b, 0);
            if b.get(i) != Some(&b'{') {
                return None;
            }
            skip_space(b, i + 1)
        }
    };
    // Reading stops at a member that starts where one started in the old text, in the part
    // both end with: from there on the texts are the same bytes, read the same way.
    let grown = isize::try_from(b.len()).ok()? - isize::try_from(a.len()).ok()?;
    let to_old = |i: usize| i.checked_add_signed(-grown);
    let to_new = |i: usize| i.checked_add_signed(grown);
    let rest = old_spans.get(kept..)?;
    // The member the edit is inside the value of: its key and the start of its value in the
    // common beginning (so they are as they were), the end of its value in the common end. (An
    // edit right after a value may go on with it, `1` to `12`, or add members after it.)
    let spanning = rest.first().and_then(|(_, value)| {
        let end = to_new(value.end)?;
        let inside = value.start < prefix && prefix < value.end;
        (inside && b.len() - suffix <= end).then_some((value.start, end))
    });
    let mut tail = None;
    let known_end = |value_start: usize| match spanning {
        Some((start, end)) if start == value_start => Some(end),
        _ => None,
    };
    spans_from(b, start, &mut out, known_end, |quote| {
        if b.len() - quote > suffix {
            return None;
        }
        let old_quote = to_old(quote)?;
        let j = rest
            .binary_search_by(|(key, _)| (key.start - 1).cmp(&old_quote))
            .ok()?;
        tail = Some(j);
        Some(())
    })?;
    let read = kept..out.len();
    if let Some(j) = tail {
        for (key, value) in rest.get(j..)? {
            out.push((
                to_new(key.start)?..to_new(key.end)?,
                to_new(value.start)?..to_new(value.end)?,
            ));
        }
    }
    distinct_since(text, out, read)
}

/// Reads members from `i` (a key's opening quote, or the closing brace) into `out` until the
/// object ends, or until `stop` (given a key's opening quote) says the rest is known. A value
/// whose end `known_end` gives (given where it starts) is not read.
fn spans_from(
    b: &[u8],
    mut i: usize,
    out: &mut Vec<Span>,
    known_end: impl Fn(usize) -> Option<usize>,
    mut stop: impl FnMut(usize) -> Option<()>,
) -> Option<()> {
    if b.get(i) == Some(&b'}') {
        return ends(b, i);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        if stop(i).is_some() {
            return Some(());
        }
        let key_start = i + 1;
        let key_end = key_start + memchr::memchr2(b'"', b'\\', b.get(key_start..)?)?;
        if b.get(key_end) != Some(&b'"') || b.get(key_start..key_end)?.iter().any(|&c| c < 0x20) {
            return None;
        }
        i = skip_space(b, key_end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(b, i + 1);
        i = match known_end(value_start) {
            Some(end) => end,
            None => skip_value(b, value_start)?,
        };
        out.push((key_start..key_end, value_start..i));
        i = skip_space(b, i);
        match b.get(i) {
            Some(b',') => i = skip_space(b, i + 1),
            Some(b'}') => return ends(b, i),
            _ => return None,
        }
    }
}

/// Whether only white space follows the closing brace at `i`.
fn ends(b: &[u8], i: usize) -> Option<()> {
    (skip_space(b, i + 1) == b.len()).then_some(())
}

/// The spans, unless a key appears twice.
fn distinct(text: &str, spans: Vec<Span>) -> Option<Vec<Span>> {
    let mut keys: Vec<&str> = spans
        .iter()
        .filter_map(|(k, _)| text.get(k.clone()))
        .collect();
    crate::sort::small_by(&mut keys, |a, b| order(a, b));
    if keys.len() != spans.len() || keys.windows(2).any(|w| matches!(w, [x, y] if same(x, y))) {
        return None;
    }
    Some(spans)
}

/// The spans since the last text, unless a key appears twice: only the members read can repeat
/// a key, the others were distinct in the last text.
fn distinct_since(
    text: &str,
    spans: Vec<Span>,
    read: Range<usize>,
) -> Option<(Vec<Span>, Range<usize>)> {
    let name = |(k, _): &Span| text.get(k.clone());
    for (i, new) in spans.get(read.clone())?.iter().enumerate() {
        let key = name(new)?;
        let repeated = spans
            .iter()
            .enumerate()
            .any(|(j, other)| j != read.start + i && name(other) == Some(key));
        if repeated {
            return None;
        }
    }
    Some((spans, read))
}

/// How many bytes `a` and `b` begin with alike, compared eight at a time (`==` is `memcmp`, a
/// byte loop in WebAssembly).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while let (Some(x), Some(y)) = (a.get(i..i + 8), b.get(i..i + 8)) {
        if x != y {
            break;
        }
        i += 8;
    }
    while i < n && a.get(i) == b.get(i) {
        i += 1;
    }
    i
}

/// How many bytes `a` and `b` end with alike.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && a.get(a.len() - i - 8..a.len() - i) == b.get(b.len() - i - 8..b.len() - i) {
        i += 8;
    }
    while i < n && a.get(a.len() - i - 1) == b.get(b.len() - i - 1) {
        i += 1;
    }
    i
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end of the value starting at `i`: serde_json reads past it without keeping it (and
/// refuses what is not JSON, or nested deeper than it reads).
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    let mut values =
        serde_json::Deserializer::from_slice(b.get(i..)?).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    Some(i + values.byte_offset())
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

    /// Objects longer than an insertion sort takes, keys in any order and repeated, read as
    /// `serde_json` reads them (the last value of a key wins), their members in key order.
    #[test]
    fn long_objects_are_sorted_and_keep_a_repeated_key_last() {
        for len in [2_usize, 33, 64, 65, 80] {
            let keys: Vec<String> = (0..len).map(|i| format!("k{}", (i * 37) % len)).collect();
            let mut members: Vec<String> = keys.iter().map(|k| format!("\"{k}\": 1")).collect();
            members.push(format!("\"{}\": \"last\"", keys[0]));
            members.push(format!("\"{}\": \"last\"", keys[len / 2]));
            let text = format!("{{{}}}", members.join(", "));
            let json = Json::parse(&text).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json.to_value(), value, "{len}");
            let Json::Object(read) = &json else {
                panic!("{len}")
            };
            assert_eq!(read.len(), len);
            assert!(read.windows(2).all(|w| w[0].0 < w[1].0), "{len}");
            assert_eq!(json.get(&keys[len / 2]), Some(&Json::from("last")));
        }
    }

    /// `same` and `order` answer as `==` and `str`'s order for texts of every length around the
    /// eight-byte words `same` compares, differing at each place (multi-byte characters too).
    #[test]
    fn same_and_order_answer_as_the_standard_comparisons() {
        let base = "abcdefghijklmnopqrstuvwxyzđộ0123";
        for len in 0..base.len() {
            let Some(a) = base.get(..len) else { continue };
            assert!(same(a, a), "{a:?}");
            for (i, _) in a.char_indices() {
                for with in ["A", "z", "ệ"] {
                    let b = format!(
                        "{}{with}{}",
                        &a[..i],
                        &a[i..].chars().skip(1).collect::<String>()
                    );
                    assert_eq!(same(a, &b), a == b, "{a:?} {b:?}");
                    assert_eq!(order(a, &b), a.cmp(b.as_str()), "{a:?} {b:?}");
                }
            }
            assert_eq!(order(a, base), a.cmp(base), "{a:?}");
        }
    }

    #[test]
    fn members_are_inserted_and_removed_in_order() {
        let mut json = Json::borrow(&json!({"a": 1, "c": 3})).into_static();
        *json.entry("b", || Json::Null).unwrap() = Json::from(true);
        json.remove("a");
        assert_eq!(json.to_value(), json!({"b": true, "c": 3}));
    }

    /// The common beginning and end, counted eight bytes at a time, as byte by byte: for texts
    /// of every length up to 40 differing at each place, and alike.
    #[test]
    fn common_parts_are_counted_as_byte_by_byte() {
        let naive_prefix = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let naive_suffix = |a: &[u8], b: &[u8]| {
            a.iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        };
        for len in 0..=40_usize {
            let a: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            for other in [len.saturating_sub(3), len, len + 5] {
                let b: Vec<u8> = (0..other).map(|i| b'a' + (i % 26) as u8).collect();
                assert_eq!(common_prefix(&a, &b), naive_prefix(&a, &b));
                assert_eq!(common_suffix(&a, &b), naive_suffix(&a, &b));
            }
            for at in 0..len {
                let mut b = a.clone();
                b[at] = b'#';
                assert_eq!(common_prefix(&a, &b), at, "{len} {at}");
                assert_eq!(common_suffix(&a, &b), len - at - 1, "{len} {at}");
            }
        }
    }

    /// Members as written: keys and value texts in the order written, nested strings and
    /// brackets skipped whole; refused when a key has an escape or appears twice.
    #[test]
    fn members_are_found_as_written() {
        let text = r#" { "b" : [1, {"x": "]}\"", "y": [[]]}] , "a":"q\"r}", "c":-1.5e3,"d":{}, "e":null} "#;
        let parts = |text: &str, spans: &[Span]| -> Vec<(String, String)> {
            spans
                .iter()
                .map(|(k, v)| (text[k.clone()].to_owned(), text[v.clone()].to_owned()))
                .collect()
        };
        let spans = member_spans(text).unwrap();
        let expected = [
            ("b", r#"[1, {"x": "]}\"", "y": [[]]}]"#),
            ("a", r#""q\"r}""#),
            ("c", "-1.5e3"),
            ("d", "{}"),
            ("e", "null"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(parts(text, &spans), expected);
        assert_eq!(member_spans("{}").unwrap(), []);
        assert_eq!(member_spans(r#"{"a":1,"a":2}"#), None);
        assert_eq!(member_spans(r#"{"a\u0041":1}"#), None);
        assert_eq!(member_spans("[1]"), None);
        assert_eq!(member_spans("1"), None);
        // Since an earlier text: the same members as read afresh, whatever changed where.
        let texts = [
            r#"{"a":"xyz","b":[1,2],"c":{"d":"e"},"f":true}"#,
            r#"{"a":"xyz","b":[1,2,3],"c":{"d":"e"},"f":true}"#,
            r#"{"a":"xyz","b":[1],"c":{"d":"e"},"f":true}"#,
            r#"{"a":"xy","b":[1],"c":{"d":"e"},"f":true}"#,
            r#"{"b":[1],"c":{"d":"e"},"f":true}"#,
            r#"{"b":[1],"c":{"d":"e"},"f":true,"g":1}"#,
            r#"{"b":[1],"c":{"d":"e\"},\"f\":true,\"g\":1"}}"#,
            r#"{"b":[1],"c":{"d":"e"},"f":true,"g":12}"#,
            r#"{"b":[1],"c":{"d":"e"},"f":true,"g":12,"b":2}"#,
            r#"{"b":[1],"c":{"d":"e"},"f":true,"g":12}"#,
            "{}",
            r#"{"z":0}"#,
            r#"{"a":1,"b":2}"#,
            r#"{"a":1,"b":3}"#,
            r#"{"a":1, "b":3 }"#,
            r#"{"a":4,"b":3}"#,
            // An edit inside a value that began and ended in the common parts, whose end is
            // then not read again: one JSON value again, with white space after it, two
            // members, not JSON.
            r#"{"a":"xy","b":1}"#,
            r#"{"a":"x" ,"b":1}"#,
            r#"{"a":"x","c":"y","b":1}"#,
            r#"{"a":"x"y","b":1}"#,
            r#"{"a":"x","b":1,"b":1}"#,
            r#"{"a":[1,"x"],"b":1}"#,
            r#"{"a":[1,"x",2],"b":1}"#,
            r#"{"a":[1,"x"],2],"b":1}"#,
            r#"{"a":12,"b":1}"#,
            r#"{"a":1 2,"b":1}"#,
        ];
        for old in texts {
            for new in texts {
                let Some(old_spans) = member_spans(old) else {
                    continue;
                };
                let afresh = member_spans(new).map(|s| parts(new, &s));
                let since = member_spans_since(old, &old_spans, new);
                // The members read that are one JSON value each (the caller refuses the text
                // otherwise), their values without the white space after them.
                let since_read = since.as_ref().and_then(|(spans, read)| {
                    let values_read = spans
                        .get(read.clone())?
                        .iter()
                        .map(|(_, v)| &new[v.clone()]);
                    for value in values_read {
                        Json::parse(value).ok()?;
                    }
                    let trimmed = parts(new, spans).into_iter();
                    Some(
                        trimmed
                            .map(|(k, v)| (k, v.trim_end().to_owned()))
                            .collect::<Vec<_>>(),
                    )
                });
                match (&since_read, &afresh) {
                    (Some(_), Some(_)) | (None, None) => {
                        assert_eq!(since_read, afresh, "{old} → {new}");
                    }
                    // Refused though it is JSON (the caller then reads it in full): only when
                    // the text a value was taken to span is members, not one value.
                    (None, Some(members)) => {
                        assert!(since.is_some(), "{old} → {new}");
                        assert!(members.len() != old_spans.len(), "{old} → {new}");
                    }
                    (Some(_), None) => panic!("{old} → {new}: not refused"),
                }
                // A member not read again is as it was.
                let Some((spans, read)) = since else { continue };
                let before = parts(old, &old_spans);
                for (i, member) in parts(new, &spans).into_iter().enumerate() {
                    if !read.contains(&i) {
                        assert!(before.contains(&member), "{old} → {new}: {member:?}");
                    }
                }
            }
        }
    }
}
