//! JSON Pointers with `*` for "every element of a repeating group".

use std::borrow::Cow;

use crate::json::Json;

/// Splits a pointer into unescaped segments (`/a~1b/0` → `["a/b", "0"]`).
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    split(pointer).map(Cow::into_owned).collect()
}

/// Escapes a key for a JSON Pointer; most keys need nothing and are not copied.
pub(crate) fn escape(key: &str) -> Cow<'_, str> {
    // Bytes, not chars: `str::contains` with a char set decodes every character, and this runs
    // for every property of every validation.
    if key.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

/// One place a pattern names: the concrete pointer, the value there (absent when the pattern's
/// last segment names a missing field) and the element the last `*` stood for, as the length of
/// its pointer (a prefix of `pointer`) and its value.
pub(crate) struct Place<'p, 'v, 'a> {
    pub(crate) pointer: &'p str,
    pub(crate) value: Option<&'v Json<'a>>,
    pub(crate) item: Option<(usize, &'v Json<'a>)>,
}

impl<'v, 'a> Place<'_, 'v, 'a> {
    /// The pointer of the `*` element, if any.
    pub(crate) fn item_pointer(&self) -> Option<&str> {
        self.item.and_then(|(len, _)| self.pointer.get(..len))
    }

    /// The `*` element's value, if any.
    pub(crate) fn item_value(&self) -> Option<&'v Json<'a>> {
        self.item.map(|(_, v)| v)
    }
}

/// Calls `visit` for every place a pattern names in `data` (`/members/*/name` over two members:
/// `/members/0/name` and `/members/1/name`), building the pointers in `buffer`
/// (cleared first), so that walking allocates nothing: this runs for every rule and condition of
/// every validation, as a citizen types.
pub(crate) fn each<'v, 'a>(
    pattern: &[String],
    data: &'v Json<'a>,
    buffer: &mut String,
    visit: &mut dyn FnMut(Place<'_, 'v, 'a>),
) {
    buffer.clear();
    walk(pattern, data, buffer, None, visit);
}

fn walk<'v, 'a>(
    rest: &[String],
    here: &'v Json<'a>,
    path: &mut String,
    item: Option<(usize, &'v Json<'a>)>,
    visit: &mut dyn FnMut(Place<'_, 'v, 'a>),
) {
    let Some((first, rest)) = rest.split_first() else {
        visit(Place {
            pointer: path,
            value: Some(here),
            item,
        });
        return;
    };
    let len = path.len();
    if first == "*" {
        if let Json::Array(items) = here {
            for (i, element) in items.iter().enumerate() {
                path.push('/');
                push_index(path, i);
                walk(rest, element, path, Some((path.len(), element)), visit);
                path.truncate(len);
            }
        }
        return;
    }
    path.push('/');
    path.push_str(&escape(first));
    match here.get(first) {
        Some(next) => walk(rest, next, path, item, visit),
        // The pattern's last segment may name a field that is absent: it is still a place.
        None if rest.is_empty() && here.is_object() => visit(Place {
            pointer: path,
            value: None,
            item,
        }),
        None => {}
    }
    path.truncate(len);
}

/// Appends an index without going through the formatting machinery.
fn push_index(path: &mut String, n: usize) {
    let mut unit = 1;
    while n / unit >= 10 {
        unit *= 10;
    }
    while unit > 0 {
        path.push(char::from(b'0' + u8::try_from(n / unit % 10).unwrap_or(0)));
        unit /= 10;
    }
}

/// Whether `path` is `prefix` or lies under it.
///
/// The byte after the prefix first, then the prefix by a byte loop: a rule asks this of every
/// violation found before it, for each place it judges and each pointer it reads, and most pairs
/// differ in length; on the phone `==` and `starts_with` are `memcmp`, a byte loop behind a call.
pub(crate) fn is_within(path: &str, prefix: &str) -> bool {
    let (p, q) = (path.as_bytes(), prefix.as_bytes());
    let boundary = match p.get(q.len()) {
        None => p.len() == q.len(),
        Some(&b) => b == b'/',
    };
    boundary && p.iter().zip(q).all(|(x, y)| x == y)
}

/// Whether `head` + `tail` (one pointer given in two parts, so it need not be built) is `prefix`
/// or lies under it.
pub(crate) fn is_within_joined(head: &str, tail: &str, prefix: &str) -> bool {
    let (h, t) = (head.as_bytes(), tail.as_bytes());
    let p = prefix.as_bytes();
    let len = h.len() + t.len();
    if len < p.len() {
        return false;
    }
    let at = |i: usize| {
        if i < h.len() {
            h.get(i)
        } else {
            t.get(i - h.len())
        }
    };
    (0..p.len()).all(|i| at(i) == p.get(i)) && (len == p.len() || at(p.len()) == Some(&b'/'))
}

/// The unescaped segments of a concrete pointer, without building a list.
fn split(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape)
}

/// One segment of a pointer as the key it stands for (`a~1b` → `a/b`).
fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The element or member `segment` names in `here`, to change it; with `create`, an absent
/// member of an object is added as an empty object.
fn step<'h, 'a>(here: &'h mut Json<'a>, segment: &str, create: bool) -> Option<&'h mut Json<'a>> {
    match here {
        Json::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        Json::Object(_) if create => here.entry(segment, || Json::Object(Vec::new())),
        Json::Object(_) => here.get_mut(segment),
        _ => None,
    }
}

/// The value at a concrete pointer, if any.
pub(crate) fn get<'v, 'a>(data: &'v Json<'a>, pointer: &str) -> Option<&'v Json<'a>> {
    split(pointer).try_fold(data, |here, segment| match here {
        Json::Array(items) => items.get(segment.parse::<usize>().ok()?),
        Json::Object(_) => here.get(&segment),
        _ => None,
    })
}

/// Sets the value at a concrete pointer, creating objects on the way; `false` when a step is not
/// an object or array. A member added at the end of the pointer is named by `name` (its last
/// segment, unescaped: a pattern's), borrowed rather than copied, when given: a computed value
/// is set into the form at every check, where it is absent, and each was a new string.
pub(crate) fn set<'a>(
    data: &mut Json<'a>,
    pointer: &str,
    name: Option<&'a str>,
    value: Json<'a>,
) -> bool {
    let Some((parents, last)) = pointer.rsplit_once('/') else {
        *data = value;
        return true;
    };
    let mut here = data;
    for segment in split(parents) {
        match step(here, &segment, true) {
            Some(next) => here = next,
            None => return false,
        }
    }
    let last = unescape(last);
    match here {
        Json::Object(_) => here
            .entry_named(&last, name.filter(|n| *n == last), || Json::Null)
            .map(|slot| *slot = value)
            .is_some(),
        Json::Array(_) => step(here, &last, false).map(|slot| *slot = value).is_some(),
        _ => false,
    }
}

/// Removes the value at a concrete pointer, if any.
pub(crate) fn remove(data: &mut Json<'_>, pointer: &str) {
    let Some((parents, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let mut here = data;
    for segment in split(parents) {
        match step(here, &segment, false) {
            Some(next) => here = next,
            None => return,
        }
    }
    here.remove(&unescape(last));
}

/// Whether `pattern` is [`pattern_of`]`(pointer)`, read without writing it, byte by byte.
pub(crate) fn is_pattern_of(pattern: &str, pointer: &str) -> bool {
    let (mut p, q) = (pattern.as_bytes(), pointer.as_bytes());
    // What precedes the first `/` is not a segment.
    let Some(start) = q.iter().position(|&b| b == b'/') else {
        return p.is_empty();
    };
    let mut q = q.get(start..).unwrap_or_default();
    while let Some((b'/', rest)) = q.split_first() {
        let end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        let (segment, after) = rest.split_at(end);
        let index = !segment.is_empty() && segment.iter().all(u8::is_ascii_digit);
        let segment: &[u8] = if index { b"*" } else { segment };
        match p.split_first() {
            Some((b'/', tail))
                if tail.len() >= segment.len() && tail.iter().zip(segment).all(|(a, b)| a == b) =>
            {
                p = tail.get(segment.len()..).unwrap_or_default();
            }
            _ => return false,
        }
        q = after;
    }
    p.is_empty()
}

/// Whether [`pattern_of`]`(pointer)` is not `pointer` itself: a segment is an index (all
/// digits), which it writes as `*`, or something precedes the first `/`, which it leaves out.
pub(crate) fn has_index(pointer: &str) -> bool {
    if pointer.as_bytes().first().is_some_and(|&b| b != b'/') {
        return true;
    }
    let mut digits = None;
    for &b in pointer.as_bytes() {
        digits = match (b, digits) {
            (b'/', Some(true)) => return true,
            (b'/', _) => Some(false),
            (_, None) => None,
            (b'0'..=b'9', Some(_)) => Some(true),
            _ => None,
        };
    }
    digits == Some(true)
}

/// The pattern form of a concrete pointer: array indices become `*`.
#[cfg(test)]
pub(crate) fn pattern_of(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for segment in pointer.split('/').skip(1) {
        out.push('/');
        // Escaped segments stay escaped: only whole-number segments change.
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push('*');
        } else {
            out.push_str(segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_expand_over_repeating_groups() {
        let value = json!({"members": [{"name": "A"}, {}]});
        let data = Json::borrow(&value);
        let mut got = Vec::new();
        each(
            &segments("/members/*/name"),
            &data,
            &mut String::new(),
            &mut |place| {
                got.push((
                    place.pointer.to_owned(),
                    place.item_pointer().map(str::to_owned),
                ))
            },
        );
        assert_eq!(
            got,
            [
                ("/members/0/name".to_owned(), Some("/members/0".to_owned())),
                ("/members/1/name".to_owned(), Some("/members/1".to_owned()))
            ]
        );
        assert_eq!(segments("/a~1b/0"), ["a/b", "0"]);
        assert_eq!(pattern_of("/members/1/name"), "/members/*/name");
        // Read without writing it, the same.
        let pointers = [
            "",
            "/",
            "//",
            "a",
            "a/0",
            "/0",
            "/members",
            "/members/1/name",
            "/members/12/name/",
            "/members/1x/name",
            "/a~1b/0",
            "/years/2020",
            "/members/0/1",
        ];
        let patterns = pointers
            .iter()
            .map(|p| pattern_of(p))
            .chain(["/members/*", "/members/*/nam", "/members/*/name/x", "/*/*"].map(String::from))
            .collect::<Vec<_>>();
        for pointer in pointers {
            assert_eq!(
                has_index(pointer),
                pattern_of(pointer) != pointer,
                "{pointer:?}"
            );
            for pattern in &patterns {
                assert_eq!(
                    is_pattern_of(pattern, pointer),
                    *pattern == pattern_of(pointer),
                    "{pattern:?} {pointer:?}"
                );
            }
        }
        assert!(is_within("/members/1/name", "/members/1"));
        assert!(!is_within("/members/10", "/members/1"));
    }

    /// `is_within`'s byte loops answer as the plain definition over every pair of a set of
    /// pointers that share beginnings, lengths and ends.
    #[test]
    fn is_within_answers_as_its_definition() {
        let pointers = [
            "",
            "/",
            "/a",
            "/b",
            "/ab",
            "/a/",
            "/a/b",
            "/a/bc",
            "/a/b/c",
            "/ab/c",
            "/members",
            "/members/1",
            "/members/10",
            "/members/1/name",
            "/members/1name",
            "/tên",
            "/tên/a",
            "/tê",
            "a",
            "a/b",
        ];
        let mut within = 0;
        for path in pointers {
            for prefix in pointers {
                let expected = path == prefix
                    || (path.starts_with(prefix)
                        && path.as_bytes().get(prefix.len()) == Some(&b'/'));
                assert_eq!(is_within(path, prefix), expected, "{path:?} {prefix:?}");
                within += usize::from(expected);
            }
        }
        assert!(within > pointers.len(), "{within}");
    }

    #[test]
    fn set_creates_objects_and_remove_deletes() {
        let mut data = Json::Object(Vec::new());
        assert!(set(&mut data, "/a/b", None, Json::from(true)));
        assert!(set(&mut data, "/a/c~1d", Some("c/d"), Json::from("x")));
        // A name that is not the pointer's last segment is not taken.
        assert!(set(&mut data, "/a/e", Some("f"), Json::from("y")));
        remove(&mut data, "/a/e");
        assert_eq!(data.to_value(), json!({"a": {"b": true, "c/d": "x"}}));
        assert_eq!(get(&data, "/a/c~1d"), Some(&Json::from("x")));
        assert_eq!(get(&data, "/a/x"), None);
        remove(&mut data, "/a/b");
        assert_eq!(data.to_value(), json!({"a": {"c/d": "x"}}));
        assert!(!set(&mut data, "/a/c~1d/e", None, Json::Null));
    }
}
