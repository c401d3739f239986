//! Rebuilds the binary when the catalogue changes: `catalog/` is built into it (the seed used when
//! `motcua serve` runs outside the checkout), and the macro that reads it is not tracked by Cargo.

fn main() {
    println!("cargo:rerun-if-changed=../catalog");
}
