import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The users page for an administrator: roles in words, and the controls the grant rules allow —
 * create an integration account (a weak password refused in words under the field), issue and
 * revoke its token, reset its password, disable it after confirming.
 */

const STRONG = 'Qz7!vortex-lantern-91';

describe.skipIf(!haveChromium)('users page in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const loginStatus = async (username: string, password: string) =>
    (await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } }))
      .statusCode;

  it('an administrator reads roles in words and manages an integration account within the grant rules', async () => {
    const w = await watchedPage(browser, DESKTOP);
    const { page } = w;
    await login(page, server.url, 'admin');
    await open(page, `${server.url}/app/admin/users`);
    const reviewerRoles = String(
      await page.textContent('#users tr[data-user="pingchang.reviewer"] td.roles'),
    );
    expect(reviewerRoles).toContain('民政审核审批人员');
    expect(reviewerRoles).not.toContain('reviewer');
    // Only roles this admin holds (and the integration role) can be granted.
    await expect(
      page.locator('#new-roles input').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value)),
    ).resolves.toEqual(['admin', 'service']);

    await page.fill('#new-username', 'pingchang.sync');
    await page.fill('#new-displayName', '平昌县对接账号');
    await page.selectOption('#new-orgUnit', '511923');
    await page.check('#new-role-service');
    await page.fill('#new-password', 'password123');
    await page.click('#create-user');
    await page.waitForSelector('#new-password[aria-invalid="true"]');
    const err = String(await page.textContent('#new-password-err'));
    expect(err).toMatch(/\S/);
    expect(err).not.toContain('NX_ERR');
    await page.fill('#new-password', STRONG);
    await page.click('#create-user');
    const row = page.locator('#users tr[data-user="pingchang.sync"]');
    await row.waitFor();
    await expect(row.locator('td.roles').textContent()).resolves.toContain('系统对接账号');

    // A token for the integration account: shown once, listed, revoked.
    await row.locator('button[data-action="tokens"]').click();
    await page.fill('#token-name', '银行对账');
    await page.fill('#token-days', '30');
    await page.click('#token-form button[type=submit]');
    await page.waitForSelector('#new-token code');
    const token = String(await page.textContent('#new-token code'));
    expect(token.length).toBeGreaterThan(20);
    const me = await server.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(200);
    await page.locator('#tokens li button[data-token]').first().click();
    await page.waitForFunction(() => !document.querySelector('#tokens li button[data-token]'));
    const after = await server.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);

    // Reset the password; then disable, which asks first.
    await row.locator('button[data-action="password"]').click();
    await page.fill('#reset-password', `${STRONG}x`);
    await page.click('#password-form button[type=submit]');
    await page.waitForSelector('#password-form', { state: 'detached' });
    await expect(page.textContent('#status')).resolves.toContain('已重置密码');
    expect(await loginStatus('pingchang.sync', `${STRONG}x`)).toBe(200);
    await row.locator('button[data-action="disable"]').click();
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-no');
    await page.waitForSelector('#confirm', { state: 'detached' });
    await expect(row.locator('td.state').textContent()).resolves.toBe('正常');
    await row.locator('button[data-action="disable"]').click();
    await page.click('#confirm-yes');
    await page.waitForFunction(
      () =>
        document.querySelector('#users tr[data-user="pingchang.sync"] td.state')?.textContent === '已停用',
    );
    expect(await loginStatus('pingchang.sync', `${STRONG}x`)).not.toBe(200);
    await screenshots(page, 'users');
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);
});
