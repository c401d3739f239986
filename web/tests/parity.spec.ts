import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CITIZEN_2, gql, signIn, token } from './helpers';

interface Entry {
  code: string;
  online_mode: string;
  samples: { invalid: { data: Record<string, unknown> } };
}

const dir = resolve('../catalog/procedures');
const entries: Entry[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Entry);

/** `["formData", "documents", "0", "pages"]` → `/documents/0/pages`. */
function pointer(path: string[]): string {
  return path
    .slice(1)
    .map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

// The page validates with the wasm core; the server with the native one. For every procedure's
// invalid sample, what the page shows (codes and paths) equals the API's `userErrors` for the same
// data. The sample is put in the page's own draft store, as a citizen's earlier session leaves it.
test('the page shows exactly the violations the API returns, for every invalid sample of the catalogue', async ({
  page,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const apiToken = await token(base, CITIZEN_2);
  await signIn(page, CITIZEN_2, '/ho-so');
  const owner = await page.evaluate(() => (JSON.parse(localStorage.getItem('motcua.session') ?? '{}') as { account: { id: string } }).account.id);
  let compared = 0;
  for (const entry of entries.filter((e) => e.online_mode !== 'NONE')) {
    const data = entry.samples.invalid.data;
    await page.goto('/ho-so');
    await page.evaluate(
      async ({ owner, code, data }) => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const r = indexedDB.open('motcua', 1);
          r.onsuccess = () => ok(r.result);
          r.onerror = () => fail(r.error);
        });
        await new Promise<void>((ok, fail) => {
          const tx = db.transaction('drafts', 'readwrite');
          tx.objectStore('drafts').put({
            procedureCode: code,
            owner,
            dossierUuid: crypto.randomUUID(),
            onServer: false,
            data,
            files: [],
            reused: [],
            updatedAt: Date.now(),
          });
          tx.oncomplete = () => ok();
          tx.onerror = () => fail(tx.error);
        });
        db.close();
      },
      { owner, code: entry.code, data },
    );
    await page.goto(`/thu-tuc/${entry.code}/nop`);
    await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
    await expect(page.getByTestId('summary')).toBeVisible();
    const shown = await page
      .locator('[data-summary-path]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-summary-code')}@${e.getAttribute('data-summary-path')}`));

    const r = await gql<{ submitDossier: { userErrors: { path: string[]; code: string }[] } }>(
      base,
      'mutation($i: SubmitDossierInput!, $k: String!) { submitDossier(input: $i, idempotencyKey: $k) { receipt { code } userErrors { path code } } }',
      { i: { procedureCode: entry.code, formData: data }, k: `parity-${entry.code}-${Date.now()}` },
      apiToken,
    );
    const api = r.submitDossier.userErrors
      .filter((e) => e.path[0] === 'formData')
      .map((e) => `${e.code}@${pointer(e.path)}`)
      .sort();
    expect([...shown].sort(), entry.code).toEqual(api);
    expect(api.length, entry.code).toBeGreaterThan(0);
    compared += 1;
  }
  expect(compared).toBe(entries.filter((e) => e.online_mode !== 'NONE').length);
  expect(compared).toBeGreaterThanOrEqual(20);
});
