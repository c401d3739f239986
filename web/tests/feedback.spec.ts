import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { CITIZEN_2, deskSignIn, signIn } from './helpers';

async function official(browser: Browser, username: string, next: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await deskSignIn(page, username, next);
  return page;
}

async function axe(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('anyone files feedback without an account; the ward answers and publishes it without the name', async ({ page, browser }) => {
  await page.goto('/phan-anh');
  expect(await axe(page)).toEqual([]);
  await page.getByLabel('Nội dung khác').check();
  await page.getByLabel('Cơ quan tiếp nhận').selectOption({ label: 'Ủy ban nhân dân phường Đông Kinh' });
  await page.getByLabel('Tiêu đề').fill('Góp ý giờ làm việc');
  await page.getByLabel('Nội dung phản ánh, kiến nghị').fill('Đề nghị bộ phận một cửa mở cửa sáng thứ Bảy để người đi làm nộp hồ sơ.');
  await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
  // No contact and no account: the core says so before anything is sent.
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page.getByText('Hãy để lại số điện thoại hoặc thư điện tử để nhận trả lời.')).toBeVisible();
  await page.getByLabel('Số điện thoại').fill('0987654321');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  await expect(page.getByTestId('feedback-filed')).toBeVisible();
  const code = (await page.getByTestId('feedback-code').innerText()).trim();
  expect(code).toMatch(/^PA\d{8}$/);

  const specialist = await official(browser, 'chuyenvien.dongkinh', '/can-bo/phan-anh');
  const item = specialist.locator(`[data-feedback="${code}"]`);
  await expect(item).toContainText('Trần Thị Bình');
  expect(await axe(specialist)).toEqual([]);
  await item.getByLabel('Trả lời').fill('Bộ phận một cửa phường sẽ mở cửa sáng thứ Bảy từ tháng sau. Cảm ơn bà Trần Thị Bình.');
  await item.getByRole('button', { name: 'Trả lời' }).click();
  await expect(specialist.locator(`[data-feedback="${code}"][data-status="ANSWERED"]`)).toBeVisible();
  // Publishing is the leader's.
  await expect(specialist.locator(`[data-feedback="${code}"]`).getByRole('button', { name: 'Công khai trả lời' })).toHaveCount(0);

  const leader = await official(browser, 'lanhdao.dongkinh', '/can-bo/phan-anh');
  await leader.locator(`[data-feedback="${code}"]`).getByRole('button', { name: 'Công khai trả lời' }).click();
  await expect(leader.locator(`[data-feedback="${code}"][data-status="PUBLISHED"]`)).toBeVisible();

  await page.goto('/phan-anh');
  const published = page.getByTestId('feedback-published');
  await expect(published).toContainText('mở cửa sáng thứ Bảy từ tháng sau');
  await expect(published).not.toContainText('Trần Thị Bình');
  await expect(published).not.toContainText('0987654321');
});

test('the ward asks the signed-in author for information, the author replies and rates the answer', async ({ page, browser }) => {
  await signIn(page, CITIZEN_2, '/phan-anh');
  await page.getByLabel('Nội dung khác').check();
  await page.getByLabel('Cơ quan tiếp nhận').selectOption({ label: 'Ủy ban nhân dân phường Đông Kinh' });
  await page.getByLabel('Tiêu đề').fill('Chỗ để xe ở bộ phận một cửa');
  await page.getByLabel('Nội dung phản ánh, kiến nghị').fill('Đề nghị bố trí thêm chỗ để xe cho người dân đến nộp hồ sơ.');
  await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
  const code = (await page.getByTestId('feedback-code').innerText()).trim();

  const specialist = await official(browser, 'chuyenvien.dongkinh', '/can-bo/phan-anh');
  const item = specialist.locator(`[data-feedback="${code}"]`);
  await item.getByLabel('Câu hỏi cho người gửi, hoặc lý do từ chối').fill('Ông/bà cho biết bộ phận một cửa ở địa chỉ nào?');
  await item.getByRole('button', { name: 'Hỏi thêm thông tin' }).click();
  await expect(specialist.locator(`[data-feedback="${code}"][data-status="INFO_REQUESTED"]`)).toBeVisible();

  // The author sees the question on the same page and replies.
  await page.goto('/phan-anh');
  const mine = page.getByTestId('my-feedback').locator(`[data-feedback="${code}"]`);
  await expect(mine).toContainText('Ông/bà cho biết bộ phận một cửa ở địa chỉ nào?');
  expect(await axe(page)).toEqual([]);
  await mine.getByLabel('Người gửi trả lời').fill('Bộ phận một cửa phường Đông Kinh, số 1 Lê Lợi.');
  await mine.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click();
  await expect(page.locator(`[data-feedback="${code}"][data-status="RECEIVED"]`)).toBeVisible();

  await specialist.reload();
  const again = specialist.locator(`[data-feedback="${code}"]`);
  await expect(again).toContainText('số 1 Lê Lợi');
  await again.getByLabel('Trả lời', { exact: true }).fill('Phường sẽ bố trí thêm chỗ để xe từ tháng sau.');
  await again.getByRole('button', { name: 'Trả lời', exact: true }).click();
  await expect(specialist.locator(`[data-feedback="${code}"][data-status="ANSWERED"]`)).toBeVisible();

  // Rated once by the author; the agency sees the rating.
  await page.reload();
  const answered = page.locator(`[data-feedback="${code}"]`);
  await answered.getByRole('button', { name: 'Rất hài lòng' }).click();
  await expect(answered).toContainText('Đánh giá câu trả lời: Rất hài lòng');
  await expect(answered.getByRole('button', { name: 'Hài lòng', exact: true })).toHaveCount(0);
  await specialist.reload();
  await expect(specialist.locator(`[data-feedback="${code}"]`).getByTestId('feedback-rating')).toContainText('Rất hài lòng');
});
