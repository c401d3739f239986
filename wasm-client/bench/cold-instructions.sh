#!/usr/bin/env bash
# What V8 does in a form's cold start (issue 18), counted in instructions by valgrind's callgrind
# on `node`: deterministic, where the wall-clock cold start on a shared 2-core machine moved
# between 14 and 23 ms for the same package within minutes. The bench's cold start
# (`form-vs-ajv.mjs cold-wasm`: the largest demo form loaded and checked once in a fresh
# process) runs on each package given, and the instructions are read off V8's own functions,
# inclusive of what they call:
#   module    creating the module (`new WebAssembly.Module`), of which `validate` is validating
#             every function body;
#   liftoff   compiling, at its first call, each function the load and the first check run;
#   run       running the module's code (every call into it, minus those compiles).
# Node runs `--single-threaded` so that validation is counted whole on one thread, and with
# TurboFan recompiles out of reach (`--wasm-tiering-budget`), which otherwise run beside the
# cold start on another thread at moments that vary from run to run. Even so, creating the module
# now and then counts some 3 M more (a collection of V8's heap falling inside it): each package
# runs three times and the least of each figure is printed. Millions of instructions.
# Usage: bash wasm-client/bench/cold-instructions.sh [PACKAGE_DIR…] (default: the form package,
# wasm-client/pkg/form/nodejs, then the full one, wasm-client/pkg/nodejs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
[ $# -gt 0 ] || set -- "$here/../pkg/form/nodejs" "$here/../pkg/nodejs"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for pkg in "$@"; do
  glue=$(cd "$pkg" && pwd)/motcua.js
  [ -f "$glue" ] || { echo "$pkg: no motcua.js (build the package: bash wasm-client/build.sh)" >&2; exit 1; }
  for run in 1 2 3; do
    # The bench's own cold start (`form-vs-ajv.mjs cold-wasm`), on this package.
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
      node --single-threaded --wasm-tiering-budget=1000000000 "$here/form-vs-ajv.mjs" cold-wasm "$glue" \
      >/dev/null 2>"$out/log" || { cat "$out/log" >&2; exit 1; }
    callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null >"$out/run$run"
  done
  cat "$out"/run1 "$out"/run2 "$out"/run3 | python3 -c '
import re, sys
wanted = {
    "module": r"WasmEngine::SyncCompile\(",
    "validate": r"wasm::ValidateFunctions\(v8::internal::wasm::WasmModule const\*, v8::internal::wasm::WasmFeatures",
    "liftoff": r"Runtime_WasmCompileLazy\(",
    "calls": r"Builtins_GenericJSToWasmWrapper \[",
}
got = {}
for line in sys.stdin:
    for key, pattern in wanted.items():
        if re.search(pattern, line):
            value = int(line.split()[0].replace(",", "")) / 1e6
            got[key] = min(got.get(key, value), value)
missing = [k for k in wanted if k not in got]
if missing:
    sys.exit("V8 functions not found in the profile: " + ", ".join(missing))
module, validate, liftoff = got["module"], got["validate"], got["liftoff"]
run = got["calls"] - liftoff
total = module + got["calls"]
print(f"{sys.argv[1]:<40} module {module:6.2f} (validate {validate:6.2f}) | liftoff {liftoff:6.2f} | run {run:5.2f} | total {total:6.2f} M instructions")
' "$pkg"
done
