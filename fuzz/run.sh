#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (SECURITY.md F2). The test command uses the default of
# 20 s per target; pass a number of seconds for long runs: `bash fuzz/run.sh 3600`.
# Crashes are kept in fuzz/artifacts/<target>/ and make this script fail; turn each into a unit test.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2
mkdir -p corpus/form_validate
cp ../catalog/procedures/*.json corpus/form_validate/ 2>/dev/null || true
for target in form_validate identifiers operations upload_sniffer; do
  echo "fuzzing $target for ${seconds}s"
  status=0
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 \
    -timeout=5 -print_final_stats=1 > "/tmp/motcua-fuzz-$target.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|Done)' "/tmp/motcua-fuzz-$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "/tmp/motcua-fuzz-$target.log" >&2
    echo "fuzz target $target failed (exit $status)" >&2
    exit 1
  fi
  if ls "artifacts/$target"/crash-* "artifacts/$target"/oom-* "artifacts/$target"/timeout-* >/dev/null 2>&1; then
    echo "fuzz target $target found a failure: see fuzz/artifacts/$target" >&2
    exit 1
  fi
done
