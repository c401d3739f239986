import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { CITIZEN, attachPdf, fileThroughApi, fillCertifiedCopy, signIn, token } from './helpers';

const SCREENS = 'artifacts/screens';

/** No axe violation (WCAG 2.1 A and AA), nothing wider than the 360 px screen, and a screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, name).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}

test('every page passes axe-core and fits a 360 px phone, in Vietnamese and English', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  await page.goto('/');
  await expect(page.getByTestId('results')).toBeVisible();
  await check(page, 'home');
  await page.goto('/thu-tuc/2.000815');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await check(page, 'procedure');
  await page.goto('/dang-nhap');
  await check(page, 'sign-in');
  await page.goto('/dang-ky');
  await check(page, 'register');

  // A lookup by code and ID number, as the printed QR code opens it.
  const citizen = await token(base, CITIZEN);
  const filed = await fileThroughApi(base, citizen, 'a11y-1');
  await page.goto(`/tra-cuu?ma=${encodeURIComponent(filed.code)}`);
  await page.getByLabel('Số định danh của người nộp').fill(CITIZEN);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await expect(page.getByTestId('lookup-result')).toBeVisible();
  await check(page, 'lookup');

  await signIn(page, CITIZEN, '/ho-so');
  await check(page, 'my-dossiers');
  await page.goto(`/ho-so/${encodeURIComponent(filed.dossierId)}`);
  await expect(page.getByTestId('timeline')).toBeVisible();
  await check(page, 'dossier');

  // The form with the core's messages showing.
  await page.goto('/thu-tuc/2.000815/nop');
  await expect(page.getByTestId('fee')).toBeVisible();
  await fillCertifiedCopy(page, '0');
  await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await expect(page.getByTestId('summary')).toBeVisible();
  await check(page, 'form-with-errors');
  await page.getByLabel('Số trang của bản chính').fill('1');
  await attachPdf(page);
  await expect(page.getByTestId('file')).toContainText('Đã tải lên');
  await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  await check(page, 'receipt');
  await page.goto('/thu-tuc/2.000815/nop');
  await expect(page.getByTestId('fee')).toBeVisible();

  // English.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('button', { name: 'File the dossier' })).toBeVisible();
  await check(page, 'form-english');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find an administrative procedure');
  await check(page, 'home-english');
  await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
});
