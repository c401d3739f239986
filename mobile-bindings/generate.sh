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
# The core's own types come in their own module (motcua_core, from the core's `uniffi` feature),
# which the binding imports relatively: Python gets one package, `motcua`, that offers both.
py="$out/python/motcua"
mkdir -p "$py"
mv "$out/python/motcua.py" "$out/python/motcua_core.py" "$py/"
cp "$lib" "$py/"
cat > "$py/__init__.py" <<'PY'
"""motcua for Python: the binding's functions and records, and the core's own types."""
from .motcua_core import *  # noqa: F401,F403  (Status, Action, Role, Channel, IdKind, …)
from .motcua import *  # noqa: F401,F403
PY
test -s "$out/kotlin/uniffi/motcua/motcua.kt"
test -s "$out/kotlin/uniffi/motcua_core/motcua_core.kt"
test -s "$out/swift/motcua.swift"
test -s "$out/swift/motcuaFFI.h"
test -s "$out/swift/motcua_core.swift"
test -s "$py/motcua.py"
test -s "$py/motcua_core.py"
printf 'UniFFI bindings generated: kotlin (%s lines), swift (%s lines), python (%s lines)\n' \
  "$(wc -l < "$out/kotlin/uniffi/motcua/motcua.kt")" "$(wc -l < "$out/swift/motcua.swift")" \
  "$(cat "$py/motcua.py" "$py/motcua_core.py" | wc -l)"
