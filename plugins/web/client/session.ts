import type { Session } from './api.ts';
import { kvGet, kvSet } from './store.ts';

/**
 * The login this page acts with. A tab's login lives in sessionStorage (`nx.session`); a device
 * session in IndexedDB (`kv` `session`), read once when the page starts (`loadSession`) so that
 * `session()` can answer at once afterwards. Neither is a password: a token the server can
 * revoke (users page, `DELETE /api/tokens/:id`) and that expires on its own.
 */
const KEY = 'nx.session';
let current: Session | null | undefined;

const fromTab = (): Session | null => {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
};

const live = (s: Session | null | undefined): Session | null =>
  s && (!s.expiresAt || s.expiresAt > new Date().toISOString()) ? s : null;

export function session(): Session | null {
  if (current === undefined) return live(fromTab());
  return current;
}

/** Reads the device session when the tab has none; call once before the page is drawn. */
export async function loadSession(): Promise<Session | null> {
  const tab = live(fromTab());
  current = tab ?? live(await kvGet<Session>('session').catch(() => undefined));
  return current;
}

/** Keeps a new login (where its kind says), or forgets the login and what was cached for it. */
export async function setSession(s: Session | null): Promise<void> {
  current = s;
  sessionStorage.removeItem(KEY);
  await kvSet('session', undefined).catch(() => undefined);
  if (s?.kind === 'device') await kvSet('session', s);
  else if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  // API answers cached for offline use belong to the user who fetched them.
  // (`nx-data-<login>`, see `sw/worker.ts`; also the older single `nx-data`).
  if ('caches' in globalThis) {
    const keys = await caches.keys().catch(() => [] as string[]);
    await Promise.all(
      keys.filter((k) => k.startsWith('nx-data')).map((k) => caches.delete(k).catch(() => false)),
    );
  }
  navigator.serviceWorker?.controller?.postMessage({ type: 'forget-data' });
}
