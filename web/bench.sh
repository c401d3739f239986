#!/usr/bin/env bash
# The portal's benchmark: builds the app (web/build.sh), then prints the gzipped JS + CSS of the
# first page and with the wasm when a form opens, and Lighthouse 12.2.3 (mobile profile, Debian's
# Chromium) performance and accessibility scores of the home, procedure and form pages.
# MOTCUA_BIN=… measures another build of the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/build.sh" >/dev/null
(cd "$here/.." && cargo build -q -p motcua-api)
(cd "$here/bench" && npm ci --no-audit --no-fund --silent)
cd "$here"
NODE_PATH="$here/bench/node_modules" CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node bench/bench.mjs
