#!/usr/bin/env bash
# Builds the npm package into wasm-client/pkg: the wasm32 build of motcua-wasm, wasm-bindgen (the
# pinned CLI) for bundlers, browsers without a bundler, and Node.js, then wasm-opt -Oz from the npm
# package `binaryen` (Debian's is too old: its output does not load in Node). Prints the sizes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

WASM_BINDGEN_VERSION=0.2.130
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  echo "wasm-bindgen $WASM_BINDGEN_VERSION is missing: run tests/run.sh, which installs it" >&2
  exit 1
fi
(cd "$here" && npm ci --no-audit --no-fund --silent)

# Builds one package of the crate into $2: its wasm32 build with cargo arguments $1 (the full
# package, or the form package without the `operations` feature: src/lib.rs says why), then the
# steps below for each target.
build_package() {
  local features=$1 pkg=$2
  # The core is built at `opt-level = 2` (Cargo.toml); LLVM's inlining held back keeps most of that
  # speed for far less size (the flag only matters to the crates not optimised for size).
  RUSTFLAGS="${RUSTFLAGS:-} -C llvm-args=-inline-threshold=40" \
    cargo build -p motcua-wasm --target wasm32-unknown-unknown --profile wasm-release --locked ${features:+"$features"}
  local input=target/wasm32-unknown-unknown/wasm-release/motcua_wasm.wasm
  rm -rf "$pkg"
  mkdir -p "$pkg"
  # Exports that return one value, so that V8 needs no TurboFan-compiled wrapper per export
  # signature when it creates the module (see single-value.mjs: about 0.75 ms of a cold start).
  local single="${input%.wasm}.single-value.wasm"
  node "$here/single-value.mjs" "$input" "$single"
  input="$single"
  for target in bundler web nodejs; do
    local out="$pkg/$target"
    wasm-bindgen --target "$target" --out-dir "$out" --out-name motcua "$input"
    # `-ocimfs 0`: a function with one caller is not inlined into it for that alone. A form's
    # first check then compiles only the code it runs (V8 compiles a function whole at its first
    # call): with the check since the last one inlined into `Form.validateText`, the first
    # validation took 5.6 ms instead of 3.4; and the package is 4.6 KB smaller gzipped.
    "$here/node_modules/.bin/wasm-opt" -Oz -ocimfs 0 --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types \
      "$out/motcua_bg.wasm" -o "$out/motcua_bg.wasm"
  done
  # Imports that catch (`JSON.parse`, `JSON.stringify`, `Reflect.set`) are written as
  # `function() { return handleError(function (arg0, …) {…}, arguments) }`: declared with no
  # parameters, they do not match their WebAssembly signature's arity, and V8 then compiles a
  # wrapper for each when the module is instantiated (about 0.25 ms of a cold start). The same
  # functions with their parameters named, which `arguments` does not notice.
  for f in "$pkg"/*/motcua.js "$pkg"/*/motcua_bg.js; do
    [ -e "$f" ] || continue
    sed -i -E 's/function( [A-Za-z0-9_$]+)?\(\) \{ return handleError\(function \(([^)]*)\) \{/function\1(\2) { return handleError(function (\2) {/' "$f"
    if grep -q '() { return handleError(' "$f"; then
      echo "$f: an import that catches is still declared without its parameters" >&2
      exit 1
    fi
  done
  # wasm-bindgen writes the JS snippets (`inline_js`: functions that build an answer's objects in one
  # call) as modules of their own; for Node and for browsers without a bundler they are written into
  # the glue (inline-snippets.mjs says why). Bundlers inline them themselves.
  for target in nodejs web; do
    node "$here/inline-snippets.mjs" "$pkg/$target/motcua.js"
  done
  # CommonJS for Node: mark the folder so Node does not read it as ESM under a "type": "module" parent.
  echo '{"type": "commonjs"}' > "$pkg/nodejs/package.json"
}

# Prints a package's module size; fails over the 300 KB gzipped budget (issue 4).
report_size() {
  local name=$1 wasm=$2 raw gz
  raw=$(stat -c %s "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf '%s wasm: %d bytes raw, %d bytes gzipped (%.1f KB of the 300 KB budget)\n' \
    "$name" "$raw" "$gz" "$(echo "$gz / 1024" | bc -l)"
  if [ "$gz" -gt $((300 * 1024)) ]; then
    echo "$name: over the 300 KB gzipped budget" >&2
    exit 1
  fi
}

pkg="$here/pkg"
rm -rf "$pkg"
build_package "" "$pkg"
build_package "--no-default-features" "$pkg/form"
cp "$here/package.template.json" "$pkg/package.json"
cp "$here/README.md" "$pkg/README.md"

report_size motcua "$pkg/bundler/motcua_bg.wasm"
report_size motcua/form "$pkg/form/bundler/motcua_bg.wasm"
