import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Browser tests: Debian's Chromium (never a downloaded browser) against `motcua serve` on a fresh
 * SQLite database with the demo data and this build of the web app.
 */
const port = Number(process.env.MOTCUA_WEB_TEST_PORT ?? 8181);
const simPort = port + 10;
const bin = resolve(process.env.MOTCUA_BIN ?? '../target/debug/motcua');
const workdir = mkdtempSync(join(tmpdir(), 'motcua-web-'));

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/report.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Pixel 5'],
    viewport: { width: 360, height: 740 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      // The payment gateway simulator (both protocols, real signatures): the browser pays on its
      // pages; its IPNs go to the server below.
      command: `${JSON.stringify(bin)} payment-sim --bind 127.0.0.1:${simPort} --vnpay-ipn-url http://127.0.0.1:${port}/payments/vnpay/ipn`,
      url: `http://127.0.0.1:${simPort}/_sim/transactions`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `${JSON.stringify(bin)} serve`,
      cwd: workdir,
      url: `http://127.0.0.1:${port}/readyz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        MOTCUA_BIND: `127.0.0.1:${port}`,
        MOTCUA_WEB_DIR: resolve('build'),
        // Every test signs in from 127.0.0.1: the per-address limit is for the public.
        MOTCUA_LOGINS_PER_IP_PER_MINUTE: '1000',
        MOTCUA_PUBLIC_URL: `http://127.0.0.1:${port}`,
        MOTCUA_PAYMENT_SIM_URL: `http://127.0.0.1:${simPort}`,
        RUST_LOG: 'error',
      },
    },
  ],
});
