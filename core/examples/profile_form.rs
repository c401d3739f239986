//! Runs the largest catalogue form's validation in a loop, for profilers (`perf record`).
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a profiling harness"
)]

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "catalog/procedures/1.001612.json".to_owned());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let p = motcua_core::catalog::Procedure::load(&v).unwrap();
    let data = p.samples["valid"]["data"].clone();
    let ctx = p.samples["valid"]["context"].clone();
    let mut n = 0;
    for _ in 0..200_000 {
        n += p
            .form
            .validate(std::hint::black_box(&data), &ctx)
            .violations
            .len();
    }
    println!("{n}");
}
