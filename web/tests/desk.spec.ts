import { expect, test, type Browser, type Page } from '@playwright/test';
import { CITIZEN, deskAct, deskSignIn, fileThroughApi, gql, pdf, signIn, token } from './helpers';

async function official(browser: Browser, username: string, next = '/can-bo'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await deskSignIn(page, username, next);
  return page;
}

/** The clerk files a walk-in citizen's certified-copy request at the desk; returns its code and desk path. */
async function fileAtDesk(clerk: Page, base: string): Promise<{ code: string; path: string }> {
  await clerk.goto('/can-bo/nop-tai-quay');
  await clerk.getByLabel('Thủ tục').selectOption('2.000815');
  // The citizen shows the one-time code from their account; the clerk's form is filled from it.
  const shown = await gql<{ requestDeskCheckCode: { code: string } }>(
    base,
    'mutation { requestDeskCheckCode { code } }',
    {},
    await token(base, CITIZEN),
  );
  await clerk.getByLabel('Số định danh của người nộp').fill(CITIZEN);
  await clerk.getByLabel(/Mã xác minh công dân/).fill(shown.requestDeskCheckCode.code);
  await clerk.getByRole('button', { name: 'Điền thông tin' }).click();
  await expect(clerk.getByLabel('Họ, chữ đệm và tên')).toHaveValue('Nguyễn Văn An');
  await expect(clerk.getByLabel('Số định danh cá nhân')).toHaveValue(CITIZEN);
  await expect(clerk.getByLabel('Số điện thoại')).toHaveValue('0912345678');
  await clerk.getByRole('button', { name: /Thêm: Giấy tờ cần chứng thực/ }).click();
  await clerk.getByLabel('Tên giấy tờ').fill('Giấy khai sinh');
  await clerk.getByLabel('Số trang của bản chính').fill('1');
  await clerk.getByLabel('Số bản sao').fill('2');
  await clerk.getByLabel(/^Bản chính giấy tờ/).setInputFiles({ name: 'ban-chinh.pdf', mimeType: 'application/pdf', buffer: pdf() });
  const printed = clerk.waitForEvent('download');
  await clerk.getByRole('button', { name: 'Nộp và tiếp nhận' }).click();
  await expect(clerk.getByTestId('desk-receipt')).toBeVisible();
  const download = await printed;
  expect(download.suggestedFilename()).toMatch(/mau-01\.pdf$/);
  const code = await clerk.getByTestId('desk-code').innerText();
  await clerk.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await expect(clerk.getByTestId('desk-status')).toHaveText('Được tiếp nhận');
  return { code, path: new URL(clerk.url()).pathname };
}

test('a walk-in dossier goes through the desk, processing, a hand-over to the provincial police and back, and is returned', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const clerk = await official(browser, 'tiepnhan.dongkinh');
  const { code, path } = await fileAtDesk(clerk, baseURL ?? '');

  const specialist = await official(browser, 'chuyenvien.dongkinh');
  // Desk filing is the clerk's: not in the specialist's menu, refused on the page (and by the API).
  await expect(specialist.getByRole('link', { name: 'Nộp hồ sơ tại quầy' })).toHaveCount(0);
  await specialist.goto('/can-bo/nop-tai-quay');
  await expect(specialist.getByTestId('not-permitted')).toBeVisible();
  await specialist.goto('/can-bo');
  await expect(specialist.getByTestId('queue')).toContainText(code);
  await specialist.getByRole('link', { name: code }).click();
  await deskAct(specialist, 'START_PROCESSING');
  await expect(specialist.getByTestId('desk-status')).toHaveText('Đang xử lý');
  await deskAct(specialist, 'HAND_OVER', async () => {
    await specialist.getByLabel('Chuyển đến cơ quan').selectOption({ label: 'Công an tỉnh Lạng Sơn' });
    await specialist.getByLabel('Kết quả bước này').fill('Đã kiểm tra hồ sơ');
  });
  await expect(specialist.getByTestId('print-06')).toBeVisible();

  const police = await official(browser, 'chuyenvien.congan', path);
  await deskAct(police, 'HAND_OVER', async () => {
    await police.getByLabel('Chuyển đến cơ quan').selectOption({ label: 'Ủy ban nhân dân phường Đông Kinh' });
    await police.getByLabel('Kết quả bước này').fill('Xác minh xong');
  });
  await expect(police.getByTestId('action-done')).toBeVisible();

  const leader = await official(browser, 'lanhdao.dongkinh', path);
  await deskAct(leader, 'RESOLVE', async () => {
    await leader.getByLabel('Tệp kết quả').setInputFiles({ name: 'ket-qua.pdf', mimeType: 'application/pdf', buffer: pdf() });
  });
  await expect(leader.getByTestId('desk-status')).toHaveText('Đã xử lý xong');

  await clerk.reload();
  await deskAct(clerk, 'RETURN_RESULT');
  await expect(clerk.getByTestId('desk-status')).toHaveText('Đã trả kết quả');

  // The citizen sees it returned, with the result to download.
  const citizenContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const citizen = await citizenContext.newPage();
  await signIn(citizen, CITIZEN, '/ho-so');
  await citizen.getByRole('link', { name: code }).click();
  await expect(citizen.getByTestId('dossier-status')).toHaveText('Đã trả kết quả');
  await expect(citizen.getByRole('button', { name: 'Tải kết quả' })).toBeVisible();
});

test("a clerk acting on a dossier another clerk has just received gets the conflict and changes nothing", async ({
  browser,
  baseURL,
}) => {
  const base = baseURL ?? '';
  // An online filing waiting for intake.
  const citizen = await token(base, CITIZEN);
  const filed = await fileThroughApi(base, citizen, `conflict-${Date.now()}`);
  const path = `/can-bo/ho-so/${encodeURIComponent(filed.dossierId)}`;
  const first = await official(browser, 'tiepnhan.dongkinh', path);
  const second = await official(browser, 'tiepnhan.dongkinh', path);
  await second.locator('details[data-action="REFUSE"] summary').click();
  await second.locator('details[data-action="REFUSE"]').getByLabel('Lý do').fill('Hồ sơ không đúng thẩm quyền');

  await deskAct(first, 'RECEIVE');
  await expect(first.getByTestId('desk-status')).toHaveText('Được tiếp nhận');

  await second.locator('details[data-action="REFUSE"]').getByRole('button', { name: /^Xác nhận/ }).click();
  await expect(second.getByTestId('conflict')).toContainText('Hồ sơ đã được người khác thay đổi');
  const clerkToken = await token(base, 'tiepnhan.dongkinh');
  const r = await gql<{ dossier: { status: string; history: { action: string }[] } }>(
    base,
    'query($id: ID!) { dossier(id: $id) { status history { action } } }',
    { id: filed.dossierId },
    clerkToken,
  );
  expect(r.dossier.status).toBe('RECEIVED');
  expect(r.dossier.history.map((h) => h.action)).toEqual(['SUBMIT', 'RECEIVE']);
  await second.getByRole('button', { name: 'Tải lại hồ sơ' }).click();
  await expect(second.getByTestId('desk-status')).toHaveText('Được tiếp nhận');
});

test("a clerk of another ward sees none of it, on the page or through the API", async ({ browser, baseURL }) => {
  const base = baseURL ?? '';
  const citizen = await token(base, CITIZEN);
  const filed = await fileThroughApi(base, citizen, `other-ward-${Date.now()}`);
  const other = await official(browser, 'tiepnhan.luongvantri');
  await expect(other.getByText('Không có hồ sơ.').or(other.getByTestId('queue'))).toBeVisible();
  await expect(other.locator('main')).not.toContainText(filed.code);
  await other.goto(`/can-bo/ho-so/${encodeURIComponent(filed.dossierId)}`);
  await expect(other.getByRole('alert')).toBeVisible();
  await expect(other.locator('main')).not.toContainText(filed.code);
  const otherToken = await token(base, 'tiepnhan.luongvantri');
  const r = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${otherToken}` },
    body: JSON.stringify({ query: 'query($id: ID!) { dossier(id: $id) { code } }', variables: { id: filed.dossierId } }),
  });
  const body = (await r.json()) as { data: unknown; errors?: { extensions?: { code?: string } }[] };
  expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const search = await gql<{ searchDossiers: { nodes: unknown[] } }>(
    base,
    'query($t: String!) { searchDossiers(text: $t) { nodes { id } } }',
    { t: filed.code },
    otherToken,
  );
  expect(search.searchDossiers.nodes).toEqual([]);
});
