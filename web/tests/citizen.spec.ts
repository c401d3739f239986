import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CITIZEN, WASM_MODULE, attachPdf, fillCertifiedCopy, isFormModule, receive, signIn } from './helpers';

// The citizen's whole path on a phone: sign in, find the procedure without diacritics, make a
// mistake and see the core's message under the field, fix it, see the fee and the due date, attach
// a PDF, file, get the receipt, and form 01 as soon as a clerk receives the dossier.
test('a citizen files a certified copy request from a phone and gets the receipt, then form 01 once received', async ({ page }) => {
  await signIn(page, CITIZEN, '/ho-so');

  await page.goto('/');
  await page.getByLabel('Tên hoặc mã thủ tục').fill('chung thuc ban sao');
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.getByRole('link', { name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chứng thực bản sao từ bản chính giấy tờ, văn bản');
  // Pointing at the link starts loading the form engine (the form package, not the full core).
  const fileLink = page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' });
  const warmed = page.waitForRequest(WASM_MODULE);
  await fileLink.hover();
  const module = await (await (await warmed).response())?.body();
  expect(isFormModule(module ?? [])).toBe(true);
  await fileLink.click();

  // Prefilled from the profile.
  await expect(page.getByLabel('Họ, chữ đệm và tên')).toHaveValue('Nguyễn Văn An');

  // A mistake: an original of 0 pages. The core's message appears under that field.
  await fillCertifiedCopy(page, '0');
  const pages = page.getByLabel('Số trang của bản chính');
  await expect(pages).toHaveAttribute('aria-invalid', 'true');
  const message = page.locator('[data-violation][data-path="/documents/0/pages"]');
  await expect(message).toHaveAttribute('data-code', 'BELOW_MINIMUM');
  await expect(message).toContainText('Số trang của bản chính');

  // Fixed: 3 pages, 2 copies → (2 × 2.000 + 1 × 1.000) × 2 = 10.000 đ, computed on the phone.
  await pages.fill('3');
  await expect(message).toHaveCount(0);
  await expect(page.getByTestId('fee-total')).toHaveText('10.000 đ');
  await expect(page.getByTestId('due-at')).toHaveText(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);

  await attachPdf(page);
  await expect(page.getByTestId('file')).toContainText('Đã tải lên');

  await page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click();
  await expect(page.getByTestId('receipt')).toBeVisible();
  const code = await page.getByTestId('receipt-code').innerText();
  expect(code).toMatch(/^[0-9A-Z.]+-\d{6}-\d{4,}$/);
  await expect(page.getByTestId('receipt-fee')).toHaveText('10.000 đ');

  // Form 01 is issued at intake: a clerk receives the dossier, and the open receipt offers it
  // without a reload.
  await expect(page.getByTestId('form01')).toHaveCount(0);
  await receive(test.info().project.use.baseURL ?? '', code);
  await expect(page.getByTestId('receipt-status')).toHaveText('Được tiếp nhận');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('form01').click();
  const download = await downloading;
  const path = await download.path();
  expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(download.suggestedFilename()).toContain(code);
});

// The form engine comes first and alone: the form is checked while the full core (the fee, the
// due date) has not arrived. A full core whose download fails is loaded again on "Thử lại".
test.describe('when the full core does not arrive', () => {
  // Without the service worker the page's own requests are the ones that reach the route.
  test.use({ serviceWorkers: 'block' });

  test('the filing page checks the form, says the fee is not loaded, and loads it again when asked', async ({ page }) => {
    let cutOff = true;
    await page.route(WASM_MODULE, async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      // The full module is cut off; the form package's goes through.
      if (cutOff && !isFormModule(body)) await route.abort('internetdisconnected');
      else await route.fulfill({ response, body });
    });
    await signIn(page, CITIZEN, '/ho-so');
    await page.goto('/thu-tuc/2.000815/nop');
    await expect(page.getByLabel('Họ, chữ đệm và tên')).toHaveValue('Nguyễn Văn An');

    await fillCertifiedCopy(page, '0');
    const message = page.locator('[data-violation][data-path="/documents/0/pages"]');
    await expect(message).toHaveAttribute('data-code', 'BELOW_MINIMUM');
    await expect(page.getByText('Không kết nối được máy chủ. Vui lòng thử lại.')).toBeVisible();
    await expect(page.getByTestId('fee-total')).toHaveCount(0);

    cutOff = false;
    await page.getByRole('button', { name: 'Thử lại' }).click();
    await page.getByLabel('Số trang của bản chính').fill('3');
    await expect(message).toHaveCount(0);
    await expect(page.getByTestId('fee-total')).toHaveText('10.000 đ');
    await expect(page.getByTestId('due-at')).toBeVisible();
  });
});
