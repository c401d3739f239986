//! Validates the largest demo form's sample `N` times (env `N`, default 1,000) through the phones'
//! path (`LoadedForm::validate_json_apart`: JSON text in, answer text out): the subject of
//! `core/benches/form-instructions.sh`, which counts the instructions one validation takes.
//!
//! Usage: `cargo run --release -p motcua-core --example form_loop -- [valid|invalid]`
#![expect(
    clippy::indexing_slicing,
    reason = "serde_json indexing answers null, it never panics"
)]

use std::hint::black_box;
use std::path::PathBuf;

use motcua_core::ops::LoadedForm;
use serde_json::Value;

/// The number of leaf fields of a schema (`$ref`s followed), to find the largest form.
fn leaf_fields(schema: &Value, defs: &Value) -> usize {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        return leaf_fields(&defs[name], defs);
    }
    if let Some(properties) = schema["properties"].as_object() {
        return properties.values().map(|p| leaf_fields(p, defs)).sum();
    }
    if !schema["items"].is_null() {
        return leaf_fields(&schema["items"], defs);
    }
    1
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "valid".to_owned());
    let times: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    let mut largest: Option<(usize, Value)> = None;
    for entry in std::fs::read_dir(dir)? {
        let procedure: Value = serde_json::from_str(&std::fs::read_to_string(entry?.path())?)?;
        let schema = &procedure["form"]["schema"];
        let fields = leaf_fields(schema, &schema["$defs"]);
        if largest.as_ref().is_none_or(|(n, _)| fields > *n) {
            largest = Some((fields, procedure));
        }
    }
    let (_, procedure) = largest.ok_or("no procedure in the catalogue")?;
    let form = LoadedForm::load_json(&procedure["form"].to_string())?;
    let data = procedure["samples"][&kind]["data"].to_string();
    let context = procedure["samples"][&kind]["context"].to_string();
    for _ in 0..times {
        black_box(form.validate_json_apart(black_box(&data), Some(&context), &mut |_, _| {})?);
    }
    Ok(())
}
