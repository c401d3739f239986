import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { CITIZEN, fileThroughApi, gql, receive, signIn, token } from './helpers';

/** Takes a received dossier through processing to the returned result, as the ward's officials. */
async function toReturned(base: string, id: string): Promise<void> {
  const steps: [string, string][] = [
    ['chuyenvien.dongkinh', 'startProcessing'],
    ['lanhdao.dongkinh', 'resolveDossier'],
    ['tiepnhan.dongkinh', 'returnResult'],
  ];
  for (const [who, mutation] of steps) {
    const t = await token(base, who);
    const d = await gql<{ dossier: { version: number } }>(base, 'query($id: ID!) { dossier(id: $id) { version } }', { id }, t);
    const r = await gql<Record<string, { userErrors: unknown[] }>>(
      base,
      `mutation($id: ID!, $v: Int!) { ${mutation}(id: $id, version: $v) { userErrors { code message } } }`,
      { id, v: d.dossier.version },
      t,
    );
    expect(r[mutation]?.userErrors).toEqual([]);
  }
}

test('a citizen rates a returned dossier once; the core names what is missing first', async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const { code, dossierId } = await fileThroughApi(base, await token(base, CITIZEN), `rate-${Date.now()}`);
  await receive(base, code);
  await toReturned(base, dossierId);

  await signIn(page, CITIZEN, `/ho-so/${encodeURIComponent(dossierId)}`);
  const survey = page.getByTestId('survey');
  await expect(survey.getByRole('group')).toHaveCount(11);
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map((v) => v.id)).toEqual([]);
  const groups = survey.getByRole('group');
  for (let i = 0; i < 9; i += 1) {
    if (i !== 6) await groups.nth(i).getByLabel('Tốt', { exact: true }).check();
  }
  await groups.nth(9).getByLabel('Hài lòng', { exact: true }).check();
  // Sent with the seventh indicator and the overall question unanswered: nothing goes out.
  await survey.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(groups.nth(6)).toContainText('Hãy chọn mức đánh giá cho tiêu chí này.');
  await expect(groups.nth(10)).toContainText('Hãy chọn một câu trả lời.');
  await groups.nth(6).getByLabel('Trung bình', { exact: true }).check();
  await groups.nth(10).getByLabel('Rất hài lòng', { exact: true }).check();
  await survey.getByLabel('Ý kiến khác (không bắt buộc)').fill('Cán bộ hướng dẫn tận tình.');
  await survey.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await expect(page.getByTestId('rated')).toContainText('Rất hài lòng');
  await expect(page.getByTestId('survey')).toHaveCount(0);

  // The API has it once: 17 points.
  const d = await gql<{ dossier: { canRate: boolean; satisfaction: { points: number } } }>(
    base,
    'query($id: ID!) { dossier(id: $id) { canRate satisfaction { points } } }',
    { id: dossierId },
    await token(base, CITIZEN),
  );
  expect(d.dossier).toEqual({ canRate: false, satisfaction: { points: 17 } });
});
