#!/usr/bin/env bash
# The whole test suite of motcua, from a fresh machine: installs what it needs, then runs formatting,
# lints, unit/property/integration tests and the conformance vectors through every runner, and ends
# with one summary line. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

SHARED_VECTORS=../shared/vectors
LOG_DIR=${TMPDIR:-/tmp}/motcua-test.$$
mkdir -p "$LOG_DIR"
passed=0
failed=0

step() { printf '\n==> %s\n' "$*"; }

# Adds a runner's "N passed, M failed" (last line of its output) to the totals.
count_summary() {
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "no summary line in $1" >&2
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}

step "toolchain"
rustup show active-toolchain
rustup component add rustfmt clippy >/dev/null 2>&1 || true

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
status=0
cargo test --workspace --locked 2>&1 | tee "$LOG_DIR/cargo-test.log" || status=$?
read -r t_passed t_failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;/) p += $(i-1); if ($(i) ~ /^failed;/) f += $(i-1) } } END { print p + 0, f + 0 }' "$LOG_DIR/cargo-test.log")
passed=$((passed + t_passed))
failed=$((failed + t_failed))
if [ "$status" -ne 0 ] && [ "$t_failed" -eq 0 ]; then failed=$((failed + 1)); fi

step "conformance vectors: native (motcua vectors)"
# The binary `cargo test` just built (a separate `cargo build` would resolve other features and
# recompile).
status=0
./target/debug/motcua vectors tests/vectors "$SHARED_VECTORS" | tee "$LOG_DIR/native.log" || status=$?
count_summary "$LOG_DIR/native.log"

printf '\n'
echo "cargo test: $t_passed passed, $t_failed failed; vectors counted once per runner"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
