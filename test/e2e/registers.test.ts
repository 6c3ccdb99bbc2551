import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { idcardAgeOn, makeIdcard, sexOfIdcard } from '../factories/idcard.ts';
import {
  DESKTOP,
  haveChromium,
  launch,
  login,
  open,
  screenshots,
  type Watched,
  watchedPage,
} from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The household register's pages in Chromium: a field worker finds a family by ID number (sent
 * in a POST body, never in a URL), opens its record and re-surveys it from the record (prefilled,
 * ages recomputed as of today, the base version carried) to a new version of the same record; a
 * township reviewer resolves a conflict side by side, merges two records of one family and
 * transfers a family to another village, each only after a confirmation naming the families.
 */

const ROOT = join(import.meta.dirname, '../..');
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const OTHER_VILLAGE = '511923102202'; // 古镇村, beside 白衣村 in 白衣镇

type Json = Record<string, unknown>;

/** The fixture family of 2021 (ages as of its survey date), with the head and members given. */
function family(head: string, name: string, members?: string[]): Json {
  const d = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/submissions/household-survey/valid-family.json'), 'utf8'),
  ).data as Json;
  const rows = (d.members as Json[]).map((m, i) => {
    const idNumber = members?.[i] ?? String(m.idNumber);
    return { ...m, idNumber, age: idcardAgeOn(idNumber, String(d.surveyDate)) };
  });
  return { ...d, headIdNumber: head, headName: name, headSex: sexOfIdcard(head), members: rows };
}

const person = (seq: number, birthDate = '1975-03-09') => makeIdcard({ region: '511923', birthDate, seq });

describe.skipIf(!haveChromium)('household register pages in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  const tokens = new Map<string, string>();
  const watched: Watched[] = [];

  const call = async (user: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    let token = tokens.get(user);
    if (!token) {
      const r = await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user, password: DEMO_PASSWORD },
      });
      token = r.json().token as string;
      tokens.set(user, token);
    }
    const r = await server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `reg-${Math.random()}` },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Json;
  };
  const survey = (data: Json) =>
    call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', { data, status: 'submitted' });
  const recordOf = async (idNumber: string) => {
    const r = await call('baiyicun.staff', 'POST', '/api/registers/households/search', { idNumber });
    return ((r.items as Json[])[0] as { record: Json }).record;
  };
  const show = (id: string) =>
    call('baiyi.reviewer', 'GET', `/api/registers/households/records/${id}`) as Promise<{
      record: Json;
      versions: Json[];
      flags: Json[];
    }>;
  const page = async (user: string, viewport?: typeof DESKTOP): Promise<Page> => {
    const w = await watchedPage(browser, viewport);
    watched.push(w);
    await login(w.page, server.url, user);
    return w.page;
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 60_000);

  afterAll(async () => {
    for (const w of watched) {
      const p = await w.problems();
      expect(p.csp).toEqual([]);
      expect(p.errors).toEqual([]);
    }
    await browser?.close();
    await server?.close();
  });

  it('finds a family by ID number in a POST body, shows its record, and a re-survey adds a version to it', async () => {
    const head = person(11, '1949-03-18');
    const members = [person(12, '1970-08-28'), person(13, '1981-08-14'), person(14, '1983-03-09')];
    await survey(family(head, '邓桂', members));
    const rec = await recordOf(head);
    expect(rec.currentVersion).toBe(1);

    const p = await page('baiyicun.staff');
    const urls: string[] = [];
    p.on('request', (r) => urls.push(r.url()));
    await open(p, `${server.url}/app/households`);
    await p.waitForSelector('#households tbody tr[data-record]');
    await screenshots(p, 'households-list');
    await p.fill('#search-id', head);
    await p.click('#search-go');
    const row = p.locator(`#households tr[data-record="${rec.id}"]`);
    await row.waitFor();
    const text = String(await row.textContent());
    expect(text).toContain('邓桂');
    expect(text).toContain('白衣村');
    expect(text).toContain(head.slice(-4));
    expect(text).not.toContain(head);
    expect(urls.filter((u) => u.includes(head.slice(6, 14)))).toEqual([]);
    expect(await p.locator('#households tbody tr').count()).toBe(1);

    await Promise.all([p.waitForURL(/\/app\/households\/.+/), row.locator('a').click()]);
    await p.waitForSelector('body[data-ready="true"]');
    expect(await p.textContent('#record-facts')).toContain('邓桂');
    expect(await p.textContent('#record-facts')).not.toContain(head);
    expect(await p.textContent('#timeline')).toMatch(/第 1 版.*baiyicun\.staff.*入户调查/);
    expect(await p.locator('#members li').count()).toBe(3);
    await screenshots(p, 'household-record');

    await Promise.all([p.waitForURL(/\/app\/fill\/household-survey\?record=/), p.click('#resurvey')]);
    await p.waitForSelector('body[data-ready="true"]');
    await p.waitForSelector('#f-headIdNumber');
    expect(await p.inputValue('#f-headIdNumber')).toBe(head);
    expect(await p.inputValue('#f-headName')).toBe('邓桂');
    expect(await p.inputValue('#f-surveyDate')).toBe(today);
    expect(await p.inputValue('#f-registerBaseVersion')).toBe('1');
    for (const [i, m] of members.entries()) {
      expect(await p.inputValue(`#f-members-${i}-name`)).not.toBe('');
      // Recomputed as of today, not the 2021 ages of the last visit.
      expect(await p.inputValue(`#f-members-${i}-age`)).toBe(String(idcardAgeOn(m, today)));
    }
    expect(await p.textContent('#saved-where')).toMatch(/复查/);
    await screenshots(p, 'household-resurvey');
    await Promise.all([p.waitForURL(/\/app\/submissions\//), p.click('#submit')]);

    const after = await show(String(rec.id));
    expect(after.record).toMatchObject({ id: rec.id, currentVersion: 2, openConflicts: 0 });
    const v2 = after.versions.find((v) => v.version === 2);
    expect(v2).toMatchObject({ baseVersion: 1, conflict: false, source: 'submission' });
    expect(p.url()).toContain(String(v2?.submissionId));
  });

  it('a township reviewer resolves a conflict from the inbox, after confirming', async () => {
    const head = person(21, '1960-01-15');
    const base = family(head, '李长青', [person(22), person(23, '1990-02-02'), person(24, '1995-05-05')]);
    await survey(base);
    await survey({ ...base, registerBaseVersion: 1, cashDeposits: 5000 });
    // Filled offline against version 1 while version 2 was recorded: a conflict.
    await survey({ ...base, registerBaseVersion: 1, cashDeposits: 800 });
    const rec = await recordOf(head);
    expect(rec).toMatchObject({ currentVersion: 2, openConflicts: 1 });

    const p = await page('baiyi.reviewer', DESKTOP);
    await open(p, `${server.url}/app/`);
    expect(await p.textContent('#todo-registers')).toMatch(/冲突 [1-9]/);
    await Promise.all([p.waitForURL(/\/app\/registers\/inbox/), p.click('#todo-registers-households')]);
    await p.waitForSelector('body[data-ready="true"]');
    const card = p.locator('article[data-kind="conflict"]', { hasText: '李长青' });
    await card.waitFor();
    expect(await card.locator('tr[data-property="cashDeposits"]').getAttribute('data-differs')).toBe('true');
    expect(await card.locator('tr[data-property="headName"]').getAttribute('data-differs')).toBeNull();
    expect(await card.textContent()).toMatch(/5,?000 元[\s\S]*800 元/);
    await screenshots(p, 'register-inbox-conflict');

    await card.locator('button[data-action="take"]').click();
    await p.waitForSelector('#confirm[open]');
    const words = String(await p.textContent('#confirm'));
    expect(words).toContain('李长青');
    expect(words).toContain(head.slice(-4));
    expect(words).not.toContain(head);
    expect(words).toMatch(/新版本（第 4 版）/);
    await p.click('#confirm-no');
    await p.waitForSelector('#confirm', { state: 'detached' });
    expect((await show(String(rec.id))).record).toMatchObject({ currentVersion: 2, openConflicts: 1 });

    await card.locator('button[data-action="take"]').click();
    await p.click('#confirm-yes');
    await card.waitFor({ state: 'detached' });
    await p.waitForFunction(() => /已采用/.test(document.getElementById('status')?.textContent ?? ''));
    const after = await show(String(rec.id));
    expect(after.record).toMatchObject({ currentVersion: 4, openConflicts: 0 });
    expect((after.record.properties as Json).cashDeposits).toBe(800);
  });

  it('merges two records of one family and transfers a family to another village, each after confirming', async () => {
    const shared = person(31, '2001-07-07');
    const a = family(person(32, '1958-04-04'), '王国强', [shared, person(33), person(34, '1988-08-08')]);
    const b = family(person(35, '1962-06-06'), '王秀英', [shared, person(36), person(37, '1992-09-09')]);
    await survey(a);
    await survey(b);
    const ra = await recordOf(String(a.headIdNumber));
    const rb = await recordOf(String(b.headIdNumber));
    const flags = (await call('baiyi.reviewer', 'GET', '/api/registers/households/inbox?kind=duplicate'))
      .items as Json[];
    const flag = flags.find(
      (f) => [f.recordId, f.otherRecordId].includes(rb.id) && [f.recordId, f.otherRecordId].includes(ra.id),
    );
    expect(flag).toBeDefined();

    const p = await page('baiyi.reviewer', DESKTOP);
    await open(p, `${server.url}/app/registers/inbox`);
    const card = p.locator(`article[data-flag="${flag?.id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('王国强');
    expect(await card.textContent()).toContain('王秀英');
    await screenshots(p, 'register-inbox-duplicate');
    // Keep the flagged record's other side: the button names the family kept.
    const keepA = card.locator('button[data-action^="merge-"]', { hasText: '王国强' });
    await keepA.click();
    await p.waitForSelector('#confirm[open]');
    const words = String(await p.textContent('#confirm'));
    expect(words).toMatch(/保留：王国强/);
    expect(words).toMatch(/并入：王秀英/);
    expect(words).toMatch(/不能撤销/);
    await p.keyboard.press('Escape');
    await p.waitForSelector('#confirm', { state: 'detached' });
    expect((await show(String(rb.id))).record.mergedInto).toBeNull();
    await keepA.click();
    await p.click('#confirm-yes');
    await card.waitFor({ state: 'detached' });
    expect((await show(String(rb.id))).record.mergedInto).toBe(ra.id);

    await open(p, `${server.url}/app/households/${ra.id}`);
    await p.fill('#transfer-to', OTHER_VILLAGE);
    await p.click('#transfer-go');
    await p.waitForSelector('#confirm[open]');
    const t = String(await p.textContent('#confirm'));
    expect(t).toContain('王国强');
    expect(t).toContain('古镇村');
    expect(t).toContain('白衣村');
    await screenshots(p, 'household-transfer-confirm');
    await p.click('#confirm-yes');
    await p.waitForFunction(() => /已迁移/.test(document.getElementById('status')?.textContent ?? ''));
    expect((await show(String(ra.id))).record.ownerOrgCode).toBe(OTHER_VILLAGE);
    expect(await p.textContent('#record-facts')).toContain('古镇村');
  });

  it('a village asks to transfer a family out; the township accepts it in the inbox after confirming', async () => {
    const head = person(41, '1966-11-11');
    await survey(family(head, '周世平', [person(42), person(43, '1991-01-01'), person(44, '1994-04-04')]));
    const rec = await recordOf(head);

    const v = await page('baiyicun.staff');
    await open(v, `${server.url}/app/households/${rec.id}`);
    await v.fill('#transfer-to', OTHER_VILLAGE);
    await v.click('#transfer-go');
    await v.waitForSelector('#confirm[open]');
    await v.click('#confirm-yes');
    // 古镇村 is outside the village's area: the transfer waits for an answer.
    await v.waitForFunction(() => /待其确认/.test(document.getElementById('status')?.textContent ?? ''));
    expect((await show(String(rec.id))).record.ownerOrgCode).toBe('511923102201');
    await open(v, `${server.url}/app/registers/inbox`);
    const out = v.locator('#transfers li[data-direction="out"]', { hasText: '周世平' });
    await out.waitFor();
    expect(await out.locator('button').count()).toBe(0);

    const p = await page('baiyi.reviewer', DESKTOP);
    await open(p, `${server.url}/app/registers/inbox`);
    const row = p.locator('#transfers li[data-direction="in"]', { hasText: '周世平' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/白衣村 → 古镇村/);
    expect(await row.textContent()).not.toContain(head);
    await screenshots(p, 'register-inbox-transfer');
    await row.locator('button[data-action="accept"]').click();
    await p.waitForSelector('#confirm[open]');
    expect(await p.textContent('#confirm')).toMatch(/周世平[\s\S]*迁到“古镇村”/);
    await p.click('#confirm-yes');
    await row.waitFor({ state: 'detached' });
    expect((await show(String(rec.id))).record.ownerOrgCode).toBe(OTHER_VILLAGE);
  });

  it('closes a family as 死亡 from a day after confirming (Cancel changes nothing); the page says so in Chinese and English', async () => {
    const head = person(61, '1949-02-02');
    await survey(family(head, '郑德海', [person(62), person(63, '1990-10-10'), person(64, '1995-05-05')]));
    const rec = await recordOf(head);
    const day = '2025-06-30';
    const p = await page('baiyicun.staff');
    await open(p, `${server.url}/app/households/${rec.id}`);
    await p.selectOption('#status-to', 'closed');
    await p.selectOption('#status-reason', 'death');
    await p.fill('#status-effective', day);
    await p.click('#status-go');
    await p.waitForSelector('#confirm[open]');
    const words = String(await p.textContent('#confirm'));
    expect(words).toContain('郑德海');
    expect(words).toContain('注销（死亡）');
    expect(words).toMatch(/自 2025-06-30 起这户不再列入附件3名单，复查也随之停止/);
    expect(words).not.toContain(head);
    await screenshots(p, 'household-status-confirm');
    await p.click('#confirm-no');
    await p.waitForSelector('#confirm', { state: 'detached' });
    expect((await show(String(rec.id))).record.status).toBe('active');

    await p.click('#status-go');
    await p.click('#confirm-yes');
    await p.waitForFunction(() => /已变更/.test(document.getElementById('status')?.textContent ?? ''));
    expect((await show(String(rec.id))).record).toMatchObject({ status: 'closed', statusReason: 'death' });
    expect(await p.textContent('#record-facts .record-state')).toBe(`注销（死亡），自 ${day} 起`);
    expect(await p.textContent('#timeline li[data-kind="status"]')).toContain(
      `自 ${day} 起注销（死亡），由 baiyicun.staff 记入`,
    );
    expect(await p.locator('#resurvey').count()).toBe(0);
    // Reopening is offered: the closed record may be made active again.
    expect(await p.locator('#status-to option[value="active"]').count()).toBe(1);

    await p.click('#lang-switch');
    await p.waitForSelector('html[lang="en"] body[data-ready="true"]');
    await open(p, `${server.url}/app/households/${rec.id}`);
    expect(await p.textContent('#record-facts .record-state')).toBe(`Closed (Death), from ${day}`);
    expect(await p.textContent('#timeline li[data-kind="status"]')).toContain(
      `Closed (Death) from ${day}, recorded by baiyicun.staff`,
    );
    expect(await p.textContent('#status-change')).toContain('Change status');
  });

  it('the register pages read in English', async () => {
    const head = person(51, '1970-12-12');
    const base = family(head, '吴有林', [person(52), person(53, '1993-03-03'), person(54, '1996-06-06')]);
    await survey(base);
    await survey({ ...base, registerBaseVersion: 1, cashDeposits: 100 });
    await survey({ ...base, registerBaseVersion: 1, cashDeposits: 200 });
    const rec = await recordOf(head);
    const p = await page('baiyi.reviewer', DESKTOP);
    await p.click('#lang-switch');
    await p.waitForSelector('html[lang="en"] body[data-ready="true"]');
    for (const path of ['/app/households', `/app/households/${rec.id}`, '/app/registers/inbox']) {
      await open(p, `${server.url}${path}`);
      await p.waitForSelector('#households tbody tr, #timeline li, article[data-flag]');
      const text = (await p.textContent('#app')) ?? '';
      // Families' names and unit names stay Chinese; the page's own words do not.
      for (const zh of [
        '户主',
        '状态',
        '版本',
        '在册',
        '迁移',
        '冲突',
        '入户调查',
        '元',
        '农村',
        '更多',
        '查找',
      ])
        expect(text, `${path}: ${zh}`).not.toContain(zh);
    }
    await screenshots(p, 'register-inbox-en');
  });
});
