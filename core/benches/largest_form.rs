//! The catalogue's largest demo form (by leaf fields, `$ref`s followed), shared by the criterion
//! benchmarks and `examples/form_loop.rs` so that both measure the same form.

use serde_json::Value;

fn leaf_fields(schema: &Value, defs: &Value) -> usize {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return defs
            .get(r.trim_start_matches("#/$defs/"))
            .map_or(1, |d| leaf_fields(d, defs));
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        return props.values().map(|p| leaf_fields(p, defs)).sum();
    }
    if let Some(items) = schema.get("items") {
        return leaf_fields(items, defs);
    }
    1
}

/// The procedure (its whole JSON) with the most leaf fields, and that count.
pub fn largest_form() -> Option<(usize, Value)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    let mut largest: Option<(usize, Value)> = None;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let Some(value) = std::fs::read_to_string(entry.path())
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        else {
            continue;
        };
        let Some(schema) = value.get("form").and_then(|f| f.get("schema")) else {
            continue;
        };
        let fields = leaf_fields(schema, schema.get("$defs").unwrap_or(&Value::Null));
        if largest.as_ref().is_none_or(|(n, _)| fields > *n) {
            largest = Some((fields, value));
        }
    }
    largest
}
