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
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
MOTCUA_LOGINS_PER_IP_PER_MINUTE=1000000 MOTCUA_RELAY=off MOTCUA_JOBS=off \
  DATABASE_URL="sqlite://$dir/bench.db?mode=rwc" MOTCUA_STORAGE_DIR="$dir/storage" \
  "$bin" serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "cores: $(nproc); $connections connections, $seconds s"
./target/release/motcua-load --url "http://127.0.0.1:$port" --scenario submit \
  --connections "$connections" --seconds "$seconds"
