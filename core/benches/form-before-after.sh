#!/usr/bin/env bash
# Native form validation before and after a change (issue 18): runs the core's `form/` criterion
# benchmarks at BASE (default: the commit before the form engine read borrowed JSON) in a
# temporary worktree, saved as the baseline `before`, then at the working tree compared with it;
# criterion prints each figure and its change.
# Usage: bash core/benches/form-before-after.sh [BASE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:-f560ca3}
tree=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add --detach "$tree" "$base" >/dev/null
# The benchmarks as they are now, so that both sides run the same ones (they use only what the
# core offered before: `FormDefinition::validate` and `LoadedForm`).
cp "$root/core/benches/core.rs" "$root/core/benches/largest_form.rs" "$tree/core/benches/"
# Its own target folder (one shared folder would let cargo take the other tree's build as fresh:
# the packages have the same names), and one criterion folder, where the baseline is saved.
export CRITERION_HOME="$root/target/criterion"
echo "== before: $(git -C "$root" log -1 --format='%h %s' "$base")"
(cd "$tree" && CARGO_TARGET_DIR="$root/target/before-after" cargo bench -q -p motcua-core --bench core -- "form/" --save-baseline before 2>&1 |
  grep -E "^form/|time:")
echo "== after: the working tree"
(cd "$root" && cargo bench -q -p motcua-core --bench core -- "form/" --baseline before 2>&1 |
  grep -E "^form/|time:|change:|thrpt:|Performance|No change")
