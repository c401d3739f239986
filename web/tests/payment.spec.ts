import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CITIZEN, atIntake, deskSignIn, fileThroughApi, gql, signIn, token } from './helpers';

/**
 * Paying a dossier's fee from the portal through the gateway simulator's own page (a real
 * process, `motcua payment-sim`, started beside the server by playwright.config.ts): the page
 * waits for the gateway's signed callback, never for the return address (W6). Then the desk sees
 * the payment, a clerk proposes a refund and the agency's leader approves it on the
 * reconciliation page (two people).
 */

/** The page's WCAG 2.1 AA violations (none expected). */
async function axe(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function official(browser: Browser, username: string, next: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await deskSignIn(page, username, next);
  return page;
}

test('a citizen cancels at the gateway, pays again, gets the receipt; the desk refunds with two people', async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const base = baseURL ?? '';
  const citizen = await token(base, CITIZEN);
  const { code, dossierId } = await fileThroughApi(base, citizen, `pay-${Date.now()}`);
  // The Đông Kinh desk (the one with a leader in the demo data) has it.
  const { token: clerkToken } = await atIntake(base, code);
  const me = await gql<{ me: { login: string } }>(base, '{ me { login } }', {}, clerkToken);
  expect(me.me.login).toBe('tiepnhan.dongkinh');

  await signIn(page, CITIZEN, `/ho-so/${encodeURIComponent(dossierId)}`);
  const pay = page.getByTestId('pay-online');
  await expect(pay.getByTestId('pay-amount')).toHaveText(/\d.* đ$/);
  const amount = await pay.getByTestId('pay-amount').innerText();
  expect(await axe(page)).toEqual([]);

  // First attempt through the national platform: cancelled at the gateway.
  await pay.getByLabel('Nền tảng thanh toán quốc gia', { exact: false }).check();
  await pay.getByRole('button', { name: /^Thanh toán/ }).click();
  await expect(page).toHaveURL(/\/paygov\/pay\//);
  // The gateway shows the amount the portal showed (the server's quote, in whole VND).
  await expect(page.locator('#amount')).toHaveText(`${amount.replace(/\D/g, '')} VND`);
  await page.getByRole('button', { name: 'Huỷ giao dịch' }).click();
  await expect(page).toHaveURL(/\/ho-so\/.+\?thanh-toan=MC\d{16}$/);
  await expect(pay.getByTestId('pay-failed')).toBeVisible();
  await expect(pay.locator('[data-status="FAILED"]')).toHaveCount(1);

  // Second attempt through the bank gateway: paid; the page shows it once the IPN is processed.
  await pay.getByLabel('VNPay', { exact: false }).check();
  await pay.getByRole('button', { name: /^Thanh toán/ }).click();
  await expect(page).toHaveURL(/\/vnpay\/paymentv2\//);
  await page.getByRole('button', { name: 'Xác nhận thanh toán' }).click();
  await expect(page).toHaveURL(/\/ho-so\/.+\?thanh-toan=MC\d{16}$/);
  await expect(pay.getByTestId('pay-paid')).toBeVisible();
  await expect(pay.getByRole('button', { name: /^Thanh toán/ })).toHaveCount(0);
  const paid = pay.locator('[data-status="PAID"]');
  await expect(paid).toHaveCount(1);
  const reference = await paid.getAttribute('data-reference');

  // The electronic receipt downloads as a PDF.
  const saved = page.waitForEvent('download');
  await paid.getByRole('button', { name: /Tải biên lai điện tử/ }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toMatch(/bien-lai-BL-\d{8}\.pdf$/);
  expect(readFileSync(await file.path()).subarray(0, 5).toString()).toBe('%PDF-');

  // The API agrees: one paid payment (the cancelled one stays failed).
  const d = await gql<{ dossier: { canPayOnline: boolean; payments: { status: string; reference: string }[] } }>(
    base,
    'query($id: ID!) { dossier(id: $id) { canPayOnline payments { status reference } } }',
    { id: dossierId },
    citizen,
  );
  expect(d.dossier.canPayOnline).toBe(false);
  expect(d.dossier.payments.filter((p) => p.status === 'PAID').map((p) => p.reference)).toEqual([reference]);

  // The desk: the clerk sees the payment and proposes a refund.
  const clerk = await official(browser, 'tiepnhan.dongkinh', `/can-bo/ho-so/${encodeURIComponent(dossierId)}`);
  const panel = clerk.getByTestId('desk-payments');
  await expect(panel.locator(`[data-reference="${reference}"][data-status="PAID"]`)).toBeVisible();
  await panel.getByText('Đề nghị hoàn tiền').first().click();
  await panel.getByLabel('Lý do').fill('Công dân rút hồ sơ trước khi xử lý');
  await panel.getByRole('button', { name: 'Đề nghị hoàn tiền' }).click();
  await expect(panel.locator('[data-state="PROPOSED"]')).toContainText('Chờ lãnh đạo duyệt');
  // A clerk has no approve button.
  await expect(panel.getByRole('button', { name: 'Duyệt hoàn tiền' })).toHaveCount(0);

  // The leader approves it from the reconciliation page, which explains every line of the day.
  const leader = await official(browser, 'lanhdao.dongkinh', '/can-bo/doi-soat');
  await expect(leader.getByTestId('settlement')).toBeVisible();
  await expect(leader.locator(`tr[data-reference="${reference}"]`)).toBeVisible();
  await expect(leader.getByTestId('unexplained')).toHaveText('0');
  expect(await axe(leader)).toEqual([]);
  const csv = leader.waitForEvent('download');
  await leader.getByRole('button', { name: 'Tải CSV' }).click();
  expect(readFileSync(await (await csv).path()).toString()).toContain(reference ?? 'missing');
  const waiting = leader.getByTestId('refunds-waiting');
  await expect(waiting).toContainText(reference ?? 'missing');
  await waiting.getByRole('button', { name: 'Duyệt hoàn tiền' }).click();
  await expect(leader.getByText('Không có hồ sơ.')).toBeVisible();

  // The citizen's page shows the refund.
  await page.reload();
  await expect(pay.locator(`[data-reference="${reference}"]`)).toContainText('Đã hoàn');
});
