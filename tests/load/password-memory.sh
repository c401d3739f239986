#!/usr/bin/env bash
# SECURITY.md A9 benchmark: the server's resident memory while 8 connections send nothing but
# password work (19 aliased registrations in one request, single registrations, wrong-password
# sign-ins), each for a distinct number so that no per-account limit stops them. Starts the
# release server on a fresh SQLite database with the per-address limits out of the way, drives
# it with motcua-load and prints requests/s, latencies and the server's RSS (before, peak, after).
# Usage: bash tests/load/password-memory.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-8}
cargo build --release -q -p motcua-api -p motcua-load
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
MOTCUA_LOGINS_PER_IP_PER_MINUTE=1000000 MOTCUA_RELAY=off MOTCUA_JOBS=off \
  DATABASE_URL="sqlite://$dir/bench.db?mode=rwc" MOTCUA_STORAGE_DIR="$dir/storage" \
  ./target/release/motcua serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
echo "cores: $(nproc); Argon2id m=19 MiB t=2 p=1"
./target/release/motcua-load --url "http://127.0.0.1:$port" --scenario passwords \
  --connections "$connections" --seconds "$seconds" --server-pid "$server"
