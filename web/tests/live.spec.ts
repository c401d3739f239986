import { expect, test } from '@playwright/test';
import { CITIZEN_2, atIntake, fileThroughApi, gql, signIn, token } from './helpers';

// The citizen's open dossier page follows the clerk: received, then a supplement requested, each
// shown without a reload (the subscription over /graphql/ws).
test("a clerk's actions through the API appear on the citizen's open page without reload", async ({ page, baseURL }) => {
  const base = baseURL ?? '';
  const citizen = await token(base, CITIZEN_2);
  const receipt = await fileThroughApi(base, citizen, 'live-1');

  await signIn(page, CITIZEN_2, `/ho-so/${encodeURIComponent(receipt.dossierId)}`);
  await expect(page.getByTestId('dossier-status')).toHaveText('Mới đăng ký');

  const clerk = await atIntake(base, receipt.code);
  const asked = await gql<{ requestSupplement: { userErrors: unknown[] } }>(
    base,
    'mutation($id: ID!, $v: Int!) { requestSupplement(id: $id, version: $v, reason: "Bản chụp bị mờ, vui lòng tải lại.", missing: ["ban-chinh"]) { userErrors { code message } } }',
    { id: clerk.id, v: clerk.version },
    clerk.token,
  );
  expect(asked.requestSupplement.userErrors).toEqual([]);

  // No reload: the page heard it.
  await expect(page.getByTestId('dossier-status')).not.toHaveText('Mới đăng ký');
  await expect(page.getByTestId('supplement')).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText('Bản chụp bị mờ');
});
