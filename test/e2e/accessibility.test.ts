import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { PAGES } from '../../plugins/web/server/page-list.ts';
import { violations } from './axe.ts';
import {
  DESKTOP,
  haveChromium,
  launch,
  login,
  open,
  PHONE,
  screenshots,
  type Watched,
  watchedPage,
} from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * Every page of the web app (the list the server serves, `PAGES`) opened in Chromium on the demo
 * county by a user who sees it, checked with axe-core at phone and desktop widths: no serious or
 * critical violation anywhere. Screenshots of each page at both widths go to
 * `test-results/screenshots/page-<name>-phone|desktop.png`. A page added to `PAGES` without a
 * visit below fails here by name.
 */

/** Ids of the demo's records, read from the API, for the routes with parameters. */
interface Ids {
  /** A case waiting for the township reviewer (its submission id). */
  caseId: string;
  /** A household survey of the demo village. */
  surveyId: string;
  batchId: string;
  benefitId: string;
  /** A household register record. */
  recordId: string;
}

interface Visit {
  /** The demo user who opens the page; `null`: not signed in. */
  user: string | null;
  url(ids: Ids): string;
}

/** How each page of `PAGES` is reached, by its `data-page` name (a page differing by role: more than once). */
const VISITS: Record<string, Visit | readonly Visit[]> = {
  login: { user: null, url: () => '/app/login' },
  home: [
    { user: 'baiyicun.staff', url: () => '/app/' },
    { user: 'baiyi.reviewer', url: () => '/app/' },
    { user: 'pingchang.finance', url: () => '/app/' },
  ],
  forms: { user: 'baiyicun.staff', url: () => '/app/forms' },
  fill: { user: 'baiyicun.staff', url: () => '/app/fill/household-survey' },
  submission: { user: 'baiyi.reviewer', url: (i) => `/app/submissions/${i.caseId}` },
  outbox: { user: 'baiyicun.staff', url: () => '/app/outbox' },
  inbox: { user: 'baiyi.reviewer', url: () => '/app/inbox' },
  case: { user: 'baiyi.reviewer', url: (i) => `/app/cases/${i.caseId}` },
  'admin-forms': { user: 'admin', url: () => '/app/admin/forms' },
  editor: { user: 'admin', url: () => '/app/admin/forms/household-survey' },
  reports: { user: 'pingchang.reviewer', url: () => '/app/reports' },
  users: { user: 'admin', url: () => '/app/admin/users' },
  parameters: { user: 'admin', url: () => '/app/admin/parameters' },
  print: { user: 'pingchang.reviewer', url: (i) => `/app/print/household-survey-print?s=${i.surveyId}` },
  'crosscheck-lists': { user: 'pingchang.reviewer', url: () => '/app/crosschecks/lists' },
  findings: { user: 'pingchang.reviewer', url: () => '/app/crosschecks/findings' },
  referrals: { user: 'pingchang.reviewer', url: () => '/app/referrals' },
  monitoring: { user: 'pingchang.reviewer', url: () => '/app/monitoring' },
  payments: { user: 'pingchang.finance', url: () => '/app/payments' },
  payment: { user: 'pingchang.bank', url: (i) => `/app/payments/${i.batchId}` },
  benefits: { user: 'pingchang.reviewer', url: () => '/app/benefits' },
  benefit: { user: 'pingchang.reviewer', url: (i) => `/app/benefits/${i.benefitId}` },
  'card-accounts': { user: 'pingchang.hrss', url: () => '/app/card-accounts' },
  households: { user: 'baiyi.reviewer', url: () => '/app/households' },
  household: { user: 'baiyi.reviewer', url: (i) => `/app/households/${i.recordId}` },
  'register-inbox': { user: 'baiyi.reviewer', url: () => '/app/registers/inbox' },
};

describe.skipIf(!haveChromium)('accessibility of every page in Chromium (axe)', () => {
  let server: E2eServer;
  let browser: Browser;
  let ids: Ids;
  const pages = new Map<string, Promise<Watched>>();

  async function asUser(username: string, url: string): Promise<unknown> {
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    const r = await server.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${login.json().token}` },
    });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json();
  }

  /** The `key` of the first item the API lists at `url` for the user. */
  const first = async (username: string, url: string, key = 'id'): Promise<string> => {
    const item = ((await asUser(username, url)) as { items: Record<string, string>[] }).items[0];
    if (!item?.[key]) throw new Error(`the demo has no ${key} at ${url} for ${username}`);
    return String(item[key]);
  };

  /** One context per user, signed in once, shared by that user's pages. */
  function pageOf(user: string | null): Promise<Watched> {
    const key = user ?? '';
    let p = pages.get(key);
    if (!p) {
      p = watchedPage(browser, PHONE).then(async (w) => {
        if (user) await login(w.page, server.url, user);
        return w;
      });
      pages.set(key, p);
    }
    return p;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    ids = {
      caseId: await first('baiyi.reviewer', '/api/tasks', 'submissionId'),
      surveyId: await first('pingchang.reviewer', '/api/forms/household-survey/submissions?limit=1'),
      batchId: await first('pingchang.reviewer', '/api/payments/batches'),
      benefitId: await first('pingchang.reviewer', '/api/plugins/benefits/benefits'),
      recordId: await first('baiyi.reviewer', '/api/registers/households/records?limit=1'),
    };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has a visit for every page and no visit for a page that does not exist', () => {
    expect(PAGES.filter((p) => !VISITS[p.page]).map((p) => p.page)).toEqual([]);
    expect(Object.keys(VISITS).filter((k) => !PAGES.some((p) => p.page === k))).toEqual([]);
  });

  for (const spec of PAGES) {
    it(`${spec.page} (${spec.path}) has no serious or critical violation at 390 and 1280 px`, async () => {
      const visits = VISITS[spec.page];
      if (!visits)
        throw new Error(
          `page "${spec.page}" (${spec.path}) has no visit in test/e2e/accessibility.test.ts: add it to VISITS`,
        );
      const list: readonly Visit[] = Array.isArray(visits) ? visits : [visits as Visit];
      for (const visit of list) {
        const who = visit.user ?? 'nobody';
        const w = await pageOf(visit.user);
        const { page } = w;
        await page.setViewportSize(PHONE);
        await open(page, `${server.url}${visit.url(ids)}`);
        await expect(page.getAttribute('body', 'data-page'), `${spec.page} as ${who}`).resolves.toBe(
          spec.page,
        );
        const found = await violations(page, `${PHONE.width}px`);
        await page.setViewportSize(DESKTOP);
        found.push(...(await violations(page, `${DESKTOP.width}px`)));
        await screenshots(page, list.length > 1 ? `page-${spec.page}-${who}` : `page-${spec.page}`);
        expect(found, `axe on ${spec.page} as ${who}`).toEqual([]);
        const p = await w.problems();
        expect(p.csp, `${spec.page} as ${who}`).toEqual([]);
        expect(p.errors, `${spec.page} as ${who}`).toEqual([]);
      }
    }, 60_000);
  }
});
