import { api, hasRole, session } from './api.ts';
import { kvGet, kvSet } from './store.ts';

/** How often, at most, the copy for offline use is refreshed while pages are opened online. */
const EVERY_MS = 15 * 60_000;
/** Households of the worker's unit kept for offline use (the register API's largest page). */
const HOUSEHOLDS = 500;

/**
 * Registers `/sw.js` (scope `/`), which keeps the app shell, and — for a field worker, when
 * online — asks once in a while, through it, for what the worker needs without a signal: the
 * forms they may fill (each effective definition) and the household list of their unit from the
 * registers API, masked as the server masks it for them. The worker caches those answers
 * (`nx-data`) and gives them back when the network is away. Marks `<body data-offline-copy>`
 * (`done` or `skipped`) when finished, for tests.
 */
export async function keepOfflineCopy(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  await navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  const s = session();
  if (!s || !navigator.onLine || !hasRole('field_staff')) {
    document.body.dataset.offlineCopy = 'skipped';
    return;
  }
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise<void>((ok) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true });
      setTimeout(ok, 5000);
    });
  }
  const mark = `offline.copiedAt.${s.user.username}`;
  const last = await kvGet<number>(mark);
  if (last && Date.now() - last < EVERY_MS) {
    document.body.dataset.offlineCopy = 'done';
    return;
  }
  try {
    const forms = await api<{ items: { id: string }[] }>('GET', '/api/forms');
    for (const f of forms.items) await api('GET', `/api/forms/${encodeURIComponent(f.id)}`);
    await api(
      'GET',
      `/api/registers/households/records?orgCode=${encodeURIComponent(s.user.orgUnit)}&limit=${HOUSEHOLDS}`,
    ).catch(() => undefined); // a server without the registers plugin
    await kvSet(mark, Date.now());
    document.body.dataset.offlineCopy = 'done';
  } catch {
    document.body.dataset.offlineCopy = 'failed';
  }
}
