#!/usr/bin/env bash
# Packs the npm package, installs the tarball into a scratch project and imports it as ESM, as a
# partner developer would.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$here/pkg" && npm pack --silent --pack-destination "$scratch" >/dev/null)
cd "$scratch"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --silent ./motcua-*.tgz
cat > smoke.mjs <<'JS'
import { validateIdentifier, dueDate } from "motcua";
import { initSync, lunarFromSolar } from "motcua/web";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
const check = validateIdentifier({ kind: "CCCD", value: " 001099012345 " });
if (!check.valid || check.normalized !== "001099012345") throw new Error("identifier: " + JSON.stringify(check));
const due = dueDate({ received_at: "2027-03-01T10:00:00+07:00", duration: { value: 1, unit: "WORKING_DAYS" } });
if (due.due_at !== "2027-03-02T10:00:00+07:00") throw new Error("due: " + JSON.stringify(due));
const wasmUrl = new URL("motcua_bg.wasm", import.meta.resolve("motcua/web"));
initSync({ module: readFileSync(fileURLToPath(wasmUrl)) });
const tet = lunarFromSolar({ date: "2030-02-02" });
if (tet.month !== 1 || tet.day !== 1) throw new Error("web build: " + JSON.stringify(tet));
console.log("package smoke test: ESM import from the packed tarball works (node and web builds)");
JS
node smoke.mjs
