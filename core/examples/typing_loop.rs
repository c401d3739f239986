//! A citizen typing into the largest demo form, checked `N` times (env `N`, default 1,000) the
//! way the phone checks it: each text one field a letter longer or shorter than the last (every
//! text field of the sample in turn, eight keystrokes each, as `wasm-client/bench/form-vs-ajv.mjs`
//! types), each checked since the last with a memo (`LoadedForm::validate_json_parts_since`),
//! the last answer's violations given back as the package gives them. The subject of
//! `core/benches/form-instructions.sh`, which counts the instructions one keystroke's check takes.
//!
//! Usage: `cargo run --release -p motcua-core --example typing_loop -- [valid|invalid]`
#[path = "common/subject.rs"]
mod common;

use std::hint::black_box;

use motcua_core::form::Violation;
use serde_json::Value;

/// The pointers of the strings of at least eight characters in `value`.
fn strings(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s.chars().count() >= 8 => out.push(pointer.to_owned()),
        Value::Object(members) => {
            for (k, v) in members {
                strings(v, &format!("{pointer}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                strings(v, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Subject {
        form,
        data,
        context,
        times,
    } = common::subject("invalid")?;
    let context = context.to_string();
    let mut pointers = Vec::new();
    strings(&data, "", &mut pointers);
    let mut texts = Vec::new();
    for pointer in &pointers {
        for i in 0..8 {
            let mut typed = data.clone();
            if let Some(Value::String(s)) = typed.pointer_mut(pointer) {
                *s = s.chars().take(s.chars().count() - 7 + i).collect();
            }
            texts.push(typed.to_string());
        }
    }
    let mut memo = form.memo();
    let mut last: Vec<Violation> = Vec::new();
    for text in texts.iter().cycle().take(times) {
        let parts =
            form.validate_json_parts_since(&mut memo, black_box(text), Some(&context), &mut last)?;
        black_box(&parts);
        if !parts.same {
            last = parts.violations;
        }
    }
    Ok(())
}
