#!/usr/bin/env bash
# The Decision 766 benchmark (issue 17): one province-year on PostgreSQL — `motcua kpi generate`
# writes DOSSIERS dossiers (default 2,000,000) with their whole event log into a fresh database
# (every commune of the province given its desks) and prints its rate; `motcua kpi report` then
# computes the province's index with every agency and commune, several times, and prints the
# time of each; `motcua kpi rebuild` then recomputes every dossier's facts from the event log and
# says how many differed (0: the generator wrote what the service would have).
# Usage: bash tests/load/kpi.sh [DOSSIERS] [KEEP]   (KEEP=keep: leave the database for more runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
dossiers=${1:-2000000}
keep=${2:-}
cargo build --release -q -p motcua-api
bin=./target/release/motcua
pg=${MOTCUA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
name=motcua_bench_kpi
year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
psql "$pg" -qc "DROP DATABASE IF EXISTS $name" -qc "CREATE DATABASE $name" >/dev/null
if [ "$keep" != keep ]; then
  trap 'psql "$pg" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true' EXIT
fi
export DATABASE_URL="${pg%/*}/$name" MOTCUA_ENV=development RUST_LOG=warn
echo "== cores: $(nproc); PostgreSQL $(psql "$pg" -tAc 'SHOW server_version')"
"$bin" kpi generate --dossiers "$dossiers" --year "$year"
psql "$DATABASE_URL" -qc "VACUUM ANALYZE" >/dev/null
psql "$DATABASE_URL" -tAc "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database())) \
  || '; dossier_facts: ' || pg_size_pretty(pg_total_relation_size('dossier_facts'))"
"$bin" kpi report --period "$year" --repeat 5
"$bin" kpi report --period "$year-Q4" --repeat 5
"$bin" kpi report --period "$(TZ=Asia/Ho_Chi_Minh date +%Y-%m)" --repeat 5
"$bin" kpi rebuild
