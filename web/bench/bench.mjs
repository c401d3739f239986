// The portal's figures (printed, not asserted): the JS + CSS a phone downloads for the first page,
// and with the wasm core when a form opens (gzip -9 of every script, style sheet and wasm the
// browser actually fetched), then Lighthouse's mobile performance and accessibility scores for the
// home, procedure and form pages. Runs against `motcua serve` on a fresh database.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import lighthouse from 'lighthouse';

const port = Number(process.env.MOTCUA_BENCH_PORT ?? 8282);
const base = `http://127.0.0.1:${port}`;
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const bin = resolve(process.env.MOTCUA_BIN ?? '../target/debug/motcua');
const server = spawn(bin, ['serve'], {
  cwd: mkdtempSync(join(tmpdir(), 'motcua-bench-')),
  env: { ...process.env, MOTCUA_BIND: `127.0.0.1:${port}`, MOTCUA_WEB_DIR: resolve('build'), RUST_LOG: 'error' },
  stdio: 'ignore',
});
for (let i = 0; ; i += 1) {
  try {
    if ((await fetch(`${base}/readyz`)).ok) break;
  } catch {}
  if (i > 120) throw new Error('motcua serve did not start');
  await new Promise((r) => setTimeout(r, 250));
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const debugPort = 9333;
const browser = await chromium.launch({ executablePath: chrome, args: [`--remote-debugging-port=${debugPort}`] });
try {
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  const seen = new Map();
  page.on('response', async (r) => {
    const type = r.request().resourceType();
    const url = r.url();
    if (!(type === 'script' || type === 'stylesheet' || url.endsWith('.wasm'))) return;
    try {
      seen.set(url, gzipSync(await r.body(), { level: 9 }).length);
    } catch {}
  });
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  const first = [...seen.values()].reduce((a, b) => a + b, 0);
  // Sign in and open a form: the form chunks and the wasm core come in.
  await page.goto(`${base}/dang-nhap?next=/thu-tuc/2.000815/nop`);
  await page.fill('#identifier', '020090123456');
  await page.fill('#password', 'MotCua@2026!');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=fee]');
  await page.waitForLoadState('networkidle');
  const all = [...seen.entries()];
  const wasm = all.filter(([u]) => u.endsWith('.wasm')).reduce((a, [, n]) => a + n, 0);
  const withForm = all.reduce((a, [, n]) => a + n, 0);
  console.log(`first page (home): JS + CSS ${kb(first)} gzipped (budget 200 KB without wasm)`);
  console.log(`form open: JS + CSS + wasm ${kb(withForm)} gzipped, of which wasm ${kb(wasm)} (budget 450 KB)`);

  // Public pages on a first visit (storage, cache and service worker cleared); the form signed
  // in (the session kept), which also keeps the cache and the service worker: a repeat visit.
  const pages = [
    ['home (first visit)', `${base}/`, false],
    ['procedure (first visit)', `${base}/thu-tuc/2.000815`, false],
    ['form (signed in, repeat visit)', `${base}/thu-tuc/2.000815/nop`, true],
  ];
  for (const [name, url, keep] of pages) {
    if (keep) {
      await page.goto(`${base}/dang-nhap?next=/thu-tuc/2.000815/nop`);
      await page.fill('#identifier', '020090123456');
      await page.fill('#password', 'MotCua@2026!');
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-testid=fee]');
    }
    const r = await lighthouse(url, {
      port: debugPort,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      formFactor: 'mobile',
      disableStorageReset: keep,
    });
    const c = r.lhr.categories;
    const m = r.lhr.audits;
    console.log(
      `lighthouse ${name}: performance ${Math.round(c.performance.score * 100)}, accessibility ${Math.round(
        c.accessibility.score * 100,
      )} (FCP ${m['first-contentful-paint'].displayValue}, LCP ${m['largest-contentful-paint'].displayValue}, TBT ${m['total-blocking-time'].displayValue}, CLS ${m['cumulative-layout-shift'].displayValue})`,
    );
    const failing = Object.values(r.lhr.audits).filter(
      (a) => r.lhr.categories.accessibility.auditRefs.some((ref) => ref.id === a.id) && a.score !== null && a.score < 1,
    );
    for (const a of failing) console.log(`  accessibility audit below 1: ${a.id} (${a.title})`);
  }
  // A clerk's intake of one desk dossier, end to end in the browser: the queue loads, the desk
  // form is filled (with one scanned PDF), filed and received, and form 01 is downloaded.
  const clerk = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
  await clerk.goto(`${base}/can-bo/dang-nhap`);
  await clerk.fill('#username', 'tiepnhan.dongkinh');
  await clerk.fill('#desk-password', 'MotCua@2026!');
  await clerk.click('button[type=submit]');
  await clerk.waitForURL(`${base}/can-bo`);
  const pdf = Buffer.from(
    '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
  const times = [];
  const requests = [];
  const apiRequests = [];
  for (let i = 0; i < 20; i += 1) {
    let count = 0;
    let api = 0;
    const onRequest = (r) => {
      count += 1;
      if (new URL(r.url()).pathname.startsWith('/graphql') || new URL(r.url()).pathname.startsWith('/dossiers/')) api += 1;
    };
    clerk.on('request', onRequest);
    const started = performance.now();
    await clerk.goto(`${base}/can-bo`);
    await clerk.waitForSelector('[data-testid=queue], main >> text=Không có hồ sơ.');
    await clerk.click('a[href="/can-bo/nop-tai-quay"]');
    await clerk.selectOption('#desk-procedure', '2.000815');
    await clerk.waitForSelector('[data-testid=desk-form]');
    await clerk.fill('#f_applicant_full_name', 'Nguyễn Văn An');
    await clerk.fill('#f_applicant_id_number', '020090123456');
    await clerk.fill('#f_applicant_phone', '0912345678');
    await clerk.click('text=Thêm: Giấy tờ cần chứng thực');
    await clerk.fill('#f_documents_0_title', 'Giấy khai sinh');
    await clerk.fill('#f_documents_0_pages', '1');
    await clerk.fill('#f_documents_0_copies', '2');
    await clerk.setInputFiles('#scan-ban-chinh', { name: 'ban-chinh.pdf', mimeType: 'application/pdf', buffer: pdf });
    const printed = clerk.waitForEvent('download');
    await clerk.click('text=Nộp và tiếp nhận');
    await printed;
    times.push(performance.now() - started);
    clerk.off('request', onRequest);
    requests.push(count);
    apiRequests.push(api);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = (sorted[9] + sorted[10]) / 2;
  console.log(
    `desk intake (queue → form 01 printed), 20 runs: median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted[19].toFixed(0)} ms; requests per intake: ${[...new Set(requests)].join('/')} (median ${[...requests].sort((a, b) => a - b)[10]}), of which to the API and forms: median ${[...apiRequests].sort((a, b) => a - b)[10]} (the rest are the app's cached scripts and styles after the full page load of the queue)`,
  );
} finally {
  await browser.close();
  server.kill();
}
