/**
 * The service worker (`/sw.js`, scope `/`). Built by `server/bundle.ts`, which fills in the
 * version (a hash of every asset name), the assets and the page shells.
 * - Assets (`/app/assets/…`, named by content hash): from the cache, else the network.
 * - Pages: the network first (a shell is small and `no-cache`), the cached shell of that kind of
 *   page when the network fails or takes over 4 s — every page opens without a connection.
 * - Forms and the household register (`GET /api/forms…`, `/api/registers/…/records…`): the
 *   network first, the last answer when it fails (cache `nx-data`, emptied at log-in and log-out).
 * - Everything else (saves, other reads) goes to the network untouched.
 */

declare const NX_SW_VERSION: string;
declare const NX_SW_ASSETS: string[];
declare const NX_SW_SHELLS: { pattern: string; url: string }[];

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface Scope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<{ type?: string }>) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

const sw = self as unknown as Scope;
const SHELL = `nx-shell-${NX_SW_VERSION}`;
const DATA = 'nx-data';
const SHELLS = NX_SW_SHELLS.map((s) => ({ re: new RegExp(s.pattern), url: s.url }));
const DATA_PATHS = [/^\/api\/forms(\/[^/]+)?$/, /^\/api\/registers\/[^/]+\/records$/];
const NAVIGATION_TIMEOUT_MS = 4000;

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
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('nx-shell-') && k !== SHELL).map((k) => caches.delete(k)),
        ),
      )
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('message', (e) => {
  if (e.data?.type === 'forget-data') void caches.delete(DATA);
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

async function page(req: Request, shell: string): Promise<Response> {
  try {
    const res = await withTimeout(fetch(req), NAVIGATION_TIMEOUT_MS);
    if (res.ok) {
      const copy = res.clone();
      void caches.open(SHELL).then((c) => c.put(shell, copy));
    }
    return res;
  } catch {
    const cached = await caches.match(shell, { cacheName: SHELL });
    return cached ?? Response.error();
  }
}

async function asset(req: Request): Promise<Response> {
  const cached = await caches.match(req, { cacheName: SHELL });
  if (cached) return cached;
  const res = await fetch(req);
  if (res.ok) {
    const copy = res.clone();
    void caches.open(SHELL).then((c) => c.put(req, copy));
  }
  return res;
}

async function data(req: Request): Promise<Response> {
  try {
    const res = await fetch(req);
    if (res.ok) {
      const copy = res.clone();
      await caches.open(DATA).then((c) => c.put(req.url, copy));
    }
    return res;
  } catch (err) {
    const cached = await caches.match(req.url, { cacheName: DATA });
    if (cached) return cached;
    throw err;
  }
}

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith('/app/assets/')) return e.respondWith(asset(req));
  if (req.mode === 'navigate') {
    const shell = SHELLS.find((s) => s.re.test(url.pathname));
    if (shell) e.respondWith(page(req, shell.url));
    return;
  }
  if (DATA_PATHS.some((re) => re.test(url.pathname))) e.respondWith(data(req));
});
