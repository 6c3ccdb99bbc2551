/**
 * The household survey page on a weak phone, in Chromium (playwright-core, `/usr/bin/chromium`):
 * CPU slowed 4× (CDP `Emulation.setCPUThrottlingRate`) and the network at 1.6 Mbps down,
 * 750 kbps up, 150 ms latency (CDP `Network.emulateNetworkConditions`). Measured: the time from
 * the start of the navigation to **first input ready** — the fill page's mark
 * `nx:first-input-ready`, set once the form's compiled runtime is attached and its first input is
 * in the document and enabled (`plugins/web/client/ready-mark.ts`) — and the bytes received for
 * that load (CDP `encodedDataLength`, headers included, until the mark).
 * Cold: HTTP cache emptied before the load (the session kept). Warm: the same page loaded again.
 * Service workers are blocked there, so warm is what the HTTP cache alone gives.
 * Baseline, same run: the delivery of before (`bench/baselines/page-bundle-legacy.ts`).
 * Then warm loads through a proxy that shapes the link for the page and its service worker alike,
 * with the worker blocked and on (`linkSession`).
 * `NUANXIN_BENCH_BEFORE_TREE=<dir>`: also measures the server of another checkout (an earlier
 * commit), its loads alternating with these in every round.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import type * as E2e from '../../test/e2e/server.ts';
import { startServer } from '../../test/e2e/server.ts';
import { startLegacyFront } from '../baselines/page-bundle-legacy.ts';
import { type PhoneLink, startPhoneLink } from '../baselines/phone-link.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';

export const name = 'page-load';
export const description =
  'household survey in Chromium on a phone profile (4× CPU, 1.6 Mbps, 150 ms): first input ready, cold and warm, bytes';

const CHROMIUM = '/usr/bin/chromium';
const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const LINK = { latencyMs: PHONE_NETWORK.latency, downBytesPerSec: PHONE_NETWORK.downloadThroughput };

interface Load {
  ms: number;
  bytes: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Session {
  /** One round: a cold load then a warm one (or a warm one only, through the link proxy). */
  round(): Promise<{ cold?: Load; warm: Load }>;
  close(): Promise<void>;
}

/** Cold and warm loads with Chromium's network emulation, service workers blocked. */
async function cdpSession(browser: Browser, base: string): Promise<Session> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('#username', 'baiyicun.staff');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/app/`), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-ready="true"]');

  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
  });
  const url = `${base}/app/fill/household-survey`;
  const one = async (): Promise<Load> => {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
    bytes = 0;
    await page.goto(url, { waitUntil: 'commit' });
    const at = await page.waitForSelector(READY, { timeout: 60_000 });
    const counted = bytes;
    const ms = Number(await at.getAttribute('data-first-input-ready'));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.send('Network.emulateNetworkConditions', {
      ...PHONE_NETWORK,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.waitForLoadState('networkidle');
    return { ms, bytes: counted };
  };
  return {
    async round() {
      await page.goto('about:blank');
      await cdp.send('Network.clearBrowserCache');
      const cold = await one();
      return { cold, warm: await one() };
    },
    close: () => context.close(),
  };
}

const READY = 'body[data-first-input-ready]';

/**
 * Warm loads through the phone link proxy (`bench/baselines/phone-link.ts`) instead of Chromium's
 * network emulation, which does not shape a service worker's own requests: with workers blocked
 * (the HTTP cache alone) or allowed (the page's worker installed and in control first). The CPU
 * of the page's tab is slowed 4× as above; the worker's thread is not (CDP throttles the tab).
 * Bytes: what the proxy sent for the load, until the mark.
 */
async function linkSession(
  browser: Browser,
  link: PhoneLink,
  serviceWorkers: 'allow' | 'block',
): Promise<Session> {
  const base = link.url;
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers,
  });
  const page = await context.newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('#username', 'baiyicun.staff');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/app/`), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-ready="true"]');
  const url = `${base}/app/fill/household-survey`;
  // The first visit fills the HTTP cache; with workers allowed, the worker installs (keeping
  // every asset) and the next visit is the first it controls.
  await page.goto(url);
  await page.waitForSelector(READY, { timeout: 120_000 });
  if (serviceWorkers === 'allow') {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.goto(url);
    await page.waitForSelector(READY, { timeout: 120_000 });
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null)))
      throw new Error('the service worker does not control the page');
  }
  await page.waitForLoadState('networkidle');
  const cdp = await context.newCDPSession(page);
  return {
    async round() {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      link.resetBytes();
      await page.goto(url, { waitUntil: 'commit' });
      const at = await page.waitForSelector(READY, { timeout: 60_000 });
      const bytes = link.bytes();
      const ms = Number(await at.getAttribute('data-first-input-ready'));
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await page.waitForLoadState('networkidle');
      return { warm: { ms, bytes } };
    },
    close: () => context.close(),
  };
}

const row = (label: string, xs: Load[]): Measurement => {
  const ms = median(xs.map((x) => x.ms));
  const kb = median(xs.map((x) => x.bytes)) / 1024;
  return {
    name: label,
    opsPerSec: 1000 / ms,
    rounds: xs.map((x) => 1000 / x.ms),
    unit: 'loads/s',
    detail: `${ms.toFixed(0)} ms to first input ready, ${kb.toFixed(1)} KiB received (rounds: ${xs.map((x) => x.ms.toFixed(0)).join(', ')} ms)`,
  };
};

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  // The smoke run (`--quick`, CI) leaves this case out: a browser, a server with the demo and a
  // second build take over a minute on a shared machine, more than the whole smoke budget allows.
  if (opts.quick || !existsSync(CHROMIUM)) {
    console.error(`  (page-load skipped: ${opts.quick ? '--quick' : `no Chromium at ${CHROMIUM}`})`);
    return [];
  }
  const rounds = 5;
  const server = await startServer();
  const legacy = await startLegacyFront(server.url, server.app.nuanxin.browser);
  const link = await startPhoneLink(server.url, LINK);
  // Another tree's server (a checkout of an earlier commit with its node_modules), measured in the
  // same rounds, alternating, so both meet the same load on a shared machine.
  const beforeTree = process.env.NUANXIN_BENCH_BEFORE_TREE;
  const other = beforeTree
    ? await (
        (await import(join(resolve(beforeTree), 'test', 'e2e', 'server.ts'))) as typeof E2e
      ).startServer()
    : undefined;
  const otherLink = other ? await startPhoneLink(other.url, LINK) : undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  const sessions: Session[] = [];
  try {
    const BASE = 'before: one unminified IIFE, no compression, no-cache';
    const NOW = 'Nuanxin as served now';
    const TREE = `the tree at ${beforeTree ?? ''}`;
    const HTTP_CACHE = 'service worker blocked (HTTP cache)';
    const WORKER = 'service worker on';
    const plan: { label: string; open: () => Promise<Session> }[] = [
      { label: BASE, open: () => cdpSession(browser, legacy.url) },
      ...(other ? [{ label: TREE, open: () => cdpSession(browser, other.url) }] : []),
      { label: NOW, open: () => cdpSession(browser, server.url) },
      ...(otherLink
        ? [
            { label: `${TREE}, ${HTTP_CACHE}`, open: () => linkSession(browser, otherLink, 'block') },
            { label: `${TREE}, ${WORKER}`, open: () => linkSession(browser, otherLink, 'allow') },
          ]
        : []),
      { label: `${NOW}, ${HTTP_CACHE}`, open: () => linkSession(browser, link, 'block') },
      { label: `${NOW}, ${WORKER}`, open: () => linkSession(browser, link, 'allow') },
    ];
    for (const p of plan) sessions.push(await p.open());
    const cold = plan.map(() => [] as Load[]);
    const warm = plan.map(() => [] as Load[]);
    for (let r = 0; r < rounds; r++) {
      for (const [i, session] of sessions.entries()) {
        const got = await session.round();
        if (got.cold) cold[i]?.push(got.cold);
        warm[i]?.push(got.warm);
      }
    }
    const rowsOf = (xs: Load[][], pick: (label: string) => boolean) =>
      plan.flatMap((p, i) => (pick(p.label) && xs[i]?.length ? [row(p.label, xs[i] ?? [])] : []));
    const emulated = (l: string) => !l.includes(HTTP_CACHE) && !l.includes(WORKER);
    const notes = [
      'first input ready = navigation start → mark nx:first-input-ready (compiled runtime attached, first input enabled)',
      `median of ${rounds} loads, the rows' loads alternating round by round; goal: under 1,500 ms cold and 500 ms warm`,
    ];
    return [
      compare('page load cold (phone profile)', BASE, rowsOf(cold, emulated), notes),
      compare('page load warm (phone profile)', BASE, rowsOf(warm, emulated)),
      compare(
        'page load warm, link shaped by a proxy (phone profile)',
        `${NOW}, ${HTTP_CACHE}`,
        rowsOf(warm, (l) => !emulated(l)),
        [
          'the proxy shapes page and service worker requests alike (150 ms, 1.6 Mbps shared); bytes = what it sent',
          'CPU 4× slower for the tab; the service worker thread is not slowed',
        ],
      ),
    ];
  } finally {
    for (const x of sessions) await x.close();
    await browser.close();
    await legacy.close();
    await link.close();
    await otherLink?.close();
    await other?.close();
    await server.close();
  }
}
