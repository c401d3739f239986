#!/usr/bin/env node
// The wasm conformance-vector runner (../shared/vectors/README.md): loads the built package from
// wasm-client/pkg and checks every file given (files, or folders searched for *.json in sorted path
// order). Parsing and comparison happen in the core (checkVectorFile); this file only reads and prints.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { checkVectorFile } = require("./pkg/nodejs/motcua.js");

function collect(path, files) {
  if (statSync(path).isDirectory()) {
    const found = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir).sort()) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith(".json")) found.push(full);
      }
    };
    walk(path);
    files.push(...found.sort());
  } else {
    files.push(path);
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("usage: node wasm-client/run-vectors.mjs <path>...");
  process.exit(2);
}
let passed = 0;
let failed = 0;
let broken = 0;
const files = [];
for (const arg of args) {
  try {
    collect(arg, files);
  } catch (e) {
    console.error(`${arg}: cannot read: ${e.message}`);
    broken++;
  }
}
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`${file}: cannot read: ${e.message}`);
    broken++;
    continue;
  }
  const report = JSON.parse(checkVectorFile(text));
  if (report.file_error !== undefined) {
    console.error(`${file}: ${report.file_error}`);
    broken++;
    continue;
  }
  for (const f of report.failed) {
    console.log(`FAIL ${f.id} (${file})`);
    console.log(`  expected: ${JSON.stringify(f.expected)}`);
    console.log(`  actual:   ${JSON.stringify(f.actual)}`);
  }
  passed += report.passed;
  failed += report.failed.length;
}
if (broken > 0) console.error(`${broken} file(s) could not be read or parsed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && broken === 0 ? 0 : 1);
