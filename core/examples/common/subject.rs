//! What the loops counted by `core/benches/form-instructions.sh` run: the largest demo form,
//! loaded, one of its samples (the first argument: `valid` or `invalid`) and how many checks
//! (env `N`, default 1,000).
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json indexing answers null, it never panics"
)]

#[path = "../../benches/largest_form.rs"]
mod largest_form;

use motcua_core::ops::LoadedForm;
use serde_json::Value;

pub struct Subject {
    pub form: LoadedForm,
    /// The sample's data and context.
    pub data: Value,
    pub context: Value,
    pub times: usize,
}

pub fn subject(default_kind: &str) -> Result<Subject, Box<dyn std::error::Error>> {
    let kind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| default_kind.to_owned());
    let times = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let (_, procedure) = largest_form::largest_form().ok_or("no procedure in the catalogue")?;
    let form = LoadedForm::load_json(&procedure["form"].to_string())?;
    let sample = procedure["samples"].get(&kind).ok_or("no such sample")?;
    Ok(Subject {
        form,
        data: sample["data"].clone(),
        context: sample["context"].clone(),
        times,
    })
}
