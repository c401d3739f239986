#!/usr/bin/env bash
# Instructions one validation of the largest demo form takes natively (issue 18), counted by
# valgrind's cachegrind: deterministic where timings on a shared 2-core machine vary by a third
# from run to run, so a change of a few per cent can be seen. Counts the phones' path
# (`core/examples/form_loop.rs`: JSON text in, answer text out) at two repetition counts and
# prints the difference per validation, for the working tree and, given BASE, for that commit
# (built in a temporary worktree).
# The typing path (`core/examples/typing_loop.rs`: a keystroke's check since the last) is counted
# the same way, and so is loading the definition (`core/examples/load_loop.rs`, with and without
# the first check).
# Usage: bash core/benches/form-instructions.sh [BASE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

count() { # binary kind runs → instructions
  N=$3 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" "$2" 2>&1 |
    awk '/I *refs/ { gsub(",", "", $NF); print $NF }'
}

measure() { # label tree target-dir
  (cd "$2" && CARGO_TARGET_DIR="$3" cargo build -q --release -p motcua-core --example form_loop)
  for kind in valid invalid; do
    few=$(cd "$2" && count "$3/release/examples/form_loop" "$kind" 200)
    many=$(cd "$2" && count "$3/release/examples/form_loop" "$kind" 1200)
    printf '%-40s %-8s %8d instructions per validation\n' "$1" "$kind" $(((many - few) / 1000))
  done
  # Typing (the check since the last, as the phone makes it): whole rounds of the texts typed
  # (144 invalid, 184 valid; 3,312 is a multiple of both), the first warming the memo.
  if ! (cd "$2" && CARGO_TARGET_DIR="$3" cargo build -q --release -p motcua-core --example typing_loop 2>/dev/null); then
    printf '%-40s typing: the loop needs validate_json_parts_since with the last answer (e4cf50a)\n' "$1"
    return
  fi
  for kind in valid invalid; do
    few=$(cd "$2" && count "$3/release/examples/typing_loop" "$kind" 3312)
    many=$(cd "$2" && count "$3/release/examples/typing_loop" "$kind" 6624)
    printf '%-40s %-8s %8d instructions per keystroke'"'"'s check (typing)\n' "$1" "$kind" $(((many - few) / 3312))
  done
  # A form's cold start besides creating the module: its definition loaded, then the first check.
  (cd "$2" && CARGO_TARGET_DIR="$3" cargo build -q --release -p motcua-core --example load_loop)
  for what in load check; do
    few=$(cd "$2" && count "$3/release/examples/load_loop" "$what" 10)
    many=$(cd "$2" && count "$3/release/examples/load_loop" "$what" 110)
    printf '%-40s %-8s %8d instructions per definition loaded%s\n' "$1" "$what" $(((many - few) / 100)) \
      "$([ "$what" = check ] && echo ' and checked once')"
  done
}

if [ -n "${1:-}" ]; then
  tree=$(mktemp -d)
  trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
  git -C "$root" worktree add --detach "$tree" "$1" >/dev/null
  # The subject as it is now, so that both sides run the same loop.
  mkdir -p "$tree/core/examples/common"
  cp "$root/core/examples/form_loop.rs" "$root/core/examples/typing_loop.rs" \
    "$root/core/examples/load_loop.rs" "$tree/core/examples/"
  cp "$root/core/examples/common/subject.rs" "$tree/core/examples/common/"
  cp "$root/core/benches/largest_form.rs" "$tree/core/benches/largest_form.rs"
  measure "before: $(git -C "$root" log -1 --format='%h' "$1")" "$tree" "$root/target/before-after"
fi
measure "after: the working tree" "$root" "$root/target"
