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
import { Form } from "motcua/form";
import * as formWeb from "motcua/form/web";
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
// The form package: the form engine alone, in Node and for browsers.
const definition = JSON.stringify({
  form: "9.999999", version: "t1", title: { vi: "Biểu mẫu thử", en: "Test form" },
  schema: { type: "object", properties: { a: { type: "string", minLength: 2 } }, required: ["a"] },
});
const short = Form.load(definition).validate({ a: "x" });
if (short.valid || short.violations[0].path !== "/a") throw new Error("form: " + JSON.stringify(short));
const formWasm = new URL("motcua_bg.wasm", import.meta.resolve("motcua/form/web"));
formWeb.initSync({ module: readFileSync(fileURLToPath(formWasm)) });
if (!formWeb.Form.load(definition).validate({ a: "xy" }).valid) throw new Error("form web build");
if ("quoteFee" in formWeb) throw new Error("the form package carries the operations");
console.log("package smoke test: ESM import from the packed tarball works (node and web builds, full and form packages)");
JS
node smoke.mjs
