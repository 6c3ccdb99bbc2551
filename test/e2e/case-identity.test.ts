import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { idcardAgeOn } from '../factories/idcard.ts';
import { DESKTOP, haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * Cases people can tell apart and decisions they can read: every row names the family (ID masked,
 * even for a reviewer allowed to see it in full), the village, the step in words, who acts next
 * and by when; the case page gives the full ID to that reviewer; the rules decision is a list of
 * labelled lines with units, in the page language only; a returned case shows its reason to the
 * village worker, on the home page and in the list.
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

describe.skipIf(!haveChromium)('case identity, status and decisions in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let id = '';
  const data = family();
  const head = String(data.headIdNumber);
  const masked = `${head.slice(0, 4)}${'*'.repeat(head.length - 8)}${head.slice(-4)}`;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/forms/household-survey/submissions',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'case-identity-1' },
      payload: { data, status: 'submitted' },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    // The survey starts no case; the family's application (一证一书 declared) does.
    const a = await server.app.inject({
      method: 'POST',
      url: '/api/forms/assistance-application/submissions',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'case-identity-2' },
      payload: {
        status: 'submitted',
        data: {
          headIdNumber: data.headIdNumber,
          headName: data.headName,
          assistanceType: 'dibao',
          idCardChecked: true,
          authorizationSigned: true,
          authorizationDate: String(data.surveyDate),
          applicationDate: String(data.surveyDate),
        },
      },
    });
    expect(a.statusCode, a.body).toBeLessThan(300);
    id = a.json().id as string;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the reviewer tells cases apart in the inbox and reads the decision in words', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyi.reviewer');
    // Home: the task is counted by its step.
    await expect(page.textContent('#state-counts')).resolves.toContain('乡镇审核');
    await screenshots(page, 'home-reviewer');

    await open(page, `${server.url}/app/inbox`);
    const row = page.locator(`tr[data-submission="${id}"]`);
    const text = String(await row.textContent());
    expect(text).toContain(String(data.headName));
    expect(text).toContain('白衣村');
    expect(text).toContain(masked);
    expect(text).not.toContain(head);
    expect(text).toContain('乡镇审核');
    expect(text).toContain('乡镇（街道）审核人员');
    await expect(row.locator('td.due time').count()).resolves.toBe(1);
    // Filter by what a person types: the village, the last digits of the ID.
    await page.fill('#filter-text', head.slice(-4));
    await expect(row.count()).resolves.toBe(1);
    await page.fill('#filter-text', '不存在的村');
    await expect(row.count()).resolves.toBe(0);
    await page.fill('#filter-text', '');
    await page.selectOption('#sort-by', 'family');
    await expect(row.count()).resolves.toBe(1);
    await screenshots(page, 'inbox-identity');

    await open(page, `${server.url}/app/cases/${id}`);
    // The case page shows this pii reviewer the full ID, and the step, the next actor and the deadline.
    const facts = String(await page.textContent('#case-facts'));
    expect(facts).toContain(head);
    expect(facts).toContain('白衣村');
    expect(facts).toContain('乡镇审核');
    await expect(page.locator('#case-facts dd.deadline').count()).resolves.toBe(1);

    // The decision: labelled lines with units, no raw keys, no JSON.
    await page.waitForSelector('#decision-outputs li');
    const decision = String(await page.textContent('#decision'));
    expect(decision).not.toContain('{');
    expect(decision).not.toMatch(/dibaoCandidate|hardshipType|perCapitaMonthlyIncome|true|false|null/);
    expect(decision).toContain('低保对象候选');
    expect(decision).toContain('元/月');
    expect(decision).toContain('低保标准');
    await expect(page.locator('#decision-rules li').count()).resolves.toBeGreaterThan(3);
    await expect(page.locator('#decision-rules li.pass, #decision-rules li.fail').count()).resolves.toBe(
      await page.locator('#decision-rules li').count(),
    );
    await screenshots(page, 'case-decision');

    // The printable survey of this family, from the case page (the print page, then back).
    await expect(page.locator('#print-case a[data-report="family-notice"]').count()).resolves.toBe(1);
    await Promise.all([
      page.waitForURL(/\/app\/print\/household-survey-print\?s=/),
      page.click('#print-case a[data-report="household-survey-print"]'),
    ]);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#sheet')).toContain(String(data.headName));
    await page.goBack();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#decision-outputs li');

    // In English: English only.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#decision-outputs li');
    const en = String(await page.textContent('#decision-rules'));
    expect(en).toContain('dibao standard');
    expect(en).not.toMatch(/人均月收入|低保标准/);
    const outputsEn = String(await page.textContent('#decision-outputs'));
    expect(outputsEn).toContain('Dibao candidate');
    // Units too: the ruleset declares them in Chinese, the page says them in English.
    expect(outputsEn).toContain('yuan a month');
    expect(`${outputsEn}${en}`).not.toMatch(/元/);
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');

    // Return with a reason; the status line says so at once.
    await page.fill('#comment', '缺少户主签字页');
    await page.click('button[data-action="return"]');
    await page.waitForFunction(() => /退回/.test(document.getElementById('status')?.textContent ?? ''));
    await expect(page.textContent('#case-facts')).resolves.toContain('缺少户主签字页');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('the village worker sees the returned case and its reason on the home page and in the list', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    const line = page.locator(`#todo-returned li[data-submission="${id}"]`);
    await expect(line.textContent()).resolves.toContain('缺少户主签字页');
    await expect(line.textContent()).resolves.toContain(String(data.headName));
    await screenshots(page, 'home-village');
    await open(page, `${server.url}/app/forms`);
    const row = page.locator(`#my-submissions tr[data-submission="${id}"]`);
    const text = String(await row.textContent());
    expect(text).toContain('已退回修改');
    expect(text).toContain('缺少户主签字页');
    expect(text).toContain(masked);
    await screenshots(page, 'forms-returned');
    // A blank survey to print for paper fallback.
    await expect(
      page.locator('#print-household-survey a[data-report="household-survey-print"]').count(),
    ).resolves.toBe(1);
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 90_000);
});
