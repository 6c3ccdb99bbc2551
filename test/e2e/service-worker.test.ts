import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import type { FormDefinition } from '../../engine/index.ts';
import { haveChromium, launch, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The service worker as an app shell: once it controls the page, a load of the survey gets its
 * shell and the form's definition from the worker's cache with no answer from the server before
 * the first input is ready; the refresh behind brings a newer definition to the page (a reload
 * when nothing was typed, a notice when something was); another login on the same device never
 * gets the first one's cached answers.
 */

const ROOT = join(import.meta.dirname, '../..');
const FORM = 'household-survey';
const SURVEY = JSON.parse(readFileSync(join(ROOT, `forms/${FORM}.json`), 'utf8')) as FormDefinition;
const READY = 'body[data-first-input-ready]';

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

describe.skipIf(!haveChromium)('service worker: shell and form from the cache first', () => {
  let server: E2eServer;
  let browser: Browser;
  /** Requests whose answer the server holds back until `release()`, by path. */
  const held = new Set<string>();
  let waiting: (() => void)[] = [];
  let answered: string[] = [];
  const release = () => {
    const w = waiting;
    waiting = [];
    for (const go of w) go();
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    // Holds back the server's answers to the paths in `held` (the page and its worker alike).
    const http = server.app.server;
    const listeners = http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    http.removeAllListeners('request');
    http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const go = () => {
        answered.push(path);
        for (const l of listeners) l.call(http, req, res);
      };
      if (held.has(path)) waiting.push(go);
      else go();
    });
  }, 120_000);

  afterAll(async () => {
    release();
    await browser?.close();
    await server?.close();
  });

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/app/login`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/app/`), page.click('button[type=submit]')]);
    await page.waitForSelector('body[data-ready="true"]');
  }

  /** Opens the survey until the worker controls it and holds the definition. */
  async function warmUp(page: Page): Promise<void> {
    await page.goto(`${server.url}/app/fill/${FORM}`);
    await page.waitForSelector(READY);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.goto(`${server.url}/app/fill/${FORM}`);
    await page.waitForSelector(READY);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.waitForLoadState('networkidle');
  }

  const publishWithTitle = async (zh: string) => {
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    const auth = { authorization: `Bearer ${r.json().token as string}` };
    const draft = await server.app.inject({
      method: 'POST',
      url: `/api/forms/${FORM}/versions`,
      headers: auth,
      payload: { ...SURVEY, title: { ...(SURVEY.title as object), 'zh-CN': zh } },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const pub = await server.app.inject({ method: 'POST', url: `/api/forms/${FORM}/publish`, headers: auth });
    expect(pub.statusCode, pub.body).toBe(200);
    return (pub.json() as { version: number }).version;
  };

  it('gives a warm load its first input before the server answers the shell or the form', async () => {
    const w = await watchedPage(browser);
    try {
      await login(w.page, 'baiyicun.staff');
      await warmUp(w.page);
      held.add(`/app/fill/${FORM}`);
      held.add(`/api/forms/${FORM}`);
      answered = [];
      const nav = await w.page.goto(`${server.url}/app/fill/${FORM}`, { waitUntil: 'commit' });
      expect(nav?.fromServiceWorker()).toBe(true);
      await w.page.waitForSelector(READY);
      // Both were asked for (the refresh behind) and neither has been answered yet.
      await expect.poll(() => waiting.length).toBe(2);
      expect(answered.filter((p) => held.has(p))).toEqual([]);
      held.clear();
      release();
      await w.page.waitForLoadState('networkidle');
      const { csp, errors, console: logged } = await w.problems();
      expect({ csp, errors, logged }).toEqual({ csp: [], errors: [], logged: [] });
    } finally {
      held.clear();
      release();
      await w.context.close();
    }
  }, 120_000);

  it('brings a newer definition: a reload before anything is typed, a notice after', async () => {
    const w = await watchedPage(browser);
    try {
      await login(w.page, 'baiyicun.staff');
      await warmUp(w.page);
      const before = await w.page.textContent('.form-title small');

      // Nothing typed: the page reloads itself with the new definition.
      const v2 = await publishWithTitle('住户调查（第二版）');
      await w.page.goto(`${server.url}/app/fill/${FORM}`);
      await w.page.waitForFunction(
        (v) => document.querySelector('.form-title small')?.textContent === `v${v}`,
        v2,
        { timeout: 30_000 },
      );
      expect(before).not.toBe(`v${v2}`);
      expect(await w.page.textContent('.form-title')).toContain('住户调查（第二版）');
      await w.page.waitForLoadState('networkidle');

      // Typed before the refresh came back: a notice with a reload button, nothing lost.
      const v3 = await publishWithTitle('住户调查（第三版）');
      held.add(`/api/forms/${FORM}`);
      await w.page.goto(`${server.url}/app/fill/${FORM}`);
      await w.page.waitForSelector(READY);
      expect(await w.page.textContent('.form-title small')).toBe(`v${v2}`);
      const first = w.page.locator('form input[type=text]').first();
      await first.fill('张三');
      await expect.poll(() => waiting.length).toBe(1);
      held.clear();
      release();
      await w.page.waitForSelector('#form-updated', { timeout: 30_000 });
      expect(await w.page.textContent('#form-updated')).toContain('表单已更新，请刷新');
      expect(await w.page.textContent('.form-title small')).toBe(`v${v2}`);
      expect(await first.inputValue()).toBe('张三');
      await Promise.all([w.page.waitForEvent('load'), w.page.click('#form-updated-reload')]);
      await w.page.waitForSelector(READY);
      expect(await w.page.textContent('.form-title small')).toBe(`v${v3}`);
      expect(await w.page.locator('form input[type=text]').first().inputValue()).toBe('张三');
      const { csp, errors } = await w.problems();
      expect({ csp, errors }).toEqual({ csp: [], errors: [] });
    } finally {
      held.clear();
      release();
      await w.context.close();
    }
  }, 180_000);

  it('keeps cached answers per login and forgets them at log-out', async () => {
    const w = await watchedPage(browser);
    try {
      await login(w.page, 'baiyicun.staff');
      await warmUp(w.page);
      const cachesOf = () =>
        w.page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('nx-data')));
      expect(await cachesOf()).toHaveLength(1);
      await w.page.goto(`${server.url}/app/`);
      await w.page.waitForSelector('body[data-ready="true"]');
      await Promise.all([w.page.waitForURL(`${server.url}/app/login`), w.page.click('#logout')]);
      expect(await cachesOf()).toEqual([]);

      // Another login on the device: its first form comes from the server, with no cached digest.
      await login(w.page, 'baiyi.reviewer');
      const answer = w.page.waitForResponse((r) => r.url().endsWith(`/api/forms/${FORM}`));
      await w.page.goto(`${server.url}/app/fill/${FORM}`);
      const res = await answer;
      expect(res.headers()['x-nx-digest']).toBeUndefined();
      await w.page.waitForSelector(READY);
      await w.page.waitForLoadState('networkidle');
      const mine = await cachesOf();
      expect(mine).toHaveLength(1);
    } finally {
      await w.context.close();
    }
  }, 120_000);
});
