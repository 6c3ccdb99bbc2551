import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { compileForm, type FormDefinition } from '../../engine/index.ts';
import { haveChromium, launch, login, open, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The browser runs what the server runs: with the example plugin `bank-card` configured, a form
 * using its field type and operation gives the page the same errors and computed values as the
 * server's runtime; a plugin without a browser module still loads, and the page says it cannot
 * check its field type.
 */

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

const ROOT = join(import.meta.dirname, '../..');
const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const cardForm = {
  id: 'card-check',
  version: 1,
  title: label('银行卡核对', 'Bank card check'),
  period: { kind: 'none' },
  sections: [
    {
      id: 's',
      title: label('代发账户', 'Payment account'),
      fields: [
        { id: 'card', type: 'bankcard', label: label('银行卡号', 'Card number') },
        {
          id: 'tail',
          type: 'text',
          label: label('卡号尾号', 'Last four digits'),
          readOnly: true,
          calculate: { bankcard_tail: [{ var: 'card' }] },
        },
      ],
    },
  ],
};

const plainForm = {
  id: 'plain-check',
  version: 1,
  title: label('编码核对', 'Code check'),
  period: { kind: 'none' },
  sections: [
    {
      id: 's',
      title: label('编码', 'Code'),
      fields: [{ id: 'code', type: 'plain_code', label: label('编码', 'Code') }],
    },
  ],
};

describe.skipIf(!haveChromium)('plugins’ field types and operations in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-plugin-runtime-'));
    const shipped = JSON.parse(readFileSync(join(ROOT, 'nuanxin.config.json'), 'utf8')) as {
      plugins: unknown[];
    };
    const config = join(dir, 'nuanxin.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [
          ...shipped.plugins,
          join(ROOT, 'examples/plugins/bank-card/index.ts'),
          join(ROOT, 'test/fixtures/plugins/no-browser.ts'),
        ],
      }),
    );
    [server, browser] = await Promise.all([startServer({ config }), launch()]);
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: DEMO_PASSWORD },
    });
    const auth = { authorization: `Bearer ${login.json().token as string}` };
    for (const def of [cardForm, plainForm]) {
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/forms',
        headers: auth,
        payload: def,
      });
      expect(created.statusCode, created.body).toBe(201);
      const published = await server.app.inject({
        method: 'POST',
        url: `/api/forms/${def.id}/publish`,
        headers: auth,
      });
      expect(published.statusCode, published.body).toBe(200);
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a bank card field and its tail give the page what they give the server', async () => {
    const plugins = server.plugins;
    if (!plugins) throw new Error('no plugins loaded');
    const node = compileForm(cardForm as unknown as FormDefinition, {
      fieldTypes: plugins.fieldTypes,
      operations: plugins.operations,
    });
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/card-check`);

    // A wrong check digit: the plugin's own message, word for word.
    const bad = node.validate({ card: '6222 0212 3456 7890' }, { mode: 'draft' });
    expect(bad.errors.map((e) => e.code)).toEqual(['NX_ERR_BANK_CARD_CHECK_DIGIT']);
    await page.fill('#f-card', '6222 0212 3456 7890');
    await page.keyboard.press('Tab');
    await page.waitForSelector('#f-card[aria-invalid="true"]');
    await expect(page.textContent('#f-card-err')).resolves.toBe(bad.errors[0]?.message['zh-CN']);
    await expect(page.inputValue('#f-tail')).resolves.toBe('');

    // A right one: no error, and the operation's result in the computed field.
    const good = node.validate({ card: '6222 0212 3456 7894' }, { mode: 'draft' });
    expect(good.errors).toEqual([]);
    expect(good.data.tail).toBe('7894');
    await page.fill('#f-card', '6222 0212 3456 7894');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => (document.querySelector('#f-tail') as HTMLInputElement).value !== '');
    await expect(page.inputValue('#f-tail')).resolves.toBe(good.data.tail);
    await expect(page.getAttribute('#f-card', 'aria-invalid')).resolves.not.toBe('true');
    await expect(page.textContent('#f-card-err')).resolves.toBe('');

    const problems = await w.problems();
    expect(problems).toEqual({ csp: [], errors: [], console: [] });
    await w.context.close();
  });

  it('a field type of a plugin without a browser module: the page loads and says it cannot check it', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/plain-check`);
    const note = page.locator('[data-unchecked-type="plain_code"]');
    await expect(note.textContent()).resolves.toContain('插件“plain-code”');
    await page.fill('#f-code', 'ABC123');
    await page.keyboard.press('Tab');
    await page.waitForSelector('#f-code[aria-invalid="true"]');
    await expect(page.textContent('#f-code-err')).resolves.toContain('没有提供网页模块');
    const problems = await w.problems();
    expect(problems).toEqual({ csp: [], errors: [], console: [] });
    await w.context.close();
  });
});
