//! An amount of money in Vietnamese words, as a receipt (biên lai) writes it under the figures:
//! `1.205.000` → "Một triệu hai trăm linh năm nghìn đồng".
//!
//! The readings follow the usual written standard: `mười` for ten and `mươi` after two to nine,
//! `mốt` for a one after twenty, `lăm` for a five after ten, `linh` for a zero ten with a unit,
//! `không trăm` inside a number, and the groups `nghìn`, `triệu`, `tỷ` (then `nghìn tỷ`, …).

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// The words of a group of three digits; `full` when a group stands before it, so that its
/// hundreds and a zero ten are read out (`không trăm linh năm`).
fn group(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let digit = |d: u64| {
        usize::try_from(d)
            .ok()
            .and_then(|i| DIGITS.get(i))
            .copied()
            .unwrap_or("")
    };
    if h > 0 || full {
        out.extend([digit(h), "trăm"]);
    }
    match t {
        0 if u > 0 && (h > 0 || full) => out.push("linh"),
        0 => {}
        1 => out.push("mười"),
        _ => out.extend([digit(t), "mươi"]),
    }
    match u {
        0 => {}
        1 if t >= 2 => out.push("mốt"),
        5 if t >= 1 => out.push("lăm"),
        _ => out.push(digit(u)),
    }
}

/// The scale word of the `i`-th group of three from the right.
fn scale(i: usize, out: &mut Vec<&'static str>) {
    // 10^9 is "tỷ"; above it the scales repeat before "tỷ" (nghìn tỷ, triệu tỷ, tỷ tỷ).
    let (inner, billions) = (i % 3, i / 3);
    match inner {
        1 => out.push("nghìn"),
        2 => out.push("triệu"),
        _ => {}
    }
    for _ in 0..billions {
        out.push("tỷ");
    }
}

/// The amount in words, capitalised, without the currency (`Mười nghìn`); a negative amount
/// starts with `Âm`.
#[must_use]
pub fn number(amount: i64) -> String {
    let mut words: Vec<&'static str> = Vec::new();
    if amount < 0 {
        words.push("âm");
    }
    let mut n = amount.unsigned_abs();
    if n == 0 {
        words.push("không");
    } else {
        let mut groups = Vec::new();
        while n > 0 {
            groups.push(n % 1000);
            n /= 1000;
        }
        let top = groups.len() - 1;
        for (i, &g) in groups.iter().enumerate().rev() {
            if g == 0 {
                continue;
            }
            group(g, i < top, &mut words);
            scale(i, &mut words);
        }
    }
    let text = words.join(" ");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The amount in words with the currency, as a receipt writes it: `Mười nghìn đồng`.
#[must_use]
pub fn vnd(amount: i64) -> String {
    format!("{} đồng", number(amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_receipt() {
        for (n, words) in [
            (0, "Không"),
            (5, "Năm"),
            (10, "Mười"),
            (15, "Mười lăm"),
            (21, "Hai mươi mốt"),
            (25, "Hai mươi lăm"),
            (105, "Một trăm linh năm"),
            (110, "Một trăm mười"),
            (1_000, "Một nghìn"),
            (1_005, "Một nghìn không trăm linh năm"),
            (10_000, "Mười nghìn"),
            (135_000, "Một trăm ba mươi lăm nghìn"),
            (1_000_000, "Một triệu"),
            (1_205_000, "Một triệu hai trăm linh năm nghìn"),
            (2_000_001, "Hai triệu không trăm linh một"),
            (1_000_000_000, "Một tỷ"),
            (1_000_000_000_000, "Một nghìn tỷ"),
            (-10_000, "Âm mười nghìn"),
        ] {
            assert_eq!(number(n), words, "{n}");
        }
        assert_eq!(vnd(4_000), "Bốn nghìn đồng");
        assert!(number(i64::MIN).starts_with("Âm chín tỷ tỷ"));
    }
}
