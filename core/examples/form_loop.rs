//! Validates the largest demo form's sample `N` times (env `N`, default 1,000) from JSON text to
//! JSON text (`LoadedForm::validate_json`, which earlier commits offer too, so that a BASE runs the
//! same loop; the package's `validate_json_parts` makes the same check and writes less): the
//! subject of `core/benches/form-instructions.sh`, which counts the instructions one validation
//! takes.
//!
//! Usage: `cargo run --release -p motcua-core --example form_loop -- [valid|invalid]`
#[path = "common/subject.rs"]
mod common;

use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let common::Subject {
        form,
        data,
        context,
        times,
    } = common::subject("valid")?;
    let (data, context) = (data.to_string(), context.to_string());
    for _ in 0..times {
        black_box(form.validate_json(black_box(&data), Some(&context))?);
    }
    Ok(())
}
