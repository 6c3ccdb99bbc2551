import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
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
 * The cross-check, referral and monitoring pages in Chromium against the shipped configuration
 * with the demo loaded: the county imports a monitoring list with one bad row (the row and the
 * column are named in words), the comparison finds work, a finding is closed as not applicable
 * with its reason after a confirmation, a referral made from a finding is answered by the
 * department's account and recorded done by the county, and after a standard is raised the
 * change list shows the families it moved.
 */

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

/** An ID number with its GB 11643 check digit. */
function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (w[i] as number), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

const VILLAGE = '511923102201';
const STRANGER = idNumber('51192319700101123');
/** The same person with a wrong check digit. */
const BAD_ID = `${STRANGER.slice(0, 17)}${STRANGER.endsWith('0') ? '1' : '0'}`;

describe.skipIf(!haveChromium)('cross-checks, referrals and monitoring pages in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let headId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const recs = await call(
      'pingchang.reviewer',
      'GET',
      `/api/registers/households/records?orgCode=${VILLAGE}&limit=5`,
    );
    headId = (recs.json() as { items: { key: string }[] }).items[0]?.key ?? '';
    expect(headId).toMatch(/^\d{17}[\dX]$/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const tokens = new Map<string, string>();
  async function call(username: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
    let token = tokens.get(username);
    if (!token) {
      const r = await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      token = r.json().token as string;
      tokens.set(username, token);
    }
    return server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  }

  async function noProblems(w: Watched) {
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }

  /** Screenshots at both widths, and axe finds no serious or critical violation at either. */
  async function shotsAndAxe(page: Page, name: string) {
    await page.setViewportSize(PHONE);
    const found = await violations(page, `${PHONE.width}px`);
    await page.setViewportSize(DESKTOP);
    found.push(...(await violations(page, `${DESKTOP.width}px`)));
    await page.setViewportSize(PHONE);
    expect(found, name).toEqual([]);
    await screenshots(page, name);
  }

  /** The whole page's text holds no ID number in clear. */
  const noWholeId = async (page: Page, ...ids: string[]) => {
    const text = (await page.textContent('main')) ?? '';
    for (const id of ids) expect(text).not.toContain(id);
  };

  it('imports a list with one bad row, compares it, and closes a finding with a reason', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await expect(page.locator('#nav a[href="/app/crosschecks/lists"]').count()).resolves.toBe(1);
    await open(page, `${server.url}/app/crosschecks/lists`);
    await page.selectOption('#list-id', 'prr-monitoring');
    await expect(page.inputValue('#delivery-org')).resolves.toBe('511923');

    // No file: said under the input, nothing sent.
    await page.click('#delivery-send');
    await page.waitForSelector('#delivery-file[aria-invalid="true"]');
    await expect(page.textContent('#delivery-file-err')).resolves.toContain('请选择名单文件');

    const csv = [
      '身份证号码,姓名,所在村（社区）代码,监测对象类型,建档立卡',
      `${STRANGER},张未调,${VILLAGE},脱贫不稳定户,否`,
      `${headId},户主,${VILLAGE},边缘易致贫户,是`,
      `${BAD_ID},错号码,${VILLAGE},突发严重困难户,否`,
    ].join('\r\n');
    await page.setInputFiles('#delivery-file', {
      name: '平昌县防返贫监测对象.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\ufeff${csv}\r\n`, 'utf8'),
    });
    await page.click('#delivery-send');
    await page.waitForSelector('#import-summary');
    await expect(page.getAttribute('#import-summary', 'data-rejected')).resolves.toBe('1');
    await expect(page.getAttribute('#import-summary', 'data-accepted')).resolves.toBe('2');
    const bad = await page.locator('#import-errors tbody tr').allTextContents();
    expect(bad).toHaveLength(1);
    const cells = await page.locator('#import-errors tr[data-row="4"] td').allTextContents();
    expect(cells[0]).toBe('第 4 行');
    expect(cells[1]).toBe('身份证号码');
    expect(cells[2]).not.toMatch(/NX_ERR|^\//);
    await expect(page.locator('#run-results li[data-comparison="prr-monitoring"]').count()).resolves.toBe(1);
    const created = Number(await page.getAttribute('#run-results li', 'data-created'));
    expect(created).toBeGreaterThanOrEqual(1);
    const row = page.locator('#deliveries tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('第 1 版');
    await noWholeId(page, STRANGER, headId);
    await shotsAndAxe(page, 'crosscheck-lists');

    // Compared again: nothing new (the run is idempotent).
    await page.click('#deliveries button.rerun');
    await page.waitForSelector('#run-results li[data-created="0"]');

    // The findings: explained in words, the owner unit named, closed with a reason.
    await open(page, `${server.url}/app/crosschecks/findings`);
    const never = page.locator('li.finding[data-type="survey"]');
    await expect(never.count()).resolves.toBe(1);
    const text = (await never.textContent()) ?? '';
    expect(text).toContain('监测对象未入户调查');
    expect(text).toContain('名单 · 监测对象类型：脱贫不稳定户');
    expect(text).toContain('白衣村');
    expect(text).toContain(`${STRANGER.slice(0, 6)}********${STRANGER.slice(-4)}`);
    await noWholeId(page, STRANGER, headId);
    await shotsAndAxe(page, 'findings');

    const id = (await never.getAttribute('data-finding')) as string;
    await never.locator('input[value="not_applicable"]').check();
    await never.locator('button.close-finding').click();
    // The reason is required for “not applicable”: said under the field, nothing sent.
    await never.locator('textarea[aria-invalid="true"]').waitFor();
    await expect(page.locator('#confirm').count()).resolves.toBe(0);
    await never.locator('textarea').fill('已迁往外省，户籍不在本县');
    await never.locator('button.close-finding').click();
    await page.waitForSelector('#confirm[open]');
    await expect(page.textContent('#confirm-family')).resolves.toContain('白衣村');
    // Cancel leaves it open.
    await page.click('#confirm-no');
    await expect(
      (await call('pingchang.reviewer', 'GET', `/api/crosschecks/findings/${id}`)).json().status,
    ).toBe('open');
    await never.locator('button.close-finding').click();
    await page.click('#confirm-yes');
    await page.waitForFunction((fid) => !document.querySelector(`li.finding[data-finding="${fid}"]`), id);
    await expect(page.textContent('#status')).resolves.toContain('已关闭');
    const closed = (await call('pingchang.reviewer', 'GET', `/api/crosschecks/findings/${id}`)).json();
    expect(closed).toMatchObject({
      status: 'closed',
      resolution: 'not_applicable',
      reason: '已迁往外省，户籍不在本县',
    });
    await page.selectOption('#f-state', 'closed');
    await page.click('#f-apply');
    await page.waitForSelector(`li.finding[data-finding="${id}"] .resolution`);
    await expect(page.textContent(`li.finding[data-finding="${id}"] .resolution`)).resolves.toContain(
      '不适用：已迁往外省',
    );

    // The home page counts what stays open.
    await open(page, `${server.url}/app/`);
    const open1 = Number(await page.getAttribute('#todo-findings', 'data-open'));
    expect(open1).toBe(created - 1);
    await noProblems(w);
  }, 180_000);

  it('a referral made from a finding is answered by the department and recorded done by the county', async () => {
    // The county makes pingchang.finance the medical department's account.
    const assign = await call('pingchang.head', 'POST', '/api/crosschecks/referrals/departments', {
      username: 'pingchang.finance',
      department: 'medical',
    });
    expect(assign.statusCode).toBe(200);
    const findings = (
      await call('pingchang.reviewer', 'GET', '/api/crosschecks/findings?status=open')
    ).json() as {
      items: { id: string }[];
    };
    const finding = findings.items[0]?.id as string;
    expect(finding).toBeTruthy();

    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/referrals?finding=${encodeURIComponent(finding)}`);
    await expect(page.inputValue('#r-source')).resolves.toBe(finding);
    await page.selectOption('#r-department', 'medical');
    await page.fill('#r-items', '住院费用报销\n慢性病门诊');
    await page.fill('#r-note', '户主长期住院');
    await page.click('#r-create');
    const card = page.locator('li.referral[data-status="open"]');
    await card.waitFor();
    await expect(card.locator('.items li').count()).resolves.toBe(2);
    // The village follows; it does not answer.
    await expect(card.locator('form.answer').count()).resolves.toBe(0);
    await shotsAndAxe(page, 'referrals-village');

    // From a survey: the submission page links here, the family's requests come from the survey.
    const cases = (
      await call('baiyicun.staff', 'GET', '/api/cases?form=household-survey&limit=50')
    ).json() as {
      items: { submissionId: string; status: string }[];
    };
    const surveyId = cases.items.find((c) => c.status !== 'draft')?.submissionId as string;
    await open(page, `${server.url}/app/submissions/${encodeURIComponent(surveyId)}`);
    await page.click('#refer-case');
    await page.waitForSelector('body[data-ready="true"] #referral-form');
    await expect(page.inputValue('#r-kind')).resolves.toBe('case');
    await expect(page.inputValue('#r-source')).resolves.toBe(surveyId);
    await page.selectOption('#r-department', 'education');
    await page.click('#r-create');
    await page.waitForFunction(
      () => document.querySelectorAll('li.referral[data-status="open"]').length === 2,
    );
    await w.context.close();

    // The department's account: the page in its menu, its referral, an answer and one request done.
    const d = await watchedPage(browser);
    await login(d.page, server.url, 'pingchang.finance');
    await d.page.waitForSelector('#nav a[href="/app/referrals"]');
    await expect(d.page.locator('#todo-referrals').getAttribute('data-open')).resolves.toBe('1');
    await open(d.page, `${server.url}/app/referrals`);
    await expect(d.page.textContent('#referral-role')).resolves.toContain('医疗救助');
    const dc = d.page.locator('li.referral').first();
    await dc.locator('select[id$="-status"]').selectOption('accepted');
    await dc.locator('button.send-answer').click();
    await d.page.waitForSelector('li.referral[data-status="accepted"]');
    const item = d.page.locator('li.referral .items li').first();
    await item.locator('select').selectOption('done');
    await d.page.waitForSelector('li.referral .items li[data-status="done"]');
    await shotsAndAxe(d.page, 'referrals-department');
    await noProblems(d);

    // The county records the department's final answer; declining would need a reason.
    const c = await watchedPage(browser);
    await login(c.page, server.url, 'pingchang.reviewer');
    await open(c.page, `${server.url}/app/referrals`);
    const cc = c.page.locator('li.referral[data-status="accepted"]');
    await cc.locator('select[id$="-status"]').selectOption('declined');
    await cc.locator('button.send-answer').click();
    await cc.locator('textarea[aria-invalid="true"]').waitFor();
    await cc.locator('select[id$="-status"]').selectOption('done');
    await cc.locator('textarea').fill('已按医疗救助政策报销');
    await cc.locator('button.send-answer').click();
    await c.page.waitForFunction(() => !document.querySelector('li.referral[data-status="accepted"]'));
    await c.page.selectOption('#r-filter', 'all');
    await c.page.waitForSelector('li.referral[data-status="done"] .answer-text');
    await expect(c.page.textContent('li.referral[data-status="done"] .answer-text')).resolves.toContain(
      '已按医疗救助政策报销',
    );
    await noProblems(c);
  }, 180_000);

  it('after a standard is raised, a run shows the change list per unit and the re-visits', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const put = await call('admin', 'PUT', '/api/parameters/dibao_standard', {
      orgCode: '511923',
      area: 'rural',
      validFrom: today,
      value: 900,
    });
    expect(put.statusCode).toBeLessThan(300);
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'admin');
    await open(page, `${server.url}/app/monitoring`);
    await page.click('#run-now');
    await page.waitForSelector('#jobs tr[data-status="done"]');
    await page.waitForSelector('#changes-box li[data-change]');
    const groups = page.locator(`#changes-box .unit-group[data-org="${VILLAGE}"]`);
    await expect(groups.count()).resolves.toBe(1);
    const kinds = await page.locator('#changes-box li[data-change] .kind').allTextContents();
    expect(kinds.some((k) => /新纳入名册|退出名册|成为低保候选|困难类型变化/.test(k))).toBe(true);
    const change = page.locator('#changes-box li[data-change]').first();
    await expect(change.textContent()).resolves.toContain('低保标准');
    await expect(change.locator('a.resurvey').getAttribute('href')).resolves.toMatch(
      /^\/app\/fill\/household-survey\?record=/,
    );
    await expect(page.locator('#revisits-box h2').count()).resolves.toBe(1);
    const all = (await call('admin', 'GET', '/api/monitoring/changes?status=all&limit=1000')).json() as {
      items: { idNumber: string }[];
    };
    await noWholeId(page, ...all.items.map((i) => i.idNumber).filter(Boolean));
    await shotsAndAxe(page, 'monitoring');

    // The change of one run only; closing an item takes it off the open list.
    await page.locator('#jobs button.show-job').first().click();
    await page.waitForSelector('#c-job');
    const first = page.locator('#changes-box li[data-change][data-status="open"]').first();
    const cid = (await first.getAttribute('data-change')) as string;
    await first.locator('select').selectOption('revisited');
    await first.locator('input').fill('已入户核实');
    await first.locator('button[type=submit]').click();
    await page.waitForSelector(`#changes-box li[data-change="${cid}"][data-status="closed"]`);

    // The re-survey link opens the survey prefilled from the register record.
    const href = (await page.locator('#changes-box a.resurvey').first().getAttribute('href')) as string;
    await open(page, `${server.url}${href}`);
    await page.waitForSelector('#f-headIdNumber');
    await expect(page.inputValue('#f-headIdNumber')).resolves.toMatch(/^\d{17}[\dX]$/);
    await noProblems(w);
  }, 180_000);

  it('an XLSX delivery is read in the browser: shared strings, a date cell, a refused grade by row and column', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('残联名单');
    ws.addRow(['身份证号码', '姓名', '所在村（社区）代码', '残疾等级', '残疾类别', '发证日期']);
    ws.addRow([headId, '户主', VILLAGE, '二级', '肢体', new Date(Date.UTC(2020, 4, 1))]);
    ws.addRow([STRANGER, '张未调', VILLAGE, '五级', '视力', new Date(Date.UTC(2019, 0, 15))]);
    ws.getColumn(6).numFmt = 'yyyy-mm-dd';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());

    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.head');
    await open(page, `${server.url}/app/crosschecks/lists?list=cdpf-disability`);
    await expect(page.inputValue('#list-id')).resolves.toBe('cdpf-disability');
    await page.setInputFiles('#delivery-file', {
      name: '残联名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await page.click('#delivery-send');
    await page.waitForSelector('#import-summary');
    // The date cell arrived as a day (a day number would have been refused with the row).
    await expect(page.getAttribute('#import-summary', 'data-accepted')).resolves.toBe('1');
    await expect(page.getAttribute('#import-summary', 'data-rejected')).resolves.toBe('1');
    const cells = await page.locator('#import-errors tr[data-row="3"] td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['第 3 行', '残疾等级']);
    // The same file again is recognised, nothing stored twice.
    await page.setInputFiles('#delivery-file', {
      name: '残联名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await page.click('#delivery-send');
    await page.waitForSelector('#import-summary[data-duplicate="true"]');
    await expect(page.locator('#deliveries tbody tr').count()).resolves.toBe(1);
    await noProblems(w);
  }, 120_000);

  it('the pages read in English', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="en"] body[data-ready="true"]');
    for (const path of [
      '/app/crosschecks/lists',
      '/app/crosschecks/findings',
      '/app/referrals',
      '/app/monitoring',
    ]) {
      await open(page, `${server.url}${path}`);
      const text = (await page.textContent('main')) ?? '';
      // Every control has a name (a label, or aria-label), whatever the data drawn.
      const unnamed = await page.evaluate(() =>
        Array.from(
          document.querySelectorAll<HTMLInputElement>('main input, main select, main textarea, main button'),
        )
          .filter((el) => el.type !== 'hidden')
          .filter(
            (el) =>
              !(el.labels && el.labels.length > 0) &&
              !el.getAttribute('aria-label') &&
              !el.getAttribute('aria-labelledby') &&
              !(el.tagName === 'BUTTON' && el.textContent?.trim()),
          )
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unnamed, path).toEqual([]);
      // Unit names and the families' own words stay Chinese; the page's words do not.
      for (const zh of ['待处理', '比对的数值', '负责单位', '答复期限', '变动清单', '历次交付', '导入'])
        expect(text, `${path}: ${zh}`).not.toContain(zh);
    }
    await screenshots(page, 'findings-en');
    await noProblems(w);
  }, 120_000);

  it('the findings list shows a page at a time and the rest on "more", each finding once', async () => {
    // A medical list of 60 people no household has: 60 more survey tasks for the village.
    const people = Array.from({ length: 60 }, (_, i) =>
      idNumber(`51192319850203${String(i).padStart(3, '0')}`),
    );
    const delivered = await call(
      'pingchang.reviewer',
      'POST',
      '/api/crosschecks/lists/medical-high-cost/deliveries',
      {
        orgCode: '511923',
        rows: [['idNumber', 'areaCode', 'outOfPocket12m'], ...people.map((p) => [p, VILLAGE, '30000'])],
      },
    );
    expect(delivered.statusCode, delivered.body).toBe(201);
    const all: string[] = [];
    let after = '';
    for (;;) {
      const r = await call(
        'pingchang.reviewer',
        'GET',
        `/api/crosschecks/findings?status=open&order=due&limit=500${after ? `&after=${after}` : ''}`,
      );
      const body = r.json() as { items: { id: string }[]; next: string | null };
      all.push(...body.items.map((f) => f.id));
      if (!body.next) break;
      after = body.next;
    }
    expect(all.length).toBeGreaterThan(60);

    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await open(page, `${server.url}/app/crosschecks/findings`);
    await expect(page.locator('li.finding').count()).resolves.toBe(50);
    await expect(page.textContent('#finding-count')).resolves.toContain('还有更多');
    for (;;) {
      const more = page.locator('#findings-more');
      if (!(await more.isVisible())) break;
      const before = await page.locator('li.finding').count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll('li.finding').length > n, before);
    }
    const shown = await page.$$eval('li.finding', (els) => els.map((el) => el.getAttribute('data-finding')));
    expect(shown).toEqual(all);
    await expect(page.textContent('#finding-count')).resolves.toContain(`共 ${all.length} 条`);
    await noProblems(w);
  }, 120_000);
});
