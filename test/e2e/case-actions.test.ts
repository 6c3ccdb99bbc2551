import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { withWorkflowTables } from '../../engine/workflow-store/tables.ts';
import { idcardAgeOn } from '../factories/idcard.ts';
import { DESKTOP, haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The actions on a case cannot go wrong by accident: reject asks first, naming the family and
 * what follows, and dismissing leaves the case as it was; the buttons stand in one order at every
 * step (reject left, return, approve right); the status line shows the new step after an action.
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

const order = (page: Page) =>
  page.locator('#case-actions button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));

describe.skipIf(!haveChromium)('case actions in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let id = '';
  const data = family();

  const stateOf = async () =>
    (
      await withWorkflowTables(server.db)
        .selectFrom('workflow_instances')
        .select('state')
        .where('submission_id', '=', id)
        .executeTakeFirst()
    )?.state;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    // The survey makes the household record; the family's application is the case.
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/forms/household-survey/submissions',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'case-actions-1' },
      payload: { data, status: 'submitted' },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    const a = await server.app.inject({
      method: 'POST',
      url: '/api/forms/assistance-application/submissions',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'case-actions-2' },
      payload: {
        data: {
          headIdNumber: data.headIdNumber,
          headName: data.headName,
          assistanceType: 'dibao',
          idCardChecked: true,
          authorizationSigned: true,
          authorizationDate: today,
          applicationDate: today,
        },
        status: 'submitted',
      },
    });
    expect(a.statusCode, a.body).toBeLessThan(300);
    id = a.json().id as string;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a township reviewer cannot reject without confirming, and approving moves the status line on', async () => {
    expect(await stateOf()).toBe('township_review');
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyi.reviewer');
    await open(page, `${server.url}/app/cases/${id}`);
    await expect(order(page)).resolves.toEqual(['reject', 'return', 'approve']);
    await expect(page.getAttribute('button[data-action="reject"]', 'class')).resolves.toBe('danger');

    // No reason: the comment field is marked, nothing asked, nothing sent.
    await page.click('button[data-action="reject"]');
    await expect(page.getAttribute('#comment', 'aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#confirm').count()).resolves.toBe(0);

    // With a reason: the dialog names the family and the consequence; Cancel changes nothing.
    await page.fill('#comment', '家庭收入超过标准');
    await page.click('button[data-action="reject"]');
    await page.waitForSelector('#confirm[open]');
    const text = String(await page.textContent('#confirm'));
    expect(text).toContain(String(data.headName));
    expect(text).toContain(String(data.headIdNumber).slice(-4));
    expect(text).not.toContain(String(data.headIdNumber));
    expect(text).toMatch(/不能再办理/);
    await screenshots(page, 'case-confirm-reject');
    await page.click('#confirm-no');
    await page.waitForSelector('#confirm', { state: 'detached' });
    expect(await stateOf()).toBe('township_review');

    // Escape dismisses too.
    await page.click('button[data-action="reject"]');
    await page.waitForSelector('#confirm[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#confirm', { state: 'detached' });
    expect(await stateOf()).toBe('township_review');

    const before = String(await page.textContent('#case-status'));
    expect(before).toContain('乡镇审核');
    await page.fill('#comment', '');
    await page.click('button[data-action="approve"]');
    await page.waitForFunction(() => /审核通过/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await stateOf()).toBe('eligibility_check');
    const after = String(await page.textContent('#case-status'));
    expect(after).not.toBe(before);
    expect(after).not.toContain('乡镇审核');
    await expect(page.locator('#history li').count()).resolves.toBeGreaterThan(1);
    // The page was read again: the history says the step in a sentence (who, what, where, when),
    // and the actions now allowed replace the old ones.
    const last = String(await page.textContent('#history li:last-child'));
    expect(last).toContain('白衣镇审核员（baiyi.reviewer）办理“审核通过”，案件从“乡镇审核”转到“资格核对”');
    await expect(page.locator('#history li:last-child time').count()).resolves.toBe(1);
    await expect(page.locator('button[data-action="approve"]').count()).resolves.toBe(0);
    // In English, the same sentence in English words.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    const en = String(await page.textContent('#history li:last-child'));
    expect(en).toContain(
      '(baiyi.reviewer): Approve, moving the case from “Township review” to “Eligibility check”',
    );
    expect(en).not.toMatch(/办理|案件|审核通过|乡镇审核/);
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 90_000);

  it('the county reviewer sees the same order and rejects only after confirming', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'pingchang.reviewer');
    await open(page, `${server.url}/app/cases/${id}`);
    await expect(order(page)).resolves.toEqual(['reject', 'check']);
    await page.click('button[data-action="check"]');
    await page.waitForFunction(() => /资格核对/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await stateOf()).toBe('county_review');
    // The same order as at the township step.
    await expect(order(page)).resolves.toEqual(['reject', 'return', 'approve']);
    await expect(page.textContent('#case-status')).resolves.toContain(String(data.headName));

    await page.fill('#comment', '家庭收入超过标准');
    await page.click('button[data-action="reject"]');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-yes');
    await page.waitForFunction(() => /不予通过/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await stateOf()).toBe('rejected');
    await expect(page.locator('#history li').count()).resolves.toBeGreaterThan(2);
    await expect(page.textContent('#history li:last-child')).resolves.toMatch(
      /办理“不予通过”，案件从“县级审查”转到“不予救助”，意见：“家庭收入超过标准”。$/,
    );
    await expect(page.locator('#case-actions button').count()).resolves.toBe(0);
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 90_000);
});
