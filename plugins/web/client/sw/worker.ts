/**
 * The service worker (`/sw.js`, scope `/`). Built by `server/bundle.ts`, which fills in the
 * release (a hash of every asset name and of the page list), the assets and the page shells.
 * - Install precaches the release's assets and its page shells together in `nx-shell-<release>`;
 *   a new release installs a new cache and takes over (`skipWaiting`, `clients.claim`); activate
 *   deletes the caches of older releases except the one just before, which a page opened before
 *   the switch may still ask chunks of (a page loaded by the older worker keeps running it).
 * - Assets (`/app/assets/…`, named by content hash): from the release caches, else the network.
 * - Pages (app shell, stale-while-revalidate): the release's cached shell of that kind of page at
 *   once, then the network's shell in the background, kept only when every asset it names is in
 *   this release's cache (else the server runs a newer release: the worker asks for its update,
 *   and the next load gets the new release whole). A shell carrying a per-response nonce
 *   (`fresh`, the editor) goes to the network first and falls back to the cache when it fails or
 *   takes over 4 s. Every page opens without a connection.
 * - A form's effective definition (`GET /api/forms/<id>`) asked by a fill page: the user's cached
 *   answer at once, the network's in the background (stale-while-revalidate). Each stored answer carries the SHA-256
 *   of its body (`x-nx-digest`); a page asks (`form-fresh` message) for the digest after the
 *   refresh, and tells the user when it differs from what it was given.
 * - The form list, a definition asked by any other page (the editor, print) and the household
 *   register (`GET /api/forms`, `/api/registers/…/records…`): the network first, the last answer
 *   when it fails.
 * API answers are kept per login: the cache `nx-data-<SHA-256 of the bearer token>`, so another
 *   login on the same device never gets them; all `nx-data…` caches are deleted at log-in and
 *   log-out (`forget-data`). A request without a token is never cached.
 * - Everything else (saves, other reads) goes to the network untouched.
 */

declare const NX_SW_VERSION: string;
declare const NX_SW_ASSETS: string[];
declare const NX_SW_SHELLS: { pattern: string; url: string; fresh: boolean }[];

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  readonly clientId: string;
  respondWith(r: Response | Promise<Response>): void;
}
interface MessageEventWithPorts extends ExtendableEvent {
  readonly data: { type?: string; url?: string; authorization?: string } | null;
  readonly ports: readonly MessagePort[];
}
interface Scope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEventWithPorts) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void>; get(id: string): Promise<{ url: string } | undefined> };
  readonly registration: { update(): Promise<unknown> };
  readonly location: Location;
}

const sw = self as unknown as Scope;
const SHELL_PREFIX = 'nx-shell-';
const SHELL = `${SHELL_PREFIX}${NX_SW_VERSION}`;
const DATA_PREFIX = 'nx-data';
const SHELLS = NX_SW_SHELLS.map((s) => ({ re: new RegExp(s.pattern), url: s.url, fresh: s.fresh }));
const ASSETS = new Set(NX_SW_ASSETS);
/** Answered from the cache first, refreshed behind: a form's effective definition. */
const FORM_PATH = /^\/api\/forms\/[^/]+$/;
/** The page that asks for it so (the survey and every other form being filled). */
const FILL_PAGE = '/app/fill/';
/** Answered from the network first, the cache when it fails. */
const DATA_PATHS = [/^\/api\/forms$/, /^\/api\/registers\/[^/]+\/records$/];
const NAVIGATION_TIMEOUT_MS = 4000;
const DIGEST = 'x-nx-digest';

sw.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll([...NX_SW_ASSETS, ...SHELLS.map((s) => s.url)]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => {
        // In creation order: keep this release's and the one before it.
        const older = keys.filter((k) => k.startsWith(SHELL_PREFIX) && k !== SHELL);
        return Promise.all(older.slice(0, -1).map((k) => caches.delete(k)));
      })
      .then(() => sw.clients.claim()),
  );
});

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const sha256 = async (s: string | ArrayBuffer) =>
  hex(await crypto.subtle.digest('SHA-256', typeof s === 'string' ? new TextEncoder().encode(s) : s));

/** The cache of the login that sent `authorization`; none without a token. */
async function dataCacheName(authorization: string | null | undefined): Promise<string | undefined> {
  if (!authorization) return undefined;
  return `${DATA_PREFIX}-${(await sha256(authorization)).slice(0, 32)}`;
}

const forgetData = () =>
  caches
    .keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(DATA_PREFIX)).map((k) => caches.delete(k))));

/** Background refreshes of form definitions under way, by cache name and URL: the new digest. */
const refreshing = new Map<string, Promise<string | undefined>>();

sw.addEventListener('message', (e) => {
  const d = e.data;
  if (d?.type === 'forget-data') {
    refreshing.clear();
    e.waitUntil(forgetData());
  } else if (d?.type === 'form-fresh' && d.url && e.ports[0]) {
    // The digest of the newest definition at `url` once the refresh under way (if any) is done.
    const port = e.ports[0];
    const url = new URL(d.url, sw.location.origin).href;
    e.waitUntil(
      (async () => {
        const name = await dataCacheName(d.authorization);
        let digest: string | undefined;
        if (name) {
          digest = await (refreshing.get(`${name} ${url}`) ?? Promise.resolve(undefined)).catch(
            () => undefined,
          );
          if (digest === undefined) {
            const cached = await caches.match(url, { cacheName: name });
            digest = cached?.headers.get(DIGEST) ?? undefined;
          }
        }
        port.postMessage({ digest: digest ?? null });
      })(),
    );
  }
});

const withTimeout = (p: Promise<Response>, ms: number) =>
  new Promise<Response>((ok, fail) => {
    const t = setTimeout(() => fail(new Error('timeout')), ms);
    p.then(
      (r) => {
        clearTimeout(t);
        ok(r);
      },
      (err: unknown) => {
        clearTimeout(t);
        fail(err);
      },
    );
  });

/** Whether every asset a shell names belongs to this release (and so is in its cache). */
function namesOnlyOurAssets(html: string): boolean {
  const named = html.match(/\/app\/assets\/[^"'\s>]+/g) ?? [];
  return named.length > 0 && named.every((a) => ASSETS.has(a));
}

/** The network's shell, kept as this release's copy when it names only this release's assets. */
async function refreshShell(req: Request, shell: string): Promise<void> {
  const res = await fetch(req);
  if (!res.ok) return;
  const html = await res.clone().text();
  if (namesOnlyOurAssets(html)) {
    await caches.open(SHELL).then((c) => c.put(shell, res));
  } else {
    await sw.registration.update();
  }
}

async function pageFirstFromCache(e: FetchEvent, shell: string): Promise<Response> {
  const refresh = refreshShell(e.request, shell).catch(() => undefined);
  e.waitUntil(refresh);
  const cached = await caches.match(shell, { cacheName: SHELL });
  if (cached) return cached;
  return pageFromNetwork(e.request, shell);
}

async function pageFromNetwork(req: Request, shell: string): Promise<Response> {
  try {
    return await withTimeout(fetch(req), NAVIGATION_TIMEOUT_MS);
  } catch {
    const cached = await caches.match(shell, { cacheName: SHELL });
    return cached ?? Response.error();
  }
}

async function asset(req: Request): Promise<Response> {
  const cached = (await caches.match(req, { cacheName: SHELL })) ?? (await caches.match(req));
  if (cached) return cached;
  const res = await fetch(req);
  if (res.ok) {
    const copy = res.clone();
    void caches.open(SHELL).then((c) => c.put(req, copy));
  }
  return res;
}

/** Stores an API answer with the SHA-256 of its body; gives that digest. */
async function store(name: string, url: string, res: Response): Promise<string> {
  const body = await res.arrayBuffer();
  const digest = await sha256(body);
  const headers = new Headers(res.headers);
  headers.set(DIGEST, digest);
  headers.delete('content-encoding');
  headers.delete('content-length');
  const copy = new Response(body, { status: res.status, statusText: res.statusText, headers });
  await caches.open(name).then((c) => c.put(url, copy));
  return digest;
}

async function networkFirst(req: Request): Promise<Response> {
  const name = await dataCacheName(req.headers.get('authorization'));
  try {
    const res = await fetch(req);
    if (res.ok && name) await store(name, req.url, res.clone());
    return res;
  } catch (err) {
    const cached = name ? await caches.match(req.url, { cacheName: name }) : undefined;
    if (cached) return cached;
    throw err;
  }
}

async function formFirstFromCache(e: FetchEvent): Promise<Response> {
  const req = e.request;
  const name = await dataCacheName(req.headers.get('authorization'));
  if (!name) return fetch(req);
  const cached = await caches.match(req.url, { cacheName: name });
  if (!cached) return networkFirst(req);
  const key = `${name} ${req.url}`;
  const refresh = fetch(req)
    .then((res) => (res.ok ? store(name, req.url, res) : undefined))
    .catch(() => undefined)
    .finally(() => {
      if (refreshing.get(key) === refresh) refreshing.delete(key);
    });
  refreshing.set(key, refresh);
  e.waitUntil(refresh);
  return cached;
}

/**
 * A form's definition: from the cache first for the fill page only; the editor, the print page
 * and others read it to change or show the newest, so they get the network first.
 */
async function formAnswer(e: FetchEvent): Promise<Response> {
  const client = e.clientId ? await sw.clients.get(e.clientId).catch(() => undefined) : undefined;
  const path = client ? new URL(client.url).pathname : '';
  return path.startsWith(FILL_PAGE) ? formFirstFromCache(e) : networkFirst(e.request);
}

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith('/app/assets/')) return e.respondWith(asset(req));
  if (req.mode === 'navigate') {
    const shell = SHELLS.find((s) => s.re.test(url.pathname));
    if (shell)
      e.respondWith(shell.fresh ? pageFromNetwork(req, shell.url) : pageFirstFromCache(e, shell.url));
    return;
  }
  if (FORM_PATH.test(url.pathname)) return e.respondWith(formAnswer(e));
  if (DATA_PATHS.some((re) => re.test(url.pathname))) e.respondWith(networkFirst(req));
});
