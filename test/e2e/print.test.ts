import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { idcardAgeOn } from '../factories/idcard.ts';
import { DESKTOP, haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { pdfPageCount, strokePng } from './png.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * Printing from the pages: 附件2 on the seed's grid — one A4 page for a family of four, every
 * option as ☑/□, the signatures of the surveyor and the family as pictures, once — continuing
 * on a second page for a large family; the blank form with □ for paper fallback; 附件1 with its
 * three header rows and 注明, 附件3 with its 说明. Page counts come from Chromium's `page.pdf()`.
 */

const ROOT = join(import.meta.dirname, '../..');
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function family(): Record<string, unknown> {
  const d = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/submissions/household-survey/valid-family.json'), 'utf8'),
  ).data as Record<string, unknown>;
  const members = (d.members as Record<string, unknown>[]).map((m) => ({
    ...m,
    age: idcardAgeOn(String(m.idNumber), today),
  }));
  return { ...d, members, surveyDate: today };
}

const pdfPages = async (page: Page) =>
  pdfPageCount(await page.pdf({ format: 'A4', preferCSSPageSize: true }));

describe.skipIf(!haveChromium)('printing in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let token = '';
  const data = family();
  const ids: Record<string, string> = {};

  const post = async (url: string, payload: unknown, key: string) => {
    const r = await server.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
      payload: payload as Record<string, unknown>,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Record<string, unknown>;
  };
  const upload = async (bytes: Buffer, name: string) => {
    const r = await server.app.inject({
      method: 'POST',
      url: `/api/attachments?name=${encodeURIComponent(name)}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      payload: bytes,
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json() as Record<string, unknown>;
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    // The village's form has an ID card photo (an overlay published by the province's admin).
    const admin = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const overlay = await server.app.inject({
      method: 'POST',
      url: '/api/forms/household-survey/overlays',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        orgUnit: '511923102201',
        overlay: {
          form: 'household-survey',
          operations: [
            {
              op: 'addField',
              after: 'requests',
              field: {
                id: 'idCardPhoto',
                type: 'photo',
                pii: true,
                label: { 'zh-CN': '身份证照片', en: 'ID card photo' },
              },
            },
          ],
        },
      },
    });
    expect(overlay.statusCode, overlay.body).toBe(201);
    const idCardPhoto = [await upload(strokePng(320, 200, 3), 'idcard.png')];
    const surveyorSignatureImage = await upload(strokePng(240, 60, 1), 'surveyor.png');
    const householdSignatureImage = await upload(strokePng(240, 60, 2), 'family.png');
    ids.four = String(
      (
        await post(
          '/api/forms/household-survey/submissions',
          {
            status: 'submitted',
            data: { ...data, idCardPhoto, surveyorSignatureImage, householdSignatureImage },
          },
          'print-four',
        )
      ).id,
    );
    // A family of twenty (the most the form takes): the members continue on a second page.
    const many = Array.from({ length: 19 }, (_, i) => ({
      ...(data.members as Record<string, unknown>[])[i % 3],
      name: `成员${i + 1}`,
    }));
    ids.large = String(
      (
        await post(
          '/api/forms/household-survey/submissions',
          { status: 'draft', data: { ...data, members: many, householdSize: 20 } },
          'print-large',
        )
      ).id,
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the survey of a family of four prints on one A4 page, ticks, both signatures and the ID photo in', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyi.reviewer');
    await open(page, `${server.url}/app/submissions/${ids.four}`);
    await Promise.all([
      page.waitForURL(/\/app\/print\/household-survey-print\?s=/),
      page.click('#print-case a[data-report="household-survey-print"]'),
    ]);
    await page.waitForSelector('body[data-ready="true"]');
    const sheet = String(await page.textContent('#sheet'));
    expect(sheet).toContain(String(data.headName));
    // Every option printed, the chosen one ticked: 性别 女, 健康状况 重病, 贫困原因 疾病.
    expect(sheet).toContain('□男');
    expect(sheet).toContain('☑女');
    expect(sheet).toContain('☑重病');
    expect(sheet).toContain('☑疾病');
    expect(sheet).toContain('□灾害');
    expect(sheet).toContain('□低保边缘户');
    // The members by name, their relation in words.
    for (const m of data.members as { name: string }[]) expect(sheet).toContain(m.name);
    expect(sheet).toContain('子女');
    // The signatures: two pictures, loaded from the attachments, as data: URLs (the CSP's img-src).
    const pictures = await page.$$eval('#sheet img.picture', (imgs) =>
      imgs.map((i) => ({
        src: (i as HTMLImageElement).src.slice(0, 22),
        w: (i as HTMLImageElement).naturalWidth,
      })),
    );
    expect(pictures).toEqual([
      { src: 'data:image/png;base64,', w: 320 },
      { src: 'data:image/png;base64,', w: 240 },
      { src: 'data:image/png;base64,', w: 240 },
    ]);
    // The ID card photo on a row of its own, labelled as the form says.
    expect(sheet).toContain('身份证照片');
    await expect(page.locator('#sheet .signature img.picture').count()).resolves.toBe(2);
    // Signature and 指模 boxes once.
    await expect(page.locator('#sheet td.sign-box').count()).resolves.toBe(2);
    await expect(page.locator('#sheet .finger').count()).resolves.toBe(1);
    // Member table columns keep their width: no header cell narrower than two characters.
    const narrow = await page.$$eval('#sheet table.members thead th', (ths) =>
      ths.map((t) => t.getBoundingClientRect().width).filter((x) => x < 30),
    );
    expect(narrow).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await pdfPages(page)).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    await screenshots(page, 'print-survey');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('a reader without the right to personal data gets the page without the signatures and the photo', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'province.viewer');
    await open(page, `${server.url}/app/print/household-survey-print?s=${ids.four}`);
    await expect(page.locator('#sheet img').count()).resolves.toBe(0);
    await expect(page.locator('#sheet .masked').count()).resolves.toBe(3);
    const sheet = String(await page.textContent('#sheet'));
    expect(sheet).toContain(String(data.headName));
    expect(sheet).not.toContain(String(data.headIdNumber));
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 60_000);

  it('a family of twenty continues on a second page, the signatures kept together', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyi.reviewer');
    await open(page, `${server.url}/app/print/household-survey-print?s=${ids.large}`);
    await expect(page.locator('#sheet table.members tbody tr').count()).resolves.toBe(19);
    expect(await pdfPages(page)).toBe(2);
    await screenshots(page, 'print-survey-large');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('the blank survey prints every option with □ on one page, for paper fallback', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/forms`);
    await Promise.all([
      page.waitForURL(/\/app\/print\/household-survey-print$/),
      page.click('#print-household-survey a[data-report="household-survey-print"]'),
    ]);
    await page.waitForSelector('body[data-ready="true"]');
    const sheet = String(await page.textContent('#sheet'));
    expect(sheet).not.toContain('☑');
    for (const o of [
      '□男',
      '□女',
      '□疾病',
      '□灾害',
      '□残疾',
      '□缺乏劳动力',
      '□低保',
      '□特困',
      '□临时救助',
      '□是',
      '□否',
    ])
      expect(sheet).toContain(o);
    // Five empty member rows, as on paper, and the options of relation to write in.
    await expect(page.locator('#sheet table.members tbody tr').count()).resolves.toBe(5);
    expect(sheet).toContain('□配偶');
    expect(await pdfPages(page)).toBe(1);
    await screenshots(page, 'print-survey-blank');
    // In English: the form's English words, the same boxes.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    const en = String(await page.textContent('#sheet'));
    for (const o of ['□Male', '□Female', '□Illness', '□Yes', 'Household assets']) expect(en).toContain(o);
    expect(en).not.toContain('户主姓名');
    await screenshots(page, 'print-survey-blank-en');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('附件1 prints with titles, sub-titles and units and its 注明; 附件3 with its 说明', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'admin');
    await open(page, `${server.url}/app/print/visit-statistics?period=2021-06-03&org=510000`);
    await expect(page.locator('#print-table thead tr').count()).resolves.toBe(3);
    const head = String(await page.textContent('#print-table thead'));
    expect(head).toContain('通过走访发现并纳入救助范围的对象');
    expect(head).toContain('其中:纳入低保人数');
    expect(head).toContain('支出资金（元）');
    expect(String(await page.textContent('#sheet'))).toContain('注明：表格由市（州）民政局');
    await expect(page.locator('#sheet.landscape').count()).resolves.toBe(1);
    await screenshots(page, 'print-visit-statistics');

    await open(page, `${server.url}/app/print/low-income-roster?org=511923`);
    const roster = String(await page.textContent('#sheet'));
    expect(roster).toContain('农村低收入群众信息汇总统计表');
    expect(roster).toContain('说明：1.统计对象为家庭月人均收入');
    expect(roster).toContain('3.“困难类型”');
    await screenshots(page, 'print-roster');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);
});
