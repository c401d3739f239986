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

#[cfg(test)]
mod tests {
    use super::*;

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
