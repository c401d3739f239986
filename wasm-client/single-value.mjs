#!/usr/bin/env node
// Build step (issue 18): copies a wasm module with its `target_features` section saying
// `-multivalue` instead of `+multivalue`, so that wasm-bindgen returns its exports' results
// through memory instead of as several values.
//
// Why: Rust enables multivalue for wasm32 by default (1.82 on) and the standard library carries
// the flag even when our crates turn it off, so the linked module always says `+multivalue`, and
// wasm-bindgen then makes every export that returns a string or a `Result` return two to four
// values. V8 before 12 (Node 20, and phones' browsers not yet updated) has no generic JS-to-wasm
// wrapper for several results: creating the module compiled one wrapper per such signature with
// TurboFan, eight for this package, which took about 0.75 ms of every cold start (instructions
// counted with callgrind: 6.5 M of creating the module's 12.4 M besides validation). Single-value
// exports all go through the generic wrapper. The code inside the module does not use multivalue:
// the Rust ABI returns structures through memory.
//
// Usage: node single-value.mjs IN.wasm OUT.wasm. Fails when the section or the flag is missing,
// so that a toolchain that stops writing it is noticed.
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node single-value.mjs IN.wasm OUT.wasm");
  process.exit(2);
}
const bytes = readFileSync(input);

function leb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

const name = Buffer.from("target_features");
const feature = Buffer.from("multivalue");
let at = 8; // magic and version
let flipped = false;
while (at < bytes.length && !flipped) {
  const id = bytes[at];
  const [size, start] = leb(at + 1);
  const end = start + size;
  if (id === 0) {
    const [nameLength, nameStart] = leb(start);
    if (bytes.subarray(nameStart, nameStart + nameLength).equals(name)) {
      let [count, entry] = leb(nameStart + nameLength);
      for (; count > 0; count--) {
        const prefix = entry;
        const [length, text] = leb(prefix + 1);
        if (bytes.subarray(text, text + length).equals(feature)) {
          if (bytes[prefix] !== 0x2b) break; // not `+`: nothing to do, reported below
          bytes[prefix] = 0x2d; // `-`
          flipped = true;
          break;
        }
        entry = text + length;
      }
    }
  }
  at = end;
}
if (!flipped) {
  console.error(`${input}: no \`+multivalue\` in a \`target_features\` section to turn off`);
  process.exit(1);
}
writeFileSync(output, bytes);
