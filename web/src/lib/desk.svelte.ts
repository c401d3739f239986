/**
 * The signed-in official as the desk sees them: their roles and agencies (from `me`). Pages and
 * buttons follow these roles and the core's transition table; the API stays the authority and
 * refuses what a role may not do, whatever a page shows.
 */
import { MeDocument, type MeQuery } from './api/generated/graphql';
import { ApiError, request } from './api/client';

export type Me = MeQuery['me'];
export type OfficialRole = Me['roles'][number]['role'];

export const desk = $state<{ me: Me | null; failed: string }>({ me: null, failed: '' });

export async function loadMe(): Promise<Me | null> {
  try {
    desk.me = (await request(MeDocument)).me;
    desk.failed = '';
  } catch (e) {
    desk.me = null;
    desk.failed = e instanceof ApiError ? e.code : 'ERROR';
  }
  return desk.me;
}

export function hasRole(me: Me | null, ...roles: OfficialRole[]): boolean {
  return !!me?.roles.some((r) => roles.includes(r.role));
}

/** A payload's first user error, or the API's code (`CONFLICT` for a stale version). */
export type Outcome = { ok: true } | { ok: false; code: string; message: string };

export async function act<T extends Record<string, { userErrors: { code: string; message: string }[] }>>(
  run: () => Promise<T>,
): Promise<Outcome> {
  try {
    const r = await run();
    const payload = Object.values(r)[0];
    const e = payload?.userErrors[0];
    return e ? { ok: false, code: e.code, message: payload.userErrors.map((u) => u.message).join(' ') } : { ok: true };
  } catch (e) {
    return e instanceof ApiError ? { ok: false, code: e.code, message: e.message } : { ok: false, code: 'ERROR', message: String(e) };
  }
}
