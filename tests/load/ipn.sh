#!/usr/bin/env bash
# The payment benchmark (issue 16): creates 10,000 payment intents through the API (a desk filing
# and the citizen's payOnline each), then sends the gateway's signed IPNs for them — the first
# pass pays, later passes are replays — with motcua-load printing the IPN answer rate, p50 and p99
# next to a /healthz baseline, and how long until every payment was applied. On a fresh SQLite
# database and on a fresh PostgreSQL database (MOTCUA_TEST_POSTGRES, default the local server).
# Usage: bash tests/load/ipn.sh [SECONDS] [CONNECTIONS] [INTENTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
connections=${2:-32}
intents=${3:-10000}
cargo build --release -q -p motcua-api -p motcua-load
bin=./target/release/motcua
pg=${MOTCUA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}

run() {
  # shellcheck source=tests/load/serve.sh
  source tests/load/serve.sh
  echo "== $1; cores: $(nproc); $connections connections, $seconds s, $intents intents"
  ./target/release/motcua-load --url "http://127.0.0.1:$port" --scenario ipn --intents "$intents" \
    --connections "$connections" --seconds "$seconds" --server-pid "$server"
}

(run SQLite)
name=motcua_bench_ipn_$$
psql "$pg" -qc "DROP DATABASE IF EXISTS $name" -qc "CREATE DATABASE $name" >/dev/null
trap 'psql "$pg" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true' EXIT
(BENCH_DATABASE_URL="${pg%/*}/$name" run PostgreSQL)
