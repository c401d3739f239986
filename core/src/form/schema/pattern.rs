//! Patterns: regex-lite for the general case, and a direct matcher for the shape most form patterns
//! have — anchored character classes with counts (`^[0-9]{5}$`, `^[A-Z][0-9]{7}$`,
//! `^Hộ kinh doanh [^ ].*$`) — which is an order of magnitude faster than a regex VM on the phone
//! and allocates nothing. Both are checked against the
//! `jsonschema` crate by the differential tests.

/// A compiled `pattern`.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// `^` (class or literal, with a count)* `$`.
    Simple(Vec<Segment>),
    /// Anything else.
    Regex(regex_lite::Regex),
}

/// One character class repeated between `min` and `max` times.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    ranges: Vec<(char, char)>,
    /// `[^…]` and `.` (which is `[^\n]`): the class is every character outside the ranges.
    negated: bool,
    min: usize,
    max: usize,
}

impl Segment {
    fn accepts(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

impl Pattern {
    /// Compiles a pattern.
    ///
    /// # Errors
    /// The regex parser's message when the pattern is not a valid regex.
    pub(crate) fn new(source: &str) -> Result<Self, String> {
        // The simple shape is a strict subset of regex syntax (each piece is a class or a letter
        // with a bounded count, checked as it is parsed), so a pattern of that shape needs no
        // regex at all: on a phone, building one is most of the first check's time.
        if let Some(segments) = simple(source) {
            return Ok(Self::Simple(segments));
        }
        regex_lite::Regex::new(source)
            .map(Self::Regex)
            .map_err(|e| e.to_string())
    }

    /// Whether the pattern matches somewhere in `s` (JSON Schema patterns are not implicitly
    /// anchored; the simple shape is anchored explicitly).
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            Self::Regex(r) => r.is_match(s),
            Self::Simple(segments) => matches_from(segments, s),
        }
    }
}

/// Whether `segments` match exactly the whole of `s` (greedy with backtracking, so the result is
/// the regex's for any sequence of classes).
fn matches_from(segments: &[Segment], s: &str) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return s.is_empty();
    };
    let mut count = 0;
    let mut end = 0;
    for (at, c) in s.char_indices() {
        if count == first.max || !first.accepts(c) {
            break;
        }
        count += 1;
        end = at + c.len_utf8();
    }
    loop {
        if count < first.min {
            return false;
        }
        if s.get(end..).is_some_and(|tail| matches_from(rest, tail)) {
            return true;
        }
        // Give back one character and try the rest again.
        match s
            .get(..end)
            .and_then(|head| head.char_indices().next_back())
        {
            Some((at, _)) if count > first.min => {
                end = at;
                count -= 1;
            }
            _ => return false,
        }
    }
}

/// Parses `^…$` made of literal characters, `.` and `[…]` or `[^…]` classes (ranges and single
/// characters, no escapes), each optionally followed by `{n}`, `{m,n}`, `?`, `*` or `+`.
fn simple(source: &str) -> Option<Vec<Segment>> {
    let body = source.strip_prefix('^')?.strip_suffix('$')?;
    let chars: Vec<char> = body.chars().collect();
    let mut segments = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let (ranges, negated) = match c {
            '[' => {
                let end = i + chars.get(i..)?.iter().position(|&x| x == ']')?;
                let mut class = chars.get(i + 1..end)?;
                let negated = class.first() == Some(&'^');
                if negated {
                    class = class.get(1..)?;
                }
                if class.is_empty() {
                    return None;
                }
                let mut ranges = Vec::new();
                let mut j = 0;
                while let Some(&lo) = class.get(j) {
                    if matches!(lo, '\\' | '[' | '&' | '~' | '-') {
                        return None;
                    }
                    if class.get(j + 1) == Some(&'-') && class.get(j + 2).is_some() {
                        let hi = *class.get(j + 2)?;
                        if matches!(hi, '\\' | '[' | '&' | '~' | '-') || hi < lo {
                            return None;
                        }
                        ranges.push((lo, hi));
                        j += 3;
                    } else {
                        ranges.push((lo, lo));
                        j += 1;
                    }
                }
                i = end + 1;
                (ranges, negated)
            }
            '.' => {
                i += 1;
                (vec![('\n', '\n')], true)
            }
            c if c.is_alphanumeric() || c == ' ' => {
                i += 1;
                (vec![(c, c)], false)
            }
            _ => return None,
        };
        let (min, max) = match chars.get(i) {
            Some('?') => {
                i += 1;
                (0, 1)
            }
            Some('*') => {
                i += 1;
                (0, usize::MAX)
            }
            Some('+') => {
                i += 1;
                (1, usize::MAX)
            }
            Some('{') => {
                let end = i + chars.get(i..)?.iter().position(|&x| x == '}')?;
                let inner: String = chars.get(i + 1..end)?.iter().collect();
                i = end + 1;
                match inner.split_once(',') {
                    None => {
                        let n = inner.parse().ok()?;
                        (n, n)
                    }
                    Some((lo, hi)) => (
                        lo.parse().ok()?,
                        if hi.is_empty() {
                            usize::MAX
                        } else {
                            hi.parse().ok()?
                        },
                    ),
                }
            }
            _ => (1, 1),
        };
        // Counts a regex engine would refuse as too large are left to it to refuse.
        if min > max || (max != usize::MAX && max > 1000) || min > 1000 {
            return None;
        }
        segments.push(Segment {
            ranges,
            negated,
            min,
            max,
        });
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_shapes_take_the_fast_path_and_match_like_a_regex() {
        for (source, yes, no) in [
            ("^[0-9]{5}$", "70000", "7000a"),
            ("^[A-Z][0-9]{7}$", "B1234567", "b1234567"),
            ("^[A-Z0-9]{6,12}$", "AB12CD", "AB1"),
            ("^[0-9]*[0-9]$", "123", ""),
            ("^a?b+$", "bbb", "a"),
            ("^[0-9]{2,}$", "12345", "1"),
            (
                "^Hộ kinh doanh [^ ].*$",
                "Hộ kinh doanh Tạp hóa",
                "Hộ kinh doanh  Tạp hóa",
            ),
            ("^[^0-9]+$", "Tạp hóa", "Tạp hóa 2"),
            ("^a.c$", "aộc", "a\nc"),
            ("^.*b$", "aaab", "aaa"),
        ] {
            let p = Pattern::new(source).unwrap();
            assert!(matches!(p, Pattern::Simple(_)), "{source}");
            // The regex engine accepts every pattern of the simple shape.
            let r = regex_lite::Regex::new(source).unwrap();
            assert_eq!(p.is_match(yes), r.is_match(yes), "{source} {yes}");
            assert_eq!(p.is_match(no), r.is_match(no), "{source} {no}");
            assert!(p.is_match(yes) && !p.is_match(no), "{source}");
        }
    }

    #[test]
    fn other_shapes_use_the_regex_engine() {
        for source in [
            "[0-9]",
            "^([0-9]{9}|[0-9]{12})$",
            "^\\d+$",
            "^[^a-]$",
            "^[a-]$",
        ] {
            assert!(
                matches!(Pattern::new(source).unwrap(), Pattern::Regex(_)),
                "{source}"
            );
        }
        assert!(Pattern::new("([0-9]").is_err());
        // Whatever shape a pattern has, it is accepted exactly when the regex engine accepts it.
        for source in [
            "^[!-[]$",
            "^[a-z]{2,1}$",
            "^[0-9]{1001}$",
            "^[z-a]$",
            "^[[:alpha:]]$",
            "^a{,3}$",
            "^[]a]$",
            "^[a]]$",
            "^ộ+ $",
        ] {
            assert_eq!(
                Pattern::new(source).is_ok(),
                regex_lite::Regex::new(source).is_ok(),
                "{source}"
            );
        }
    }
}
