//! Fuzzes the form engine (SECURITY.md F1): arbitrary bytes as a definition and data, split at the
//! first NUL; also arbitrary data against a real catalogue form. No panic, bounded time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::form::FormDefinition;
use serde_json::{Value, json};
use std::sync::OnceLock;

fn catalogue_form() -> &'static FormDefinition {
    static FORM: OnceLock<FormDefinition> = OnceLock::new();
    FORM.get_or_init(|| {
        let text = include_str!("../../catalog/procedures/2.000815.json");
        let v: Value = serde_json::from_str(text).expect("the catalogue entry is JSON");
        FormDefinition::load(&v["form"]).expect("the catalogue form loads")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let (head, tail) = match bytes.iter().position(|&b| b == 0) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[][..]),
    };
    let context = json!({"today": "2026-11-23", "channel": "ONLINE"});
    let data: Value = serde_json::from_slice(tail).unwrap_or(Value::Null);
    if let Ok(definition) = serde_json::from_slice::<Value>(head) {
        if let Ok(form) = FormDefinition::load(&definition) {
            let _ = form.validate(&data, &context);
        }
        let _ = catalogue_form().validate(&definition, &context);
    }
});
