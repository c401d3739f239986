#!/usr/bin/env bash
# The first command of the README: builds what the web app needs when it changed (web/build.sh),
# then runs the service — embedded SQLite (./motcua.db, migrated and seeded with the demo province
# on first run), the GraphQL API at /graphql and the citizen portal at / — with the payment
# gateway simulator beside it (http://127.0.0.1:8190, both protocols, real signatures), which the
# development configuration pays through.
set -euo pipefail
cd "$(dirname "$0")"
bash web/build.sh
cargo build -q -p motcua-api
bind=127.0.0.1:8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--bind" ] && bind=${args[$((i + 1))]:-$bind}
done
./target/debug/motcua payment-sim --bind 127.0.0.1:8190 --vnpay-ipn-url "http://$bind/payments/vnpay/ipn" &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
./target/debug/motcua serve "$@"
