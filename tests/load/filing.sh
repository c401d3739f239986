#!/usr/bin/env bash
# The filing benchmark: clerks of six units file dossiers over all 20 procedures (every request a
# distinct applicant and idempotency key) against the release server on a fresh SQLite database,
# with motcua-load printing requests/s and latencies next to a /healthz baseline.
# Usage: bash tests/load/filing.sh [SECONDS] [CONNECTIONS]
# MOTCUA_BIN=path/to/motcua compares another build (e.g. of an earlier commit) on the same machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-64}
cargo build --release -q -p motcua-load
bin=${MOTCUA_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release -q -p motcua-api
  bin=./target/release/motcua
fi
# shellcheck source=tests/load/serve.sh
source tests/load/serve.sh
echo "cores: $(nproc); $connections connections, $seconds s"
./target/release/motcua-load --url "http://127.0.0.1:$port" --scenario submit \
  --connections "$connections" --seconds "$seconds"
