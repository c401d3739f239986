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
bin=./target/release/motcua
# shellcheck source=tests/load/serve.sh
source tests/load/serve.sh
echo "cores: $(nproc); Argon2id m=19 MiB t=2 p=1"
./target/release/motcua-load --url "http://127.0.0.1:$port" --scenario passwords \
  --connections "$connections" --seconds "$seconds" --server-pid "$server"
