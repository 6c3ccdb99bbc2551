import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentsDb } from '../../plugins/payments/tables.ts';
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
 * The money side in Chromium on the demo county: civil affairs generates next month's batch
 * (carrying the demo's failed line), finance approves it whole after a confirmation naming county,
 * month, lines and total, the bank downloads the bank file and uploads a return file with one
 * failure, and reconciliation shows paid and failed lines. Then a benefit's changes, and 人社's
 * card accounts. No page breaks the Content-Security-Policy or throws.
 */

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

async function clean(w: Watched): Promise<void> {
  const p = await w.problems();
  expect(p.csp).toEqual([]);
  expect(p.errors).toEqual([]);
  await w.context.close();
}

const rows = (page: Page, sel: string) => page.locator(`${sel} tbody tr`).count();

describe.skipIf(!haveChromium)('payments pages in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let month = '';
  let batchId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const demo = await paymentsDb(server.db)
      .selectFrom('payment_batches')
      .select('month')
      .executeTakeFirstOrThrow();
    month = nextMonth(demo.month);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('civil affairs sees the failed line to correct and generates next month’s batch, which carries it', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await expect(page.locator('#todo-failed-lines li').count()).resolves.toBe(1);
    await expect(page.textContent('#todo-failed-lines')).resolves.toContain('账户已冻结');
    await expect(page.locator('#nav a[href="/app/payments"]').count()).resolves.toBe(1);
    await open(page, `${server.url}/app/payments`);
    await expect(rows(page, '#batches')).resolves.toBe(1);
    await screenshots(page, 'payments');
    await page.fill('#gen-month', month);
    await Promise.all([page.waitForURL(/\/app\/payments\/[^/]+\?created=1$/), page.click('#generate')]);
    await page.waitForSelector('body[data-ready="true"]');
    batchId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3] ?? '');
    await expect(page.textContent('#batch-status')).resolves.toContain('待财政审核');
    await expect(page.textContent('#batch-status')).resolves.toContain(month);
    // The failed line comes back, marked as carried over, for its own month.
    const carried = page.locator('#lines tr.carried');
    await expect(carried.count()).resolves.toBe(1);
    await expect(carried.textContent()).resolves.toContain('补发');
    // IDs and accounts are masked on the page, even for a user with pii.
    const table = String(await page.textContent('#lines'));
    expect(table).not.toMatch(/\d{17}[\dX]/);
    expect(table).toMatch(/\*{4}\d{4}/);
    await expect(page.locator('#finance-actions').count()).resolves.toBe(0);
    await screenshots(page, 'payment-batch-generated');
    await clean(w);
  }, 120_000);

  it('finance returns only with a reason and approves the whole batch after a confirmation', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'pingchang.finance');
    await expect(page.locator(`#todo-finance li[data-batch="${batchId}"]`).count()).resolves.toBe(1);
    await open(page, `${server.url}/app/payments`);
    await expect(rows(page, '#awaiting-batches')).resolves.toBe(1);
    await open(page, `${server.url}/app/payments/${batchId}`);
    await expect(
      page.locator('#finance-actions button').evaluateAll((bs) => bs.map((b) => b.id)),
    ).resolves.toEqual(['return-batch', 'approve-batch']);
    // No reason: the field is marked, nothing asked.
    await page.click('#return-batch');
    await expect(page.getAttribute('#return-reason', 'aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#confirm').count()).resolves.toBe(0);
    // Approve: the dialog names county, month, line count and total; Cancel changes nothing.
    const lines = await page.locator('#lines tbody tr:not([data-status="blocked"])').count();
    await page.click('#approve-batch');
    await page.waitForSelector('#confirm[open]');
    const text = String(await page.textContent('#confirm'));
    expect(text).toContain('平昌县');
    expect(text).toContain(month);
    expect(text).toContain(`${lines} 行`);
    expect(text).toMatch(/合计 [\d,]+\.\d{2} 元/);
    await screenshots(page, 'payment-confirm-approve');
    await page.click('#confirm-no');
    await page.waitForSelector('#confirm', { state: 'detached' });
    await expect(page.textContent('#batch-status')).resolves.toContain('待财政审核');
    await page.click('#approve-batch');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-yes');
    await page.waitForFunction(() =>
      /已审核/.test(document.getElementById('batch-status')?.textContent ?? ''),
    );
    await expect(page.locator('#finance-actions').count()).resolves.toBe(0);
    await clean(w);
  }, 120_000);

  it('the bank downloads the bank file, uploads a return file with one failure, and reconciles', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'pingchang.bank');
    await expect(page.textContent(`#todo-bank li[data-batch="${batchId}"]`)).resolves.toContain('待下载');
    await open(page, `${server.url}/app/payments/${batchId}`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#bank-file-csv')]);
    expect(dl.suggestedFilename()).toMatch(/^payment-511923-.+\.csv$/);
    const csv = readFileSync(String(await dl.path()), 'utf8').replace(/^\uFEFF/, '');
    const cells = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((r) => r.split(','))
      .filter((c) => c[0] !== '合计');
    expect(cells.length).toBeGreaterThan(1);
    const date = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const answer = [
      '批次号,行号,身份证号码,金额（元）,结果,失败原因,处理日期',
      ...cells.map((c, i) =>
        [c[0], c[1], c[3], c[5], i === 0 ? '失败' : '成功', i === 0 ? '户名不符' : '', date].join(','),
      ),
    ].join('\r\n');
    // Nothing chosen: the file field is marked.
    await page.click('#import-return');
    await expect(page.getAttribute('#return-file', 'aria-invalid')).resolves.toBe('true');
    await page.setInputFiles('#return-file', {
      name: 'return.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(answer, 'utf8'),
    });
    await page.click('#import-return');
    await page.waitForFunction(() =>
      /成功/.test(document.getElementById('import-result')?.textContent ?? ''),
    );
    await expect(page.textContent('#import-result')).resolves.toContain(
      `成功 ${cells.length - 1} 行，失败 1 行`,
    );
    await expect(page.textContent('#batch-status')).resolves.toContain('已对账');
    await expect(rows(page, '#rec-failed')).resolves.toBe(1);
    await expect(page.textContent('#rec-failed')).resolves.toContain('户名不符');
    await expect(rows(page, '#rec-paid')).resolves.toBe(cells.length - 1);
    await expect(page.locator('#rec-missing tbody tr').count()).resolves.toBe(0);
    await screenshots(page, 'payment-reconciliation');
    // The same file again changes nothing, and says so.
    await page.setInputFiles('#return-file', {
      name: 'return.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(answer, 'utf8'),
    });
    await page.click('#import-return');
    await page.waitForFunction(() =>
      /没有任何更改/.test(document.getElementById('import-result')?.textContent ?? ''),
    );
    // In English: states, types and units in English too.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    const en = String(await page.textContent('#batch-status'));
    expect(en).toMatch(/batch for .+ lines, total [\d,]+\.\d{2} yuan · Reconciled/);
    const heads = await page.locator('#lines th').allTextContents();
    expect(heads.filter((x) => /[\u4e00-\u9fff]/.test(x))).toEqual([]);
    await expect(page.textContent('#rec-failed')).resolves.toContain('Minimum living guarantee');
    await screenshots(page, 'payment-reconciliation-en');
    await clean(w);
  }, 120_000);

  it('a benefit reads as sentences; a change needs a reason and a confirmation naming the family', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await open(page, `${server.url}/app/benefits`);
    await screenshots(page, 'benefits');
    const first = page.locator('#benefits tbody tr[data-status="active"] a').first();
    const name = String(await first.textContent());
    await Promise.all([page.waitForURL(/\/app\/benefits\/.+/), first.click()]);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.textContent('#benefit-history')).resolves.toMatch(
      /批准低保，每月 [\d,]+\.\d{2} 元，自 \d{4}-\d{2} 起/,
    );
    await page.click('#benefit-actions button[data-action="suspend"]');
    await expect(page.getAttribute('#change-reason', 'aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#confirm').count()).resolves.toBe(0);
    await page.fill('#change-reason', '外出务工，收入待核实');
    await page.click('#benefit-actions button[data-action="suspend"]');
    await page.waitForSelector('#confirm[open]');
    await expect(page.textContent('#confirm-family')).resolves.toContain(name);
    await screenshots(page, 'benefit-confirm-suspend');
    await page.click('#confirm-yes');
    await page.waitForFunction(() =>
      /已暂停/.test(document.getElementById('benefit-status')?.textContent ?? ''),
    );
    await expect(page.textContent('#benefit-history')).resolves.toContain('外出务工，收入待核实');
    await expect(page.locator('#benefit-actions button[data-action="resume"]').count()).resolves.toBe(1);
    const url = page.url();
    await clean(w);
    // Finance reads the benefit and has no buttons.
    const f = await watchedPage(browser, DESKTOP);
    await login(f.page, server.url, 'pingchang.finance');
    await open(f.page, url);
    await expect(f.page.locator('#benefit-history li').count()).resolves.toBeGreaterThan(1);
    await expect(f.page.locator('#benefit-actions').count()).resolves.toBe(0);
    await clean(f);
  }, 120_000);

  it('人社 keeps card accounts: the list masked, a missing field named', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.hrss');
    await expect(page.locator('#nav a[href="/app/card-accounts"]').count()).resolves.toBe(1);
    await open(page, `${server.url}/app/card-accounts`);
    await expect(rows(page, '#accounts')).resolves.toBeGreaterThan(3);
    const cells = await page.locator('#accounts td').allTextContents();
    expect(cells.filter((c) => /\d{12,}/.test(c))).toEqual([]);
    expect(cells.some((c) => /^\*{4}\d{4}$/.test(c))).toBe(true);
    await page.fill('#acct-holderName', '张三');
    await page.click('#save-account');
    await expect(page.getAttribute('#acct-idNumber', 'aria-invalid')).resolves.toBe('true');
    await expect(page.getAttribute('#acct-holderName', 'aria-invalid')).resolves.toBe(null);
    await page.fill('#acct-idNumber', '511923195801010000');
    await page.fill('#acct-accountNumber', '12');
    await page.fill('#acct-bankName', '平昌农商银行');
    await page.click('#save-account');
    await page.waitForSelector('#acct-accountNumber[aria-invalid="true"]');
    await screenshots(page, 'card-accounts');
    await clean(w);
  }, 120_000);
});
