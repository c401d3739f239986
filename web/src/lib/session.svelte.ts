/**
 * The signed-in session: the access token (15 minutes) and the single-use refresh token, kept in
 * localStorage so that a reload or a queued offline filing can continue. The strict Content
 * Security Policy served with the app (no inline or foreign script) is what protects them.
 *
 * A refresh token works once, so two tabs refreshing together would sign each other out: the
 * refresh runs under a Web Lock, and a tab that waited uses the pair the other tab obtained.
 */
import { ApiError } from './api/error';
import { RefreshDocument, type LoginMutation } from './api/generated/graphql';

const KEY = 'motcua.session';

export type Account = NonNullable<LoginMutation['login']['account']>;

interface Stored {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  account: Account;
}

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export const session = $state<{ account: Account | null }>({
  account: typeof localStorage === 'undefined' ? null : (read()?.account ?? null),
});

/** Keeps the pair a sign-in or a refresh returned. */
export function remember(pair: {
  accessToken?: string | null;
  refreshToken?: string | null;
  expiresIn?: number | null;
  account?: Account | null;
}): void {
  if (!pair.accessToken || !pair.refreshToken || !pair.account) return;
  const stored: Stored = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + (pair.expiresIn ?? 900) * 1000,
    account: pair.account,
  };
  localStorage.setItem(KEY, JSON.stringify(stored));
  session.account = pair.account;
}

export function accessToken(): string | null {
  return read()?.accessToken ?? null;
}

export function signOutLocally(): void {
  localStorage.removeItem(KEY);
  session.account = null;
}

async function exchange(refreshToken: string): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: RefreshDocument.toString(), variables: { refreshToken } }),
    });
  } catch {
    // Offline: keep the session; the caller retries when the connection returns.
    throw new ApiError('NETWORK', 'network');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: { refreshToken: Parameters<typeof remember>[0] & { userErrors: unknown[] } };
  } | null;
  const pair = body?.data?.refreshToken;
  if (!pair?.accessToken) {
    signOutLocally();
    return null;
  }
  remember(pair);
  return pair.accessToken;
}

/** A fresh access token, refreshing once across every tab; `null` when signed out. */
export async function refreshSession(): Promise<string | null> {
  const before = read();
  if (!before) return null;
  const run = async (): Promise<string | null> => {
    const now = read();
    if (!now) return null;
    // Another tab refreshed while this one waited for the lock.
    if (now.refreshToken !== before.refreshToken) return now.accessToken;
    return exchange(now.refreshToken);
  };
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request('motcua-refresh', run);
  }
  return run();
}

/** Another tab signed in or out. */
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) session.account = read()?.account ?? null;
  });
}
