#!/usr/bin/env bash
# Builds the citizen portal into web/build, installing what it needs on a fresh machine (the wasm
# target, wasm-bindgen-cli at the pinned version, Node.js). Each part is rebuilt only when its
# inputs changed (a stamp of their hashes under target/): the wasm package when the core or its
# bindings changed, the Node packages when the lockfile changed, the app when its sources, the
# schema or the wasm changed. An edit elsewhere in Rust rebuilds nothing here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
WASM_BINDGEN_VERSION=0.2.130
stamps=target/web-stamps
mkdir -p "$stamps"

# The hash of every file under the given paths (sorted), to compare with the last build's.
inputs() { find "$@" -type f -not -path '*/node_modules/*' -not -path '*/pkg/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }
fresh() { [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ]; }

rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: its lockfile wants a crate version the registry lacks (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi

wasm=$(inputs core/src core/Cargo.toml wasm-client/src wasm-client/Cargo.toml wasm-client/build.sh \
  wasm-client/single-value.mjs wasm-client/inline-snippets.mjs wasm-client/package.template.json \
  wasm-client/package-lock.json Cargo.lock Cargo.toml)
if ! fresh wasm "$wasm" || [ ! -f wasm-client/pkg/web/motcua_bg.wasm ]; then
  bash wasm-client/build.sh
  echo "$wasm" > "$stamps/wasm"
fi

lock=$(inputs web/package.json web/package-lock.json)
if ! fresh npm "$lock" || [ ! -d web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund)
  echo "$lock" > "$stamps/npm"
fi

app=$(inputs web/src web/static web/svelte.config.js web/vite.config.ts web/codegen.ts web/tsconfig.json \
  schema.graphql)
app="$app-$wasm-$lock"
if ! fresh app "$app" || [ ! -f web/build/index.html ]; then
  (cd web && npm run build)
  echo "$app" > "$stamps/app"
fi
echo "web app: web/build (served by motcua serve at /)"
