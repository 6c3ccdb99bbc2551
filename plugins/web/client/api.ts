import { session, setSession } from './session.ts';

/**
 * Calls to the HTTP API with the bearer token of the login. The browser never attaches it by
 * itself, so another site cannot make a request in the user's name: no ambient credential, no
 * CSRF. The custom header is a second guard a proxy can check: a cross-site form cannot set it.
 * Where the token is kept: a login of this tab only in sessionStorage (gone when the tab closes);
 * a device session (“keep me signed in on this device”) in IndexedDB, until it expires or is
 * revoked (`session.ts`).
 */
export interface ErrorDetail {
  path: string;
  code: string;
  message: { 'zh-CN': string; en: string };
  hint?: { 'zh-CN': string; en: string };
}

export interface Session {
  token: string;
  /** `device`: kept on this device until `expiresAt`; else this tab only. */
  kind?: 'session' | 'device';
  expiresAt?: string;
  user: { id: string; username: string; displayName: string | null; orgUnit: string; roles: string[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: { code?: string; message?: { 'zh-CN': string; en: string }; errors?: ErrorDetail[] },
  ) {
    super(`${status} ${code}`);
  }
}

/** Thrown when the request never reached the server (offline, DNS, dropped connection). */
export class NetworkError extends Error {}

export { loadSession, session, setSession } from './session.ts';

export function hasRole(...roles: string[]): boolean {
  const s = session();
  return !!s && s.user.roles.some((r) => roles.includes(r));
}

/** GET answers asked before the page's code was ready for them (`prefetch`), by URL, used once. */
const early = new Map<string, Promise<unknown>>();

/**
 * Asks for `url` now, while the page's modules still load and run; the page's own
 * `api('GET', url)` then takes this answer (or its error) instead of asking again.
 */
export function prefetch(url: string): void {
  if (early.has(url)) return;
  const p = api('GET', url);
  p.catch(() => undefined); // the page that takes it handles the error; until then it is no rejection
  early.set(url, p);
}

/** The digest of each GET answer the service worker gave from its cache or stored (`x-nx-digest`). */
const digests = new Map<string, string>();

/**
 * Whether the definition at `url` the page was given from the service worker's cache is older
 * than the one the worker's background refresh brought: asks the worker for the newest digest it
 * holds (after the refresh under way) and compares. `false` when the worker is not in control,
 * does not answer within `waitMs`, or the answer did not come through it.
 */
export async function newerThanGiven(url: string, waitMs = 15_000): Promise<boolean> {
  const given = digests.get(url);
  const worker = navigator.serviceWorker?.controller;
  const s = session();
  if (!given || !worker || !s) return false;
  const newest = await new Promise<string | null>((ok) => {
    const channel = new MessageChannel();
    const t = setTimeout(() => ok(null), waitMs);
    channel.port1.onmessage = (e: MessageEvent<{ digest?: string | null }>) => {
      clearTimeout(t);
      ok(e.data?.digest ?? null);
    };
    worker.postMessage({ type: 'form-fresh', url, authorization: `Bearer ${s.token}` }, [channel.port2]);
  });
  return newest !== null && newest !== given;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const asked = method === 'GET' && body === undefined ? early.get(url) : undefined;
  if (asked) {
    early.delete(url);
    return asked as Promise<T>;
  }
  const s = session();
  const h: Record<string, string> = { accept: 'application/json', 'x-nuanxin-client': 'web', ...headers };
  if (s) h.authorization = `Bearer ${s.token}`;
  // A Blob (a file to upload) goes as it is, with the Content-Type the caller gives.
  const raw = body instanceof Blob;
  if (body !== undefined && !raw) h['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: h,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      credentials: 'omit',
    });
  } catch (e) {
    throw new NetworkError(String(e));
  }
  if (res.status === 204) return undefined as T;
  const digest = res.headers.get('x-nx-digest');
  if (digest && method === 'GET') digests.set(url, digest);
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    if (res.status === 401 && s) {
      const next = `/app/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      void setSession(null).then(() => location.assign(next));
    }
    throw new ApiError(res.status, String(json.code ?? res.status), json as ApiError['body']);
  }
  return json as T;
}
