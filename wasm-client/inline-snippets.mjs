#!/usr/bin/env node
// Build step (issue 18): writes wasm-bindgen's JS snippets (`inline_js`: the functions that build
// an answer's objects in one call) into the glue that imports them, then removes the folder.
//
// Why: each snippet is a module of its own that the glue loads first. In Node that is one more
// file to find, read and compile before the WebAssembly module is even read (0.1–0.2 ms of a cold
// start, measured); in a browser without a bundler, one more request before the form can be
// checked, on a phone's connection. The snippets only declare functions (checked here), so the
// glue gets the same functions by the same names. Also spares Node the ES module a CommonJS glue
// would `require`, which Node before 20.19 cannot load.
//
// Usage: node inline-snippets.mjs GLUE.js (the `nodejs` or `web` target's `motcua.js`).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const glue = process.argv[2];
if (!glue) {
  console.error("usage: node inline-snippets.mjs GLUE.js");
  process.exit(2);
}
const dir = dirname(glue);
let text = readFileSync(glue, "utf8");
// `const { a, b } = require(String.raw`./snippets/…`);` (nodejs) or
// `import { a, b } from './snippets/…';` (web).
const imports =
  /^(?:const \{ ([^}]*) \} = require\(String\.raw`(\.\/snippets\/[^`]+)`\);|import \{ ([^}]*) \} from '(\.\/snippets\/[^']+)';)$/gm;
let inlined = 0;
text = text.replace(imports, (_line, cjsNames, cjsPath, esNames, esPath) => {
  const names = (cjsNames ?? esNames).split(",").map((n) => n.trim());
  const source = readFileSync(join(dir, cjsPath ?? esPath), "utf8");
  const declared = [...source.matchAll(/^export function ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
  const exportsOther = source.split("\n").some((l) => l.startsWith("export ") && !l.startsWith("export function "));
  if (exportsOther || names.some((n) => !declared.includes(n))) {
    console.error(`${glue}: a snippet that is not only exported functions, or lacks ${names}`);
    process.exit(1);
  }
  inlined += 1;
  return source.replace(/^export function /gm, "function ").trimEnd();
});
if (/\.\/snippets\//.test(text)) {
  console.error(`${glue}: a snippet is imported in a form this step does not know`);
  process.exit(1);
}
writeFileSync(glue, text);
rmSync(join(dir, "snippets"), { recursive: true, force: true });
console.log(`${glue}: ${inlined} snippet(s) written in`);
