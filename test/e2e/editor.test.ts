import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import type { FormDefinition } from '../../engine/index.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import { DESKTOP, haveChromium, launch, login, screenshots, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The form editor in Chromium: CodeMirror under the strict policy (its style elements carry this
 * response's nonce, no violation), completion from the form schema, the server's check marked in
 * the text and listed as links to their lines, an example per overlay operation, and publishing
 * only after a confirmation that names the units it reaches.
 */

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

const FORM = 'editor-demo';
const t2 = (zh: string, en: string) => ({ 'zh-CN': zh, en });
/** A small form of the province (the demo's household survey is 31,000 characters: slow to type over on a busy machine). */
const demoForm = {
  id: FORM,
  version: 1,
  title: t2('编辑器示例', 'Editor example'),
  period: { kind: 'none' },
  sections: [
    {
      id: 'main',
      title: t2('基本情况', 'Basics'),
      fields: [
        ...Array.from({ length: 6 }, (_, i) => ({
          id: `note${i}`,
          type: 'text',
          label: t2(`备注${i}`, `Note ${i}`),
        })),
        {
          id: 'kind',
          type: 'select',
          label: t2('类别', 'Kind'),
          options: [
            { value: 'a', label: t2('甲', 'A') },
            { value: 'b', label: t2('乙', 'B') },
          ],
        },
        { id: 'size', type: 'integer', label: t2('人数', 'Size'), min: 1, max: 20 },
      ],
    },
  ],
};

describe.skipIf(!haveChromium)('form editor in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let auth: Record<string, string>;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const r = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    auth = { authorization: `Bearer ${r.json().token as string}` };
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/forms',
      headers: auth,
      payload: demoForm,
    });
    expect(created.statusCode, created.body).toBe(201);
    const first = await server.app.inject({
      method: 'POST',
      url: `/api/forms/${FORM}/publish`,
      headers: auth,
    });
    expect(first.statusCode, first.body).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const published = async () =>
    (
      await server.db
        .selectFrom('forms')
        .select(['version', 'status'])
        .where('id', '=', FORM)
        .where('status', '=', 'published')
        .execute()
    ).map((v) => v.version);

  it('completes, marks and links problems, and publishes only after naming the units', async () => {
    const def = (await server.app.inject({ method: 'GET', url: `/api/forms/${FORM}`, headers: auth })).json()
      .definition as FormDefinition;
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'admin');
    const shell = await page.goto(`${server.url}/app/admin/forms/${FORM}`);
    const csp = String((await shell?.allHeaders())?.['content-security-policy']);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{24}';/);
    expect(csp).toMatch(/script-src 'self';/);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector(`#preview form[data-form="${FORM}"]`);
    // CodeMirror's style elements carry the response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const styles = await page.evaluate(() => Array.from(document.querySelectorAll('style'), (s) => s.nonce));
    expect(styles.length).toBeGreaterThan(0);
    expect(new Set(styles)).toEqual(new Set([nonce]));
    await expect(page.locator('#problems li.ok').count()).resolves.toBe(1);

    // Completion: a property name, then an enum value, from the schema at the cursor.
    await page.fill('#definition', '{\n  "id": "editor-demo",\n  ');
    await page.keyboard.type('"ver');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: '"version"' });
    // Clicked: CodeMirror ignores Enter for its first 75 ms after opening, against accidents.
    await option.click();
    await expect.poll(() => page.textContent('#definition')).toContain('"version": ');
    await page.fill('#definition', '{\n  "period": { "kind": ');
    await page.keyboard.press('Control+Space');
    const kinds = page.locator('.cm-tooltip-autocomplete li');
    await kinds.first().waitFor();
    await expect(kinds.allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('"quarter"')]),
    );
    await page.locator('.cm-tooltip-autocomplete li', { hasText: '"quarter"' }).click();
    await expect.poll(() => page.textContent('#definition')).toContain('"kind": "quarter"');

    // A mistake: the server's check marks it in the text and lists it; the link moves the cursor.
    const broken = structuredClone(def) as unknown as { sections: { fields: Record<string, unknown>[] }[] };
    (broken.sections[0]?.fields[5] as Record<string, unknown>).type = 'txt';
    await page.fill('#definition', JSON.stringify(broken, null, 2));
    const link = page.locator('#problems li a.pointer', { hasText: '/sections/0/fields/5' }).first();
    await link.waitFor();
    await expect(page.locator('#problems li').first().textContent()).resolves.toMatch(/txt|类型|type/i);
    const line = await link.getAttribute('data-line');
    expect(Number(line)).toBeGreaterThan(20);
    await page.evaluate(() => window.scrollTo(0, 0));
    await link.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('definition');
    await expect
      .poll(() => page.locator('#definition-editor .cm-lineNumbers .cm-activeLineGutter').textContent())
      .toBe(line);
    await expect
      .poll(() => page.locator('#definition-editor .cm-activeLine').textContent())
      .toContain('"type"');
    // Marked in the text and the gutter where the cursor now is (lines out of view are not drawn).
    await expect(
      page.locator('#definition-editor .cm-activeLine .cm-lintRange-error').textContent(),
    ).resolves.toBe('"type"');
    await expect(page.locator('.cm-lint-marker-error').count()).resolves.toBeGreaterThan(0);
    await screenshots(page, 'editor-problem');

    // An example of each overlay operation; one published for 平昌县 as it is.
    const ops = await page.locator('#overlay-examples button').evaluateAll((b) => b.map((x) => x.dataset.op));
    expect(ops).toEqual(['addField', 'hideField', 'relabel', 'setOptions', 'tighten', 'setCalculation']);
    await page.click('#overlay-examples button[data-op="relabel"]');
    await expect(page.textContent('#overlay')).resolves.toContain('"op": "relabel"');
    await page.fill('#overlay-unit', '511923');
    await page.click('#overlay-publish');
    await page.locator('#overlay-publish + ul li.ok').waitFor();

    // Publishing asks first, naming the units it reaches; Cancel publishes nothing.
    const changed = structuredClone(def);
    changed.sections[0]?.fields.push({
      id: 'editorNote',
      type: 'text',
      label: { 'zh-CN': '备注', en: 'Note' },
    });
    await page.fill('#definition', JSON.stringify(changed, null, 2));
    await page.locator('#problems li.ok').waitFor();
    const before = await published();
    await page.click('#publish');
    await page.waitForSelector('dialog#confirm[open]');
    await expect(page.textContent('#confirm-family')).resolves.toMatch(/（510000）及其下属全部单位/);
    await expect(page.textContent('#confirm-body')).resolves.toContain('平昌县（511923）');
    await screenshots(page, 'editor-confirm');
    await page.click('#confirm-no');
    await page.waitForSelector('dialog#confirm', { state: 'detached' });
    expect(await published()).toEqual(before);
    await page.click('#publish');
    await page.waitForSelector('dialog#confirm[open]');
    await page.click('#confirm-yes');
    await page.waitForSelector('#status.ok');
    const after = await published();
    expect(after).toHaveLength(1);
    expect(after[0]).toBeGreaterThan(before[0] ?? 0);

    const problems = await w.problems();
    expect(problems.csp).toEqual([]);
    expect(problems.errors).toEqual([]);
    await w.context.close();
  }, 240_000);

  it('fills a form with a pattern: the page loads the pattern engine and decides as the server', async () => {
    const id = 'pattern-example';
    const def = {
      ...demoForm,
      id,
      title: t2('邮编示例', 'Postcode example'),
      sections: [
        {
          id: 'main',
          title: t2('地址', 'Address'),
          fields: [{ id: 'postcode', type: 'text', label: t2('邮编', 'Postcode'), pattern: '^\\d{6}$' }],
        },
      ],
    };
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/forms',
      headers: auth,
      payload: def,
    });
    expect(created.statusCode, created.body).toBe(201);
    const pub = await server.app.inject({ method: 'POST', url: `/api/forms/${id}/publish`, headers: auth });
    expect(pub.statusCode, pub.body).toBe(200);
    // What the server's runtime says of the two values the page is given below.
    const inNode = compileForm(def as FormDefinition);
    const codes = (postcode: string) =>
      inNode.validate({ postcode }, { today: '2026-12-07' }).errors.map((e) => e.code);
    expect(codes('12a456')).toEqual(['NX_ERR_VALUE_PATTERN']);
    expect(codes('123456')).toEqual([]);

    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'admin');
    await page.goto(`${server.url}/app/fill/${id}`);
    await page.waitForSelector('body[data-first-input-ready]');
    const input = page.locator('[data-field=postcode] input');
    const error = page.locator('[data-field=postcode] .error');
    await input.fill('12a456');
    await input.blur(); // a field's errors show once focus has left it
    await expect.poll(() => error.textContent()).not.toBe('');
    await input.fill('123456');
    await expect.poll(() => error.textContent()).toBe('');
    const problems = await w.problems();
    expect(problems.errors).toEqual([]);
    await w.context.close();
  }, 120_000);
});
