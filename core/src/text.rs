//! Vietnamese text for search: folding away case and diacritics, so that "ho chieu", "Hộ chiếu"
//! and "HỘ CHIẾU" all find "hộ chiếu" — on the server and in an offline catalogue on a phone.

/// The base letter of a Vietnamese letter with diacritics (`ộ` → `o`, `Đ` → `d`), lower-cased.
fn base(c: char) -> char {
    const GROUPS: [(&str, char); 12] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'e'),
        ("ÌÍỈĨỊ", 'i'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o'),
        ("ÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ", 'u'),
    ];
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // The last group mixes U, Y and Đ: map those two explicitly.
    match c {
        'Ỳ' | 'Ý' | 'Ỷ' | 'Ỹ' | 'Ỵ' => return 'y',
        'Đ' => return 'd',
        _ => {}
    }
    GROUPS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map_or_else(|| c.to_lowercase().next().unwrap_or(c), |&(_, b)| b)
}

/// Folds text for search: lower case, no diacritics, runs of white space as one space, trimmed.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        // Combining marks (text typed in decomposed form) carry only diacritics.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        out.push(base(c));
    }
    out
}

/// Whether `hay` contains `needle`, as `str::contains` answers (`in` on texts, an e-mail's
/// domain). The short needles of forms (a code, a word, `..`) are looked for where their first
/// byte is (`memchr`, which the JSON reader already uses); longer ones take the standard
/// library's two-way search, linear whatever the text, which is 2.4 KB of WebAssembly that a
/// form's first check compiled. `memchr::memmem` for every needle was measured too: 7 KB more
/// module, and natively 1.2 % more instructions for a form's check.
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    const SHORT: usize = 16;
    if needle.len() > SHORT {
        return hay.contains(needle);
    }
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    memchr::memchr_iter(first, hay).any(|at| {
        hay.get(at + 1..)
            .is_some_and(|after| after.starts_with(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `contains` answers as `str::contains`, for needles short (looked for where their first byte is)
    /// and long (the two-way search), empty, longer than the text, and not ASCII.
    #[test]
    fn contains_answers_as_str_contains() {
        let hay = "Thành phố Hồ Chí Minh, Việt Nam; Thành phố Hà Nội";
        let long = "Thành phố Hồ Chí Minh, Việt Nam";
        for needle in [
            "",
            "T",
            "Nam",
            "Hồ Chí",
            "ồ",
            "Nội",
            "Nội!",
            "nội",
            "..",
            "x",
            ";",
            long,
            "Việt Nam; Thành phố Hà Nội!",
            hay,
        ] {
            assert_eq!(contains(hay, needle), hay.contains(needle), "{needle}");
            assert_eq!(contains(needle, hay), needle.contains(hay), "{needle}");
        }
        assert!(long.len() > 16);
    }

    #[test]
    fn diacritics_and_case_fold_away() {
        assert_eq!(fold("HỘ CHIẾU"), "ho chieu");
        assert_eq!(fold("  Hộ   chiếu "), "ho chieu");
        assert_eq!(fold("Đăng ký thường trú"), "dang ky thuong tru");
        assert_eq!(fold("ĐỨC Ỷ"), "duc y");
        // Decomposed input: o + combining circumflex + combining dot below.
        assert_eq!(fold("ho\u{302}\u{323} chie\u{302}\u{301}u"), "ho chieu");
    }
}
