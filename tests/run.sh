#!/usr/bin/env bash
# The whole test suite of motcua, from a fresh machine: installs what it needs (wasm target,
# wasm-bindgen-cli at the pinned version, Node packages, Debian's Chromium), then runs formatting,
# lints, unit/property/integration tests, the wasm package and UniFFI binding tests, the
# conformance vectors through all three runners, the web app's checks and browser tests, and ends
# with one summary line. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# A clean checkout builds everything once: incremental compilation only adds work there.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

SHARED_VECTORS=../shared/vectors
# Contract v2: each op's files once the op exists (payment and kpi ops are built).
VECTORS=(tests/vectors "$SHARED_VECTORS" ../shared/vectors-v2/payment-*.json ../shared/vectors-v2/kpi-*.json)
WASM_BINDGEN_VERSION=0.2.130
LOG_DIR=$(mktemp -d)
passed=0
failed=0
started=$SECONDS

step() { printf '\n==> %s  [%ds]\n' "$*" "$((SECONDS - started))"; }
add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# The "N passed, M failed" line a vector runner ends with.
runner_summary() { grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1; }

step "install what the tests need"
rustup show active-toolchain
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown >/dev/null
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: its lockfile wants a crate version the registry lacks (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-pip; }
# The notification tests talk to a real SMTP server (aiosmtpd); the form tests read PDFs back
# with pdftotext and decode their QR codes with zbarimg.
python3 -c "import aiosmtpd" 2>/dev/null ||
  python3 -m pip install -q aiosmtpd 2>/dev/null ||
  python3 -m pip install -q --break-system-packages aiosmtpd
if ! command -v pdftotext >/dev/null || ! command -v zbarimg >/dev/null; then
  apt-get update -qq && apt-get install -y -qq poppler-utils zbar-tools
fi
# PostgreSQL on 127.0.0.1 for the API tests: start the installed cluster, or install one.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && apt-get install -y -qq postgresql
  fi
  cluster=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
if pg_isready -q -h 127.0.0.1 -p 5432; then
  PG_URL=${MOTCUA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
  export MOTCUA_TEST_POSTGRES=$PG_URL
  # Databases left by earlier runs of the API tests.
  psql "$PG_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'motcua_test_%'" 2>/dev/null |
    while read -r name; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true; done
  echo "PostgreSQL: API tests run on SQLite and PostgreSQL"
else
  echo "PostgreSQL is not reachable on 127.0.0.1:5432: API tests would run on SQLite only" >&2
  exit 1
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The wasm crate's other build: the form package (wasm-client/src/lib.rs).
cargo clippy -p motcua-wasm --no-default-features --all-targets --locked -- -D warnings

step "cargo build"
cargo build --workspace --locked

step "cargo test"
status=0
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$LOG_DIR/cargo-test.log" || status=$?
read -r t_passed t_failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;/) p += $(i-1); if ($(i) ~ /^failed;/) f += $(i-1) } } END { print p + 0, f + 0 }' "$LOG_DIR/cargo-test.log")
add "$t_passed" "$t_failed"
if [ "$status" -ne 0 ] && [ "$t_failed" -eq 0 ]; then add 0 1; fi

step "demo catalogue: every procedure loads, samples validate and quote"
status=0
./target/debug/motcua catalog check | tee "$LOG_DIR/catalog.log" || status=$?
line=$(runner_summary "$LOG_DIR/catalog.log" || true)
if [ -n "$line" ]; then add "$(echo "$line" | cut -d' ' -f1)" "$(echo "$line" | cut -d' ' -f3)"; else add 0 1; fi
if [ "$status" -ne 0 ] && [ -n "$line" ] && [ "$(echo "$line" | cut -d' ' -f3)" -eq 0 ]; then add 0 1; fi

step "wasm package: build (size budget), Node tests, TypeScript types, packed-tarball smoke test"
# web/build.sh builds the wasm package (wasm-client/build.sh) and the web app on it.
bash web/build.sh
status=0
node --test wasm-client/test/ 2>&1 | tee "$LOG_DIR/node-test.log" || status=$?
n_passed=$(awk '/^# pass / { print $3 }' "$LOG_DIR/node-test.log")
n_failed=$(awk '/^# fail / { print $3 }' "$LOG_DIR/node-test.log")
add "${n_passed:-0}" "${n_failed:-1}"
if [ "$status" -ne 0 ] && [ "${n_failed:-0}" -eq 0 ]; then add 0 1; fi
if wasm-client/node_modules/.bin/tsc --strict --noEmit --target es2022 --module nodenext \
  --moduleResolution nodenext --lib es2022,esnext.disposable,dom wasm-client/test/types-check.ts; then
  echo "TypeScript types: ok"; add 1 0
else
  echo "TypeScript types: FAILED"; add 0 1
fi
if bash wasm-client/test/pack-smoke.sh; then add 1 0; else add 0 1; fi

step "UniFFI bindings: generate Kotlin, Swift, Python; Python tests"
bash mobile-bindings/generate.sh
status=0
python3 -m unittest discover -s mobile-bindings/tests -v 2>&1 | tee "$LOG_DIR/python-test.log" || status=$?
p_ran=$(awk '/^Ran [0-9]+ test/ { print $2 }' "$LOG_DIR/python-test.log")
p_failed=$(grep -oE 'FAILED \((failures|errors)=[0-9]+(, (failures|errors)=[0-9]+)?\)' "$LOG_DIR/python-test.log" | grep -oE '[0-9]+' | paste -sd+ | bc || true)
p_failed=${p_failed:-0}
add "$(( ${p_ran:-0} - p_failed ))" "$p_failed"
if [ "$status" -ne 0 ] && [ "$p_failed" -eq 0 ]; then add 0 1; fi

step "conformance vectors through the three runners: ${VECTORS[*]}"
declare -A counts
for runner in native wasm uniffi; do
  case $runner in
    native) cmd=(./target/debug/motcua vectors) ;;
    wasm) cmd=(node wasm-client/run-vectors.mjs) ;;
    uniffi) cmd=(python3 mobile-bindings/run_vectors.py) ;;
  esac
  echo "-- $runner: ${cmd[*]} ${VECTORS[*]}"
  status=0
  "${cmd[@]}" "${VECTORS[@]}" | tee "$LOG_DIR/$runner.log" || status=$?
  line=$(runner_summary "$LOG_DIR/$runner.log" || true)
  if [ -z "$line" ]; then
    echo "$runner runner printed no summary"; add 0 1; continue
  fi
  counts[$runner]=$line
  add "$(echo "$line" | cut -d' ' -f1)" "$(echo "$line" | cut -d' ' -f3)"
  if [ "$status" -ne 0 ] && [ "$(echo "$line" | cut -d' ' -f3)" -eq 0 ]; then add 0 1; fi
done
if [ "${counts[native]:-}" = "${counts[wasm]:-x}" ] && [ "${counts[native]:-}" = "${counts[uniffi]:-y}" ]; then
  echo "parity: native, wasm and UniFFI all report '${counts[native]}'"
else
  echo "parity FAILED: native '${counts[native]:-}', wasm '${counts[wasm]:-}', uniffi '${counts[uniffi]:-}'"
  add 0 1
fi

step "web app: svelte-check, TypeScript; browser tests (Playwright on Debian Chromium against motcua serve)"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi
if (cd web && npm run -s check); then echo "web check: ok"; add 1 0; else echo "web check: FAILED"; add 0 1; fi
status=0
rm -f web/test-results/report.json
(cd web && MOTCUA_BIN="$PWD/../target/debug/motcua" npx playwright test) || status=$?
read -r w_passed w_failed < <(node -e '
  const r = require("./web/test-results/report.json");
  console.log(r.stats.expected + r.stats.flaky, r.stats.unexpected);' 2>/dev/null || echo "0 1")
add "$w_passed" "$w_failed"
if [ "$status" -ne 0 ] && [ "$w_failed" -eq 0 ]; then add 0 1; fi
echo "screenshots at 360 px: web/artifacts/screens/"

step "bounded fuzzing (SECURITY.md F2): form engine, identifiers, operation dispatcher"
if bash fuzz/run.sh "${FUZZ_SECONDS:-20}"; then add 3 0; else add 0 1; fi

rm -rf "$LOG_DIR"
printf '\n'
echo "finished in $((SECONDS - started)) s; vector cases are counted once per runner"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
