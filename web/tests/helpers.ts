import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'MotCua@2026!';
export const CITIZEN = '020090123456';
export const CITIZEN_2 = '020195654321';

/** The app's two wasm modules, by the URL the build gives them (`motcua_bg.<hash>.wasm`). */
export const WASM_MODULE = /motcua_bg\.[^/]+\.wasm$/;
/**
 * Whether a module's bytes are the form package's (371 KB) rather than the full core's (726 KB):
 * the build's names differ only by their hash.
 */
export function isFormModule(bytes: { length: number }): boolean {
  return bytes.length > 100_000 && bytes.length < 500_000;
}

/** A call to the API as a partner would make it (the browser tests check the page against it). */
export async function gql<T = Record<string, unknown>>(
  baseURL: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const r = await fetch(`${baseURL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await r.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

/**
 * Signs `identifier` in through the API. The per-account sign-in limit holds for tests too: when
 * it answers RATE_LIMITED, waits the `retryAfter` it gives and tries again.
 */
export async function token(baseURL: string, identifier: string): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const r = await gql<{ login: { accessToken: string | null; userErrors: unknown[] } }>(
        baseURL,
        'mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken userErrors { code message } } }',
        { i: identifier, p: PASSWORD },
      );
      if (!r.login.accessToken) throw new Error(JSON.stringify(r.login.userErrors));
      return r.login.accessToken;
    } catch (e) {
      const wait = /"retryAfter":(\d+)/.exec(String(e));
      if (!wait || attempt >= 5) throw e;
      await new Promise((done) => setTimeout(done, (Number(wait[1]) + 0.5) * 1000));
    }
  }
}

/**
 * Signs in through the page, as a citizen does. The per-account sign-in limit holds for the tests
 * too: when the page says to wait, the test waits as long as it says and signs in again.
 */
export async function signIn(page: Page, identifier: string, next = '/ho-so'): Promise<void> {
  await page.goto(`/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Số định danh cá nhân hoặc mã số thuế').fill(identifier);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  const target = new RegExp(`${next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    const limited = page.getByText(/Quá nhiều yêu cầu; vui lòng thử lại sau (\d+) giây/);
    await Promise.race([page.waitForURL(target).catch(() => undefined), limited.waitFor().catch(() => undefined)]);
    if (target.test(page.url())) return;
    const seconds = Number(/(\d+) giây/.exec((await limited.textContent().catch(() => '')) ?? '')?.[1] ?? 0);
    if (!seconds) break;
    await page.waitForTimeout((seconds + 0.5) * 1000);
  }
  await expect(page).toHaveURL(target);
}

/** A small, valid one-page PDF (the server parses every PDF it receives). */
export function pdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Fills the certified-copy form (2.000815): one document of `pages` pages, two copies. */
export async function fillCertifiedCopy(page: Page, pages: string): Promise<void> {
  await page.getByRole('button', { name: /Thêm: Giấy tờ cần chứng thực/ }).click();
  await page.getByLabel('Tên giấy tờ').fill('Bằng tốt nghiệp đại học');
  await page.getByLabel('Số trang của bản chính').fill(pages);
  await page.getByLabel('Số trang của bản chính').blur();
  await page.getByLabel('Số bản sao').fill('2');
  await page.getByLabel('Số bản sao').blur();
}

export async function attachPdf(page: Page): Promise<void> {
  await page
    .getByLabel(/Chọn tệp: Bản chính giấy tờ/)
    .setInputFiles({ name: 'bang-tot-nghiep.pdf', mimeType: 'application/pdf', buffer: pdf() });
}

const CLERKS = ['tiepnhan.dongkinh', 'tiepnhan.hanhchinhcong', 'tiepnhan.luongvantri', 'tiepnhan.tamthanh'];

/** The clerk whose intake queue holds the dossier `code`, and the dossier there. */
export async function atIntake(
  baseURL: string,
  code: string,
): Promise<{ token: string; id: string; version: number }> {
  for (const login of CLERKS) {
    const t = await token(baseURL, login);
    const r = await gql<{ intakeQueue: { nodes: { id: string; code: string; version: number }[] } }>(
      baseURL,
      '{ intakeQueue(first: 100) { nodes { id code version } } }',
      {},
      t,
    );
    const found = r.intakeQueue.nodes.find((n) => n.code === code);
    if (found) return { token: t, id: found.id, version: found.version };
  }
  throw new Error(`no clerk sees ${code}`);
}

/** A clerk receives the dossier `code` through the API. */
export async function receive(baseURL: string, code: string): Promise<void> {
  const { token: t, id, version } = await atIntake(baseURL, code);
  const r = await gql<{ receiveDossier: { userErrors: unknown[] } }>(
    baseURL,
    'mutation($id: ID!, $v: Int!) { receiveDossier(id: $id, version: $v) { userErrors { code message } } }',
    { id, v: version },
    t,
  );
  expect(r.receiveDossier.userErrors).toEqual([]);
}

/** Files a certified-copy dossier through the API, as a partner app would; returns its receipt. */
export async function fileThroughApi(
  base: string,
  citizen: string,
  key: string,
): Promise<{ code: string; dossierId: string }> {
  const draft = await gql<{ createDraft: { dossier: { uuid: string; formData: Record<string, unknown> } } }>(
    base,
    'mutation { createDraft(procedureCode: "2.000815") { dossier { uuid formData } } }',
    {},
    citizen,
  );
  const { uuid } = draft.createDraft.dossier;
  const upload = new FormData();
  upload.append(
    'operations',
    JSON.stringify({
      query: 'mutation($f: Upload!) { uploadAttachment(dossierId: "' + uuid + '", componentId: "ban-chinh", file: $f) { attachment { id } userErrors { code } } }',
      variables: { f: null },
    }),
  );
  upload.append('map', JSON.stringify({ 0: ['variables.f'] }));
  upload.append('0', new Blob([new Uint8Array(pdf())], { type: 'application/pdf' }), 'ban-chinh.pdf');
  const up = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${citizen}`, 'x-motcua-upload': '1' },
    body: upload,
  });
  expect(up.status).toBe(200);
  const filed = await gql<{ submitDossier: { receipt: { code: string; dossierId: string } | null; userErrors: unknown[] } }>(
    base,
    'mutation($i: SubmitDossierInput!, $k: String!) { submitDossier(input: $i, idempotencyKey: $k) { receipt { code dossierId } userErrors { path code message } } }',
    {
      k: key,
      i: {
        dossierId: uuid,
        procedureCode: '2.000815',
        formData: { ...draft.createDraft.dossier.formData, documents: [{ title: 'Sổ hộ khẩu', pages: 2, copies: 1 }] },
      },
    },
    citizen,
  );
  expect(filed.submitDossier.userErrors).toEqual([]);
  const receipt = filed.submitDossier.receipt;
  if (!receipt) throw new Error('not filed');
  return receipt;
}

/** Signs an official in at the desk's sign-in page. */
export async function deskSignIn(page: Page, username: string, next = '/can-bo'): Promise<void> {
  await page.goto(`/can-bo/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
}

/** Opens an action panel of the desk's dossier page, lets `fill` fill it, confirms. */
export async function deskAct(page: Page, action: string, fill?: () => Promise<void>): Promise<void> {
  const panel = page.locator(`details[data-action="${action}"]`);
  await panel.locator('summary').click();
  if (fill) await fill();
  await panel.getByRole('button', { name: /^Xác nhận/ }).click();
}
