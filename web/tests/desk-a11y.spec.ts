import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { CITIZEN, deskSignIn, fileThroughApi, token } from './helpers';

const SCREENS = 'artifacts/screens';

async function check(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    name,
  ).toEqual([]);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true });
}

test('every desk page passes axe-core, and a clerk receives a dossier with the keyboard alone', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const filed = await fileThroughApi(base, await token(base, CITIZEN), `keyboard-${Date.now()}`);

  await page.goto('/can-bo/dang-nhap');
  await check(page, 'desk-sign-in');
  await deskSignIn(page, 'tiepnhan.dongkinh');
  await expect(page.getByTestId('queue')).toBeVisible();
  await check(page, 'desk-queue');

  // Keyboard only: / to search, the code, Enter, Esc, Enter opens the first row; Tab to the
  // "Tiếp nhận" action, Enter opens it, Tab to its button, Enter receives.
  await page.keyboard.press('/');
  await page.keyboard.type(filed.code);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue')).toContainText(filed.code);
  await expect(page.getByTestId('queue').locator('tbody tr')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-status')).toHaveText('Mới đăng ký');
  await check(page, 'desk-dossier');
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (text === 'Tiếp nhận') break;
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveText(/Xác nhận: Tiếp nhận/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-status')).toHaveText('Được tiếp nhận');
  await expect(page.getByTestId('print-01')).toBeVisible();

  await page.goto('/can-bo/nop-tai-quay');
  await page.getByLabel('Thủ tục').selectOption('2.000815');
  await expect(page.getByTestId('desk-form')).toBeVisible();
  await check(page, 'desk-filing');

  await deskSignIn(page, 'chuyenvien.dongkinh');
  await expect(page.getByTestId('queue').or(page.getByText('Không có hồ sơ.'))).toBeVisible();
  await check(page, 'desk-inbox');
});
