#!/usr/bin/env node
// Benchmark (issue 18): the form engine's cold start in a browser, as the portal's form page makes
// it — the browser build of the form package (`pkg/form/web`, what the portal's filing page
// loads; the full package's `pkg/web` is measured beside it) fetched over HTTP and compiled as it streams
// in (`WebAssembly.instantiateStreaming`), the largest demo form loaded and checked once — in
// Debian's Chromium, each run in a fresh browser context (its own renderer process, no cache, no
// code cache). `form-vs-ajv.mjs` measures the same in Node, where the module is read from disk
// and compiled in one synchronous call; here V8 validates it on other threads while it downloads,
// and the browser's loading comes around the engine's own work. Each figure is also measured with the CPU slowed down four times (Chromium's
// throttling, as Lighthouse's mobile profile does) for a cheap phone.
// Prints, in milliseconds, the median of 15 runs from before the glue's import to the first answer,
// the fastest, and each phase's median: the import and the module's download are the browser's
// plumbing (on a phone, the network's; the portal's service worker then serves them), loading and
// the first validation the engine's own work, as in Node.
// Usage: node wasm-client/bench/cold-browser.mjs (after `bash wasm-client/build.sh`);
// CHROME_PATH=… another Chromium.
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { largestForm, median } from "./largest-form.mjs";

// The two browser builds, by the path the page imports them from.
const packages = { form: "../pkg/form/web/", full: "../pkg/web/" };
for (const dir of Object.values(packages)) {
  if (!existsSync(fileURLToPath(new URL(join(dir, "motcua_bg.wasm"), import.meta.url)))) {
    console.error(`no wasm-client/${dir.slice(3)}: build the package first (bash wasm-client/build.sh)`);
    process.exit(1);
  }
}
const { entry, fields } = largestForm();
const inputs = JSON.stringify({
  definition: JSON.stringify(entry.form),
  payload: JSON.stringify(entry.samples.valid.data),
  context: JSON.stringify(entry.samples.valid.context),
});
// The page reads its inputs before the clock starts, as the Node bench builds its texts first.
const page = `<!doctype html><meta charset="utf-8"><title>cold start</title>
<script type="module">
const { definition, payload, context } = await (await fetch("/inputs.json")).json();
const pkg = location.hash.slice(1);
const t0 = performance.now();
const { default: init, Form } = await import(\`/\${pkg}/motcua.js\`);
const t1 = performance.now();
await init({ module_or_path: \`/\${pkg}/motcua_bg.wasm\` });
const t2 = performance.now();
const form = Form.load(definition);
const t3 = performance.now();
const valid = form.validateText(payload, context).valid;
const t4 = performance.now();
window.coldStart = { phases: [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0], valid };
</script>`;

// Everything the page asks for, read once: a file read on each request would fall inside the
// phases measured. The browser build has its JS snippets written into its glue (build.sh), so
// the glue and the module are all of the package it loads.
const read = (dir, file) => readFileSync(fileURLToPath(new URL(join(dir, file), import.meta.url)));
const routes = new Map([
  ["/", ["text/html; charset=utf-8", page]],
  ["/inputs.json", ["application/json", inputs]],
  ...Object.entries(packages).flatMap(([name, dir]) => [
    [`/${name}/motcua.js`, ["text/javascript", read(dir, "motcua.js")]],
    [`/${name}/motcua_bg.wasm`, ["application/wasm", read(dir, "motcua_bg.wasm")]],
  ]),
]);
const server = createServer((req, res) => {
  const route = routes.get(new URL(req.url, "http://localhost").pathname);
  if (route === undefined) {
    res.writeHead(404).end();
    return;
  }
  const [type, body] = route;
  res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

async function coldStart(throttle, pkg) {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    if (throttle > 1) {
      const cdp = await context.newCDPSession(tab);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
    }
    // A page that throws (a glue that does not load, say) stops the bench with its message.
    const failed = new Promise((_, reject) => tab.on("pageerror", reject));
    await tab.goto(`${url}#${pkg}`);
    const result = await Promise.race([
      tab.waitForFunction(() => window.coldStart, null, { timeout: 30000 }),
      failed,
    ]);
    const { phases, valid } = await result.jsonValue();
    if (!valid) throw new Error("the valid sample was refused");
    return phases;
  } finally {
    await context.close();
  }
}

const runs = 15;
console.log(`largest demo form: ${entry.code} (${fields} leaf fields), Chromium ${browser.version()}`);
try {
  await coldStart(1, "form"); // the browser's own first page (its processes started), not counted
  for (const throttle of [1, 4]) {
    // The two packages in turn, each first every other time, so that the machine's drift and
    // what one run leaves to the next fall on both alike.
    const runsOf = { form: [], full: [] };
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ["form", "full"] : ["full", "form"];
      for (const pkg of order) runsOf[pkg].push(await coldStart(throttle, pkg));
    }
    for (const [pkg, phases] of Object.entries(runsOf)) {
      const phase = (i) => median(phases.map((p) => p[i])).toFixed(1);
      const totals = phases.map((p) => p[4]);
      console.log(
        `${pkg === "form" ? "form package" : "full package"}: cold start in the browser${throttle > 1 ? `, CPU slowed ${throttle}×` : ""} ` +
          `(median of ${runs} fresh contexts): ${phase(4)} ms (fastest ${Math.min(...totals).toFixed(1)}) = importing the glue ${phase(0)} + ` +
          `fetching, compiling and instantiating the module ${phase(1)} + loading the definition ${phase(2)} + ` +
          `the first validation ${phase(3)} (each phase's median)`,
      );
    }
  }
} finally {
  await browser.close();
  server.close();
}
