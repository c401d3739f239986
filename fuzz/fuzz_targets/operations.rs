//! Fuzzes the operation dispatcher (what the wasm and mobile bindings expose) with arbitrary JSON
//! text for every operation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::ops;

fuzz_target!(|s: &str| {
    for op in ops::OPERATIONS {
        let _ = ops::run_json(op, s);
    }
});
