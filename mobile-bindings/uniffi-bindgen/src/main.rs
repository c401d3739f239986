//! `uniffi-bindgen`, pinned to the UniFFI version of `motcua-mobile` (the two must match exactly).

fn main() {
    uniffi::uniffi_bindgen_main();
}
