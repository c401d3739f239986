//! Validates the largest demo form's sample `N` times (env `N`, default 1,000) from JSON text to
//! JSON text (`LoadedForm::validate_json`, which earlier commits offer too, so that a BASE runs the
//! same loop; the package's `validate_json_parts` makes the same check and writes less): the
//! subject of `core/benches/form-instructions.sh`, which counts the instructions one validation
//! takes.
//!
//! Usage: `cargo run --release -p motcua-core --example form_loop -- [valid|invalid]`
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json indexing answers null, it never panics"
)]

#[path = "../benches/largest_form.rs"]
mod largest_form;

use std::hint::black_box;

use motcua_core::ops::LoadedForm;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "valid".to_owned());
    let times: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let (_, procedure) = largest_form::largest_form().ok_or("no procedure in the catalogue")?;
    let form = LoadedForm::load_json(&procedure["form"].to_string())?;
    let data = procedure["samples"][&kind]["data"].to_string();
    let context = procedure["samples"][&kind]["context"].to_string();
    for _ in 0..times {
        black_box(form.validate_json(black_box(&data), Some(&context))?);
    }
    Ok(())
}
