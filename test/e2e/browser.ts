import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { DEMO_PASSWORD } from '../../demo/users.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that records CSP violations, script errors and console errors for the test to check. */
export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Violated directives, uncaught errors and console errors seen so far. */
  problems(): Promise<{ csp: string[]; errors: string[]; console: string[] }>;
}

export async function watchedPage(
  browser: Browser,
  viewport = PHONE,
  options: BrowserContextOptions = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('dialog', (d) => {
    errors.push(`unexpected dialog: ${d.message()}`);
    void d.dismiss();
  });
  return {
    context,
    page,
    async problems() {
      const csp = await page
        .evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
        .catch(() => []);
      return {
        csp: [...csp, ...consoleErrors.filter((c) => /Content Security Policy|Refused to/i.test(c))],
        errors,
        console: consoleErrors,
      };
    },
  };
}

export async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/app/login`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${base}/app/`), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Opens a page of the app and waits until its script has drawn it. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Screenshots of the page at phone and desktop widths, for a person to look at (not committed). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: label === 'desktop' });
  }
  if (before) await page.setViewportSize(before);
}

/** The saves waiting in the page's outbox (IndexedDB `nuanxin`, store `outbox`), every user's. */
export function queuedSaves(
  page: Page,
): Promise<{ key: string; user: string; formId: string; status: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ key: string; user: string; formId: string; status: string }[]>((ok, fail) => {
        const open = indexedDB.open('nuanxin');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('outbox').objectStore('outbox').getAll();
          get.onerror = () => fail(get.error);
          get.onsuccess = () => {
            open.result.close();
            ok(get.result);
          };
        };
      }),
  );
}
