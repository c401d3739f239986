import { expect, test } from '@playwright/test';
import { CITIZEN, attachPdf, fillCertifiedCopy, gql, signIn, token } from './helpers';

async function filed(baseURL: string, t: string): Promise<string[]> {
  const r = await gql<{ myDossiers: { nodes: { code: string | null }[] } }>(
    baseURL,
    '{ myDossiers(first: 100) { nodes { code } } }',
    {},
    t,
  );
  return r.myDossiers.nodes.map((n) => n.code).filter((c): c is string => c !== null);
}

// Once visited, the form works with no network; the filing waits in IndexedDB with its
// idempotency key and reaches the server exactly once — through a reload and with two tabs open
// when the connection returns.
test('a filing made offline is queued, survives a reload, and is filed exactly once when online', async ({
  page,
  context,
  baseURL,
}) => {
  const base = baseURL ?? '';
  const apiToken = await token(base, CITIZEN);
  const before = await filed(base, apiToken);

  await signIn(page, CITIZEN, '/ho-so');
  await page.goto('/thu-tuc/2.000815/nop');
  await expect(page.getByLabel('Họ, chữ đệm và tên')).toHaveValue('Nguyễn Văn An');
  // The service worker has precached the shell, the scripts and the wasm.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('offline')).toBeVisible();
  await fillCertifiedCopy(page, '1');
  await expect(page.getByTestId('fee-total')).toHaveText('4.000 đ');
  // The draft survives a reload (IndexedDB), offline too.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<string>((ok) => {
            const r = indexedDB.open('motcua', 1);
            r.onsuccess = () => {
              const all = r.result.transaction('drafts').objectStore('drafts').getAll();
              all.onsuccess = () => ok(JSON.stringify(all.result.map((d: { data: unknown }) => d.data)));
            };
          }),
      ),
    )
    .toContain('Bằng tốt nghiệp đại học');
  await page.reload();
  await expect(page.getByLabel('Tên giấy tờ')).toHaveValue('Bằng tốt nghiệp đại học');
  await expect(page.getByTestId('fee-total')).toHaveText('4.000 đ');
  await expect(page.getByTestId('due-at')).toBeVisible();
  await attachPdf(page);
  await expect(page.getByTestId('file')).toContainText('Sẽ tải lên khi có mạng');
  await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await expect(page.getByTestId('queued')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('queued')).toBeVisible();
  expect(await filed(base, apiToken)).toEqual(before);

  // A second tab is open too when the network returns: both try to send.
  const other = await context.newPage();
  await other.goto('/');
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await other.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(page.getByTestId('receipt')).toBeVisible({ timeout: 30_000 });
  const code = await page.getByTestId('receipt-code').innerText();

  await page.reload();
  await expect(page.getByTestId('receipt-code')).toHaveText(code);
  const after = await filed(base, apiToken);
  expect(after.length).toBe(before.length + 1);
  expect(after.filter((c) => c === code)).toHaveLength(1);
});
