//! JSON Pointers with `*` for "every element of a repeating group".

use serde_json::Value;

/// Splits a pointer into unescaped segments (`/a~1b/0` → `["a/b", "0"]`).
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Escapes a key for a JSON Pointer; most keys need nothing and are not copied.
pub(crate) fn escape(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains(['~', '/']) {
        std::borrow::Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(key)
    }
}

/// The array element the last `*` of a pattern stood for: its pointer and its value.
pub(crate) type Item<'v> = Option<(String, &'v Value)>;

/// Every concrete pointer a pattern names in `data`, with the array element the last `*` stood for.
/// `/members/*/name` over two members gives `/members/0/name` and `/members/1/name`.
pub(crate) fn expand<'v>(pattern: &[String], data: &'v Value) -> Vec<(String, Item<'v>)> {
    let mut out = Vec::new();
    let mut buffer = String::with_capacity(64);
    walk(pattern, data, &mut buffer, None, &mut out);
    out
}

/// Walks the pattern, building pointers in one reused buffer (this runs for every rule and
/// condition of every validation).
fn walk<'v>(
    rest: &[String],
    here: &'v Value,
    path: &mut String,
    item: Item<'v>,
    out: &mut Vec<(String, Item<'v>)>,
) {
    let Some((first, rest)) = rest.split_first() else {
        out.push((path.clone(), item));
        return;
    };
    let len = path.len();
    if first == "*" {
        if let Value::Array(items) = here {
            for (i, element) in items.iter().enumerate() {
                path.push('/');
                path.push_str(itoa(i).as_str());
                let element_item = Some((path.clone(), element));
                if rest.is_empty() {
                    out.push((path.clone(), element_item));
                } else {
                    walk(rest, element, path, element_item, out);
                }
                path.truncate(len);
            }
        }
        return;
    }
    path.push('/');
    path.push_str(&escape(first));
    match here.get(first.as_str()) {
        Some(next) => walk(rest, next, path, item, out),
        // The pattern's last segment may name a field that is absent: it is still a place.
        None if rest.is_empty() && here.is_object() => out.push((path.clone(), item)),
        None => {}
    }
    path.truncate(len);
}

/// An index as text without going through the formatting machinery.
fn itoa(mut n: usize) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)));
        n /= 10;
    }
    digits.iter().rev().collect()
}

/// Whether `path` is `prefix` or lies under it.
pub(crate) fn is_within(path: &str, prefix: &str) -> bool {
    path == prefix || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// The value at a concrete pointer.
pub(crate) fn get<'v>(data: &'v Value, pointer: &str) -> Option<&'v Value> {
    data.pointer(pointer)
}

/// Sets the value at a concrete pointer, creating objects on the way; `false` when a step is not
/// an object or array.
pub(crate) fn set(data: &mut Value, pointer: &str, value: Value) -> bool {
    let segs = segments(pointer);
    let Some((last, parents)) = segs.split_last() else {
        *data = value;
        return true;
    };
    let mut here = data;
    for seg in parents {
        here = match here {
            Value::Object(map) => map
                .entry(seg.clone())
                .or_insert_with(|| Value::Object(serde_json::Map::new())),
            Value::Array(items) => match seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match here {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            true
        }
        Value::Array(items) => match last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Removes the value at a concrete pointer, if any.
pub(crate) fn remove(data: &mut Value, pointer: &str) {
    let segs = segments(pointer);
    let Some((last, parents)) = segs.split_last() else {
        return;
    };
    let mut here = data;
    for seg in parents {
        let next = match here {
            Value::Object(map) => map.get_mut(seg.as_str()),
            Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match next {
            Some(v) => here = v,
            None => return,
        }
    }
    if let Value::Object(map) = here {
        map.remove(last.as_str());
    }
}

/// The pattern form of a concrete pointer: array indices become `*`.
pub(crate) fn pattern_of(pointer: &str) -> String {
    segments(pointer)
        .iter()
        .map(|s| {
            if s.parse::<usize>().is_ok() {
                "*".to_owned()
            } else {
                escape(s).into_owned()
            }
        })
        .fold(String::new(), |acc, s| format!("{acc}/{s}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_expand_over_repeating_groups() {
        let data = json!({"members": [{"name": "A"}, {}]});
        let got: Vec<String> = expand(&segments("/members/*/name"), &data)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(got, ["/members/0/name", "/members/1/name"]);
        assert_eq!(pattern_of("/members/1/name"), "/members/*/name");
        assert!(is_within("/members/1/name", "/members/1"));
        assert!(!is_within("/members/10", "/members/1"));
    }

    #[test]
    fn set_creates_objects_and_remove_deletes() {
        let mut data = json!({});
        assert!(set(&mut data, "/a/b", json!(1)));
        assert_eq!(data, json!({"a": {"b": 1}}));
        remove(&mut data, "/a/b");
        assert_eq!(data, json!({"a": {}}));
    }
}
