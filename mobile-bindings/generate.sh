#!/usr/bin/env bash
# Generates the Kotlin, Swift and Python bindings from the built library (UniFFI library mode) and
# puts the library beside the Python module so run_vectors.py can load it. Run after
# `cargo build --workspace`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
lib=target/debug/libmotcua_mobile.so
out=mobile-bindings/generated
rm -rf "$out"
for lang in kotlin swift python; do
  ./target/debug/uniffi-bindgen generate --no-format --library "$lib" --language "$lang" \
    --out-dir "$out/$lang" >/dev/null
done
cp "$lib" "$out/python/"
test -s "$out/kotlin/uniffi/motcua/motcua.kt"
test -s "$out/swift/motcua.swift"
test -s "$out/swift/motcuaFFI.h"
test -s "$out/python/motcua.py"
printf 'UniFFI bindings generated: kotlin (%s lines), swift (%s lines), python (%s lines)\n' \
  "$(wc -l < "$out/kotlin/uniffi/motcua/motcua.kt")" "$(wc -l < "$out/swift/motcua.swift")" \
  "$(wc -l < "$out/python/motcua.py")"
