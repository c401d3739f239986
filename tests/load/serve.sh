# Sourced by the load scripts: starts `$bin serve` on a fresh SQLite database in a temporary folder
# with the per-address limits, the relay and the jobs out of the way, waits until it is ready, and
# stops it and removes the folder on exit. Sets `port` and `server` (its pid). BENCH_DATABASE_URL
# runs it on another database (a fresh PostgreSQL one, say) instead.
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
MOTCUA_LOGINS_PER_IP_PER_MINUTE=1000000 MOTCUA_CALLBACKS_PER_IP_PER_MINUTE=100000000 \
  MOTCUA_RELAY=off MOTCUA_JOBS=off \
  DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$dir/bench.db?mode=rwc}" MOTCUA_STORAGE_DIR="$dir/storage" \
  "$bin" serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
