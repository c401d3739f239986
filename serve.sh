#!/usr/bin/env bash
# The first command of the README: builds what the web app needs when it changed (web/build.sh),
# then runs the service — embedded SQLite (./motcua.db, migrated and seeded with the demo province
# on first run), the GraphQL API at /graphql and the citizen portal at /.
set -euo pipefail
cd "$(dirname "$0")"
bash web/build.sh
exec cargo run -q -p motcua-api -- serve "$@"
