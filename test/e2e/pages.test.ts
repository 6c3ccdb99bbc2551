import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { compileForm, type FormDefinition } from '../../engine/index.ts';
import { withWorkflowTables } from '../../engine/workflow-store/tables.ts';
import { idcardAgeOn, withWrongCheckChar } from '../factories/idcard.ts';
import {
  DESKTOP,
  haveChromium,
  launch,
  login,
  open,
  queuedSaves,
  screenshots,
  watchedPage,
} from './browser.ts';
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
    const main = page.body.match(/<script type="module" src="([^"]+)"><\/script>/)?.[1] ?? '';
    const js = await server.app.inject({ method: 'GET', url: main });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
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
    // The summary names each field by its section and label (and a table's row), not only the message.
    await expect(page.textContent('.error-summary')).resolves.toContain('户主基本情况 · 身份证号码：');
    const memberName = `#${inputId('members', 0, 'name')}`;
    const name = await page.inputValue(memberName);
    await page.fill(memberName, '');
    await page.click('#submit');
    await expect(page.textContent('.error-summary')).resolves.toContain(
      '家庭成员基本信息 · 第 1 行 · 姓名：',
    );
    // In English, the same places in English.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#submit');
    const en = String(await page.textContent('.error-summary'));
    expect(en).toContain('Head of household · Resident ID number: ');
    expect(en).toContain('Family members · row 1 · Name: ');
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill(memberName, name);
    // The demo village's surveys are there already; none of this family's was sent.
    const ofThisFamily = async () =>
      (await submissionsOf('household-survey')).filter(
        (r) => (JSON.parse(String(r.data)) as { headIdNumber?: string }).headIdNumber === head,
      );
    expect(await ofThisFamily()).toHaveLength(0);

    await page.fill(`#${inputId('headIdNumber')}`, head);
    await Promise.all([page.waitForURL(/\/app\/submissions\//), page.click('#submit')]);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.textContent('#submission-status')).resolves.toMatch(/已提交/);
    await screenshots(page, 'submission');
    const stored = await ofThisFamily();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.status).toBe('submitted');
    const saved = JSON.parse(String(stored[0]?.data)) as Record<string, unknown>;
    expect(saved.headIdNumber).toBe(head);
    expect(saved.disabilityGrade).toBe('2');
    expect((saved.members as unknown[]).length).toBe(1);

    // The list of their submissions shows it.
    await open(page, `${server.url}/app/forms`);
    await expect(
      page.locator(`#my-submissions tbody tr a[href*="${String(stored[0]?.id)}"]`).count(),
    ).resolves.toBe(1);

    // The English switch: page title and menu in English after the reload, kept on this device.
    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.textContent('#page-title')).resolves.toBe('Forms');
    await expect(page.textContent('#lang-switch')).resolves.toBe('中文');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');

    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('a reviewer approves the submitted case from the inbox', async () => {
    // The survey made the household record; the family's application is the case.
    const [survey] = await submissionsOf('household-survey');
    expect(survey).toBeDefined();
    const surveyed = JSON.parse(String(survey?.data)) as Record<string, unknown>;
    const staff = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyicun.staff', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/forms/assistance-application/submissions',
      headers: { authorization: `Bearer ${staff}` },
      payload: {
        data: {
          headIdNumber: surveyed.headIdNumber,
          headName: surveyed.headName,
          assistanceType: 'dibao',
          idCardChecked: true,
          authorizationSigned: true,
          authorizationDate: day,
          applicationDate: day,
        },
        status: 'submitted',
      },
    });
    expect(created.statusCode, created.body).toBeLessThan(300);
    const sub = { id: created.json().id as string };
    const instance = await withWorkflowTables(server.db)
      .selectFrom('workflow_instances')
      .select('state')
      .where('submission_id', '=', String(sub?.id))
      .executeTakeFirst();
    expect(instance?.state).toBeDefined();
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'baiyi.reviewer');
    await open(page, `${server.url}/app/inbox`);
    await screenshots(page, 'inbox');
    const row = page.locator(`tr[data-submission="${sub?.id}"]`);
    await expect(row.count()).resolves.toBe(1);
    await row.locator('input[type=checkbox]').check();
    await page.click('#bulk-approve');
    await page.waitForSelector('#bulk-results li');
    await expect(page.locator('#bulk-results li.ok').count()).resolves.toBe(1);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'baiyi.reviewer', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const history = (
      await server.app.inject({
        method: 'GET',
        url: `/api/submissions/${sub?.id}/history`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().items as { action: string }[];
    expect(history.some((h) => h.action === 'approve')).toBe(true);
    await open(page, `${server.url}/app/cases/${sub?.id}`);
    await expect(page.locator('#history li').count()).resolves.toBeGreaterThan(0);
    await screenshots(page, 'case');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 90_000);

  it('an administrator adds a field, previews it, publishes, and the field worker sees it as text', async () => {
    const label = '村里备注<script>window.__pwned=1</script>';
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'admin');
    await open(page, `${server.url}/app/admin/forms`);
    await screenshots(page, 'admin-forms');
    await open(page, `${server.url}/app/admin/forms/household-survey`);
    await page.waitForSelector('#preview form[data-form="household-survey"]');
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const def = (
      await server.app.inject({
        method: 'GET',
        url: '/api/forms/household-survey',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().definition as FormDefinition;

    // A mistake is located by pointer as it is typed.
    const broken = structuredClone(def) as unknown as { sections: { fields: Record<string, unknown>[] }[] };
    (broken.sections[0]?.fields[0] as Record<string, unknown>).type = 'txt';
    await page.fill('#definition', JSON.stringify(broken, null, 2));
    await page.locator('#problems li code', { hasText: '/sections/0/fields/0' }).first().waitFor();
    // Each problem is a link to its place: clicking moves the cursor there.
    const pointer = page.locator('#problems li a.pointer', { hasText: '/sections/0/fields/0' }).first();
    const offset = Number(await pointer.getAttribute('data-offset'));
    expect(offset).toBeGreaterThan(100);
    const line = await pointer.getAttribute('data-line');
    await pointer.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('definition');
    await expect
      .poll(() => page.locator('#definition-editor .cm-lineNumbers .cm-activeLineGutter').textContent())
      .toBe(line);
    await page.fill('#definition', '{ "id": ');
    await page
      .locator('#problems li code', { hasText: /^\d+:\d+$/ })
      .first()
      .waitFor();

    // The new field, with markup in its label, appears in the preview as text.
    const changed = structuredClone(def);
    changed.sections[0]?.fields.push({
      id: 'villageNote',
      type: 'text',
      label: { 'zh-CN': label, en: label },
    });
    await page.fill('#definition', JSON.stringify(changed, null, 2));
    const preview = page.locator('#preview [data-field="villageNote"] .label');
    await preview.waitFor();
    await expect(preview.textContent()).resolves.toContain(label);
    await expect(page.locator('#preview script').count()).resolves.toBe(0);
    await screenshots(page, 'editor');

    await page.click('#publish');
    await page.click('dialog#confirm[open] #confirm-yes');
    await page.waitForSelector('#status.ok');
    const versions = await server.db
      .selectFrom('forms')
      .select(['version', 'status'])
      .where('id', '=', 'household-survey')
      .orderBy('version')
      .execute();
    expect(versions.at(-1)).toMatchObject({ version: 2, status: 'published' });

    // The two versions compared: the added field is among the added lines.
    await page.selectOption('#diff-from', '1');
    await page.selectOption('#diff-to', '2');
    await page.click('#diff');
    await page.locator('#diff-out .add', { hasText: 'villageNote' }).first().waitFor();
    await expect(page.locator('#diff-out .add').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('villageNote')]),
    );

    // Reports, when the report plugin is configured: the table and its chart.
    await open(page, `${server.url}/app/reports`);
    const reports = await server.app.inject({ method: 'GET', url: '/api/reports' });
    if (reports.statusCode !== 404) {
      await page.click('#show-report');
      await page.waitForSelector('#report-table');
      await expect(page.locator('#report-table thead th').count()).resolves.toBeGreaterThan(0);
    }
    await screenshots(page, 'reports');
    await open(page, `${server.url}/app/admin/users`);
    await expect(page.locator('#users tbody tr').count()).resolves.toBeGreaterThan(3);
    await screenshots(page, 'users');

    const staff = await watchedPage(browser);
    await login(staff.page, server.url, 'baiyicun.staff');
    await open(staff.page, `${server.url}/app/fill/household-survey`);
    const seen = staff.page.locator('[data-field="villageNote"] label');
    await seen.waitFor();
    await expect(seen.textContent()).resolves.toContain(label);
    await expect(
      staff.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).resolves.toBeUndefined();
    for (const x of [w, staff]) {
      const p = await x.problems();
      expect(p.csp).toEqual([]);
      expect(p.errors).toEqual([]);
      await x.context.close();
    }
  }, 120_000);

  it('a draft saved offline is sent once when the connection returns, even if an answer is lost', async () => {
    const w = await watchedPage(browser);
    const { page, context } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/household-survey`);
    await page.waitForSelector('form[data-form="household-survey"]');
    await page.fill(`#${inputId('headName')}`, '离线测试户');

    // The first send reaches the server but its answer is lost; the page must send again.
    const keys: string[] = [];
    await page.route('**/api/forms/household-survey/submissions', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    await context.setOffline(true);
    await page.click('#save-draft');
    // The save reaches the device's outbox (IndexedDB, asynchronous) before the line says so.
    await page.waitForSelector('#saved-where[data-saved="device"]', { timeout: 10_000 });
    await expect(queuedSaves(page)).resolves.toHaveLength(1);
    expect(keys).toHaveLength(0);
    await screenshots(page, 'offline');

    await context.setOffline(false);
    await page.waitForSelector('#saved-where[data-saved="server"]', { timeout: 20_000 });
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/\S/);
    const rows = (await submissionsOf('household-survey')).filter(
      (r) => (JSON.parse(String(r.data)) as { headName?: string }).headName === '离线测试户',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('draft');
    await expect(queuedSaves(page)).resolves.toEqual([]);
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await context.close();
  }, 90_000);
});
