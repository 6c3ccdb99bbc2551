import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForm, type FormDefinition } from '../../engine/index.ts';
import { idcardAgeOn, withWrongCheckChar } from '../factories/idcard.ts';
import { haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { fillSubmission, inputId } from './fill-form.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The pages in a real browser against the shipped configuration: a field worker fills in the
 * household survey, an administrator changes the form and publishes it, a save made offline
 * reaches the server once, and nothing breaks the Content-Security-Policy.
 */

const ROOT = join(import.meta.dirname, '../..');
const SURVEY = JSON.parse(readFileSync(join(ROOT, 'forms/household-survey.json'), 'utf8')) as FormDefinition;
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A valid family from the fixtures, dated today: one member, a disabled head (so a hidden field shows). */
function family(): Record<string, unknown> {
  const d = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/submissions/household-survey/valid-family.json'), 'utf8'),
  ).data as Record<string, unknown>;
  const members = (d.members as Record<string, unknown>[]).slice(0, 1).map((m) => ({
    ...m,
    age: idcardAgeOn(String(m.idNumber), today),
  }));
  return { ...d, members, householdSize: 2, headHealth: 'disabled', disabilityGrade: '2', surveyDate: today };
}

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

describe.skipIf(!haveChromium)('web pages in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const submissionsOf = async (formId: string) =>
    server.db.selectFrom('submissions').selectAll().where('form_id', '=', formId).execute();

  it('serves every page with the strict CSP and the bundled runtime', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/app/login' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).not.toMatch(/<script>|style=/);
    const js = await server.app.inject({ method: 'GET', url: '/app/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain('compileForm');
    const again = await server.app.inject({
      method: 'GET',
      url: '/app/assets/app.js',
      headers: { 'if-none-match': String(js.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('a field worker fills in and submits the household survey', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await screenshots(page, 'home');
    await open(page, `${server.url}/app/forms`);
    await screenshots(page, 'forms');
    await Promise.all([
      page.waitForURL(/\/app\/fill\/household-survey/),
      page.click('a[href="/app/fill/household-survey"]'),
    ]);
    await page.waitForSelector('form[data-form="household-survey"]');

    // A hidden field appears on a choice.
    const grade = page.locator('[data-field="disabilityGrade"]');
    await expect(grade.isHidden()).resolves.toBe(true);
    const data = family();
    const head = String(data.headIdNumber);
    await fillSubmission(page, SURVEY, { ...data, headIdNumber: withWrongCheckChar(head) });
    await expect(grade.isVisible()).resolves.toBe(true);

    // The computed per-capita income is the runtime's own answer for these values.
    const expected = compileForm(SURVEY).validate({ ...data }, { today }).data;
    await expect(page.inputValue(`#${inputId('perCapitaMonthlyIncome')}`)).resolves.toBe(
      String(expected.perCapitaMonthlyIncome),
    );
    expect(Number(expected.perCapitaMonthlyIncome)).toBeGreaterThan(0);
    await expect(page.locator(`#${inputId('members', 0, 'name')}`).inputValue()).resolves.toBe(
      String((data.members as { name: string }[])[0]?.name),
    );
    await screenshots(page, 'fill');

    // An invalid ID number is refused in the page: an error at the field, nothing sent.
    await page.click('#submit');
    await expect(page.locator(`#${inputId('headIdNumber')}-err`).textContent()).resolves.toMatch(/\S/);
    await expect(page.getAttribute(`#${inputId('headIdNumber')}`, 'aria-invalid')).resolves.toBe('true');
    await expect(page.locator('.error-summary').isVisible()).resolves.toBe(true);
    expect(await submissionsOf('household-survey')).toHaveLength(0);

    await page.fill(`#${inputId('headIdNumber')}`, head);
    await Promise.all([page.waitForURL(/\/app\/submissions\//), page.click('#submit')]);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.textContent('#submission-status')).resolves.toMatch(/已提交/);
    await screenshots(page, 'submission');
    const stored = await submissionsOf('household-survey');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.status).toBe('submitted');
    const saved = JSON.parse(String(stored[0]?.data)) as Record<string, unknown>;
    expect(saved.headIdNumber).toBe(head);
    expect(saved.disabilityGrade).toBe('2');
    expect((saved.members as unknown[]).length).toBe(1);

    // The list of their submissions shows it.
    await open(page, `${server.url}/app/forms`);
    await expect(page.locator('#my-submissions tbody tr').count()).resolves.toBe(1);

    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);
});
