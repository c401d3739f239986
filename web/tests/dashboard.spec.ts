import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CITIZEN, deskSignIn, fileThroughApi, gql, receive, token } from './helpers';

test("the ward leader's dashboard shows the index from the API, drills down to the dossiers, and passes axe-core", async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const { code } = await fileThroughApi(base, await token(base, CITIZEN), `kpi-${Date.now()}`);
  await receive(base, code);

  await page.setViewportSize({ width: 1280, height: 900 });
  await deskSignIn(page, 'lanhdao.dongkinh', '/can-bo/chi-so');
  // The province first (a leader's first scope), with every agency and commune ranked; then the ward.
  await expect(page.getByTestId('kpi-total')).toBeVisible();
  await expect(page.getByTestId('kpi-ranking-agencies').getByRole('row')).not.toHaveCount(0);
  await expect(page.getByTestId('kpi-ranking-agencies')).toContainText('Ủy ban nhân dân phường Đông Kinh');
  await expect(page.getByTestId('kpi-ranking-communes')).toContainText('Phường Đông Kinh');
  await page.getByLabel('Phạm vi', { exact: true }).selectOption({ label: 'Ủy ban nhân dân phường Đông Kinh' });
  const year = String(new Date().getFullYear());
  await page.getByLabel('Kỳ', { exact: true }).selectOption(year);
  const share = page.locator('tr[data-indicator="ONLINE_SHARE"]');
  await expect(share).toBeVisible();

  // The page shows exactly what the API computes.
  const leader = await token(base, 'lanhdao.dongkinh');
  const agencies = await gql<{ agencies: { id: string; code: string }[] }>(base, '{ agencies { id code } }');
  const agencyId = agencies.agencies.find((a) => a.code === '000.00.51.H42')?.id;
  const api = await gql<{ qualityIndex: { totalCenti: number | null; groups: { indicators: { code: string; numerator: number; denominator: number }[] }[] } }>(
    base,
    'query($s: IndexScope!, $p: String!) { qualityIndex(scope: $s, period: $p) { totalCenti groups { indicators { code numerator denominator } } } }',
    { s: { kind: 'AGENCY', agencyId }, p: year },
    leader,
  );
  const online = api.qualityIndex.groups.flatMap((g) => g.indicators).find((i) => i.code === 'ONLINE_SHARE');
  expect(online?.denominator).toBeGreaterThan(0);
  await expect(share.locator('td').nth(1)).toHaveText(String(online?.numerator));
  await expect(share.locator('td').nth(2)).toHaveText(String(online?.denominator));

  // Drill down: the dossiers filed this year, newest (ours) first, each a link to the dossier,
  // a hundred at a time.
  await share.locator('td').nth(2).getByRole('button').click();
  const drill = page.getByTestId('kpi-drill');
  await expect(drill.getByRole('link', { name: code })).toBeVisible();
  await expect(drill.getByRole('listitem')).toHaveCount(Math.min(online?.denominator ?? -1, 100));
  await expect(drill.getByTestId('kpi-drill-count')).toContainText(`/ ${online?.denominator}`);

  // The spreadsheet downloads as XLSX (a zip).
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải Excel (XLSX)' }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toBe(`chi-so-766-${year}.xlsx`);
  expect(readFileSync(await file.path()).subarray(0, 2).toString()).toBe('PK');

  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
