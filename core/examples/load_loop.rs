//! Loads the largest demo form's definition `N` times (env `N`, default 1,000) and makes one
//! first check of each (`check` as the first argument): what a form's cold start runs besides
//! creating the module, counted by `core/benches/form-instructions.sh`.
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json indexing answers null, it never panics"
)]
#[path = "../benches/largest_form.rs"]
mod largest_form;

use std::hint::black_box;

use motcua_core::ops::LoadedForm;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let times: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let check = std::env::args().nth(1).as_deref() == Some("check");
    let (_, procedure) = largest_form::largest_form().ok_or("no procedure in the catalogue")?;
    let definition = procedure["form"].to_string();
    let data = procedure["samples"]["valid"]["data"].to_string();
    let context = procedure["samples"]["valid"]["context"].to_string();
    for _ in 0..times {
        let form = LoadedForm::load_json(black_box(&definition))?;
        if check {
            black_box(form.validate_json_parts(black_box(&data), Some(&context))?);
        }
    }
    Ok(())
}
