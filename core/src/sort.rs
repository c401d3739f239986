//! Sorting through one instantiation of the standard library's sort for the whole core.
//!
//! The standard stable sort is about four kilobytes of WebAssembly for every element type and
//! comparison it is used with; the core sorted some twenty kinds of lists (calendar days, fee
//! versions, schema properties, a form's members…), which came to a tenth of the wasm package,
//! whose budget is 300 KB gzipped. Here the standard sort orders indices, once for every caller,
//! and the list is put in that order. Stable, O(n log n), as the standard sort is. Lists sorted
//! at every keystroke (`form::memo`, a few dozen members at most) use an insertion sort that
//! needs no allocation, up to a length past which the shared sort takes over.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub(crate) fn by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = indices(v.len(), &|a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    let mut taken: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .into_iter()
            .filter_map(|i| taken.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `v` stably by a key.
pub(crate) fn by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` in the order `cmp` gives them, stably: the one instantiation.
fn indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Lists at most this long are sorted by insertion, each element's place found by halving.
/// The largest demo form's definition has 47 field hints, read (and sorted) as a form loads: the
/// shared sort was 4 KB of WebAssembly that a form's cold start compiled for them. With the
/// place found by stepping back (a comparison of keys with long common beginnings for each
/// element passed), sorting them ran long enough that the engine compiled the loop again,
/// optimised, while the load ran, which took 2–4 ms longer.
const SMALL: usize = 64;

/// Sorts a list that is usually short (a form's top-level members) stably by `cmp`, without
/// allocating when it is.
///
/// Never inlined: V8 compiles a WebAssembly function again, optimised, once the work done in it
/// passes a budget, counted at each return by the size of the code before it. Inlined into
/// `json::sorted`, which runs for every object of a definition as a form loads (mostly to find
/// it sorted already), this made that function large enough to be compiled again during the
/// load, on the other core.
#[inline(never)]
pub(crate) fn small_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() > SMALL {
        return by(v, cmp);
    }
    for i in 1..v.len() {
        let Some((sorted, [x, ..])) = v.split_at_checked(i) else {
            break;
        };
        // In order already (a list sorted at every keystroke mostly is): one comparison.
        if sorted
            .last()
            .is_none_or(|last| cmp(last, x) != Ordering::Greater)
        {
            continue;
        }
        // Its place, after those equal to it, then moved there at once: swapping it down step
        // by step moved every element it passed three times.
        let j = sorted.partition_point(|a| cmp(a, x) != Ordering::Greater);
        if let Some(moved) = v.get_mut(j..=i) {
            moved.rotate_right(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sorts order as the standard stable sort, keeping equal elements in their order, on
    /// short and long lists.
    #[test]
    fn sorts_as_the_standard_stable_sort() {
        let mut seed = 17_u64;
        for len in [0, 1, 2, 5, 31, 32, 33, 63, 64, 65, 200] {
            let list: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (u8::try_from(seed >> 60).unwrap_or(0), i)
                })
                .collect();
            let mut expected = list.clone();
            expected.sort_by_key(|e| e.0);
            let mut shared = list.clone();
            by_key(&mut shared, |e| e.0);
            assert_eq!(shared, expected, "{len}");
            let mut small = list;
            small_by(&mut small, |a, b| a.0.cmp(&b.0));
            assert_eq!(small, expected, "{len}");
        }
    }
}
