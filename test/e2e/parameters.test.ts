import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { haveChromium, launch, login, open, screenshots, watchedPage } from './browser.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The administrators' standards page in a real browser against the shipped configuration with the
 * demo loaded: the stored 低保标准 are listed by name, unit and area, a bad value is answered field
 * by field, and a new dated value reaches the rules plugin (its API then resolves it).
 */

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

describe.skipIf(!haveChromium)('parameters page in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const tokenOf = async (username: string) =>
    (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      })
    ).json().token as string;

  it('an administrator sees the demo standards and adds a dated value that the API then resolves', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'admin');
    await expect(page.locator('#nav a[href="/app/admin/parameters"]').count()).resolves.toBe(1);
    await open(page, `${server.url}/app/admin/parameters`);

    const dibao = page.locator('section.param-group[data-name="dibao_standard"]');
    await expect(dibao.locator('h2').textContent()).resolves.toContain('低保标准');
    const pingchang = dibao.locator('tr[data-org="511923"][data-area="rural"][data-valid-from="2021-07-01"]');
    await expect(pingchang.count()).resolves.toBe(1);
    const cells = await pingchang.locator('td').allTextContents();
    expect(cells).toEqual(['511923 平昌县', '农村', '2021-07-01', '490', '元/人/月']);
    // Chengdu's one standard for both areas.
    await expect(
      dibao.locator('tr[data-org="510100"][data-area="both"] td').nth(1).textContent(),
    ).resolves.toBe('全部');

    // The filter by unit asks the server for that unit alone.
    await page.fill('#filter-org', '511923');
    await page.click('#filter-apply');
    await page.waitForFunction(() => !document.querySelector('#parameters tr[data-org="510000"]'));
    // 平昌县 sets one 低保 standard and one 特困 standard.
    await expect(dibao.locator('tbody tr').count()).resolves.toBe(1);
    const tekun = page.locator('section.param-group[data-name="tekun_standard"]');
    await expect(tekun.locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringContaining('511923'),
    ]);
    await expect(page.locator('#parameters tbody tr').count()).resolves.toBe(2);
    await page.fill('#filter-org', '');
    await page.click('#filter-apply');
    await page.waitForSelector('#parameters tr[data-org="510000"]');

    // A unit code and a date of the wrong shape: both problems at once, in words, under their fields.
    await page.fill('#p-orgCode', '5119');
    await page.selectOption('#p-area', 'rural');
    await page.fill('#p-validFrom', '2022/01/01');
    await page.fill('#p-value', '520');
    await page.click('#p-save');
    await page.waitForSelector('#p-orgCode[aria-invalid="true"]');
    await expect(page.getAttribute('#p-validFrom', 'aria-invalid')).resolves.toBe('true');
    await expect(page.textContent('#p-orgCode-err')).resolves.toContain('6、9 或 12 位数字');
    await expect(page.textContent('#p-validFrom-err')).resolves.toContain('2022-01-01');
    await expect(page.textContent('#p-value-err')).resolves.toBe('');
    await expect(page.textContent('#p-error')).resolves.toContain('2 处');
    for (const id of ['#p-orgCode-err', '#p-validFrom-err', '#p-error'])
      await expect(page.textContent(id)).resolves.not.toMatch(/NX_ERR|\\d|\^|must match/);
    await page.fill('#p-orgCode', '511923');
    await page.fill('#p-validFrom', '2022-01-01');

    // A date that does not exist: the rules plugin's own error, on the field it points at, in words.
    await page.fill('#p-validFrom', '2022-02-30');
    await page.click('#p-save');
    await page.waitForSelector('#p-validFrom-err [data-code="NX_ERR_RULES_INVALID_PARAMETER"]');
    await expect(page.getAttribute('#p-validFrom', 'aria-invalid')).resolves.toBe('true');
    await expect(page.getAttribute('#p-orgCode', 'aria-invalid')).resolves.toBeNull();
    await expect(page.textContent('#p-validFrom-err')).resolves.not.toContain('NX_ERR');
    await expect(page.textContent('#p-error')).resolves.not.toContain('NX_ERR');

    // A negative 低保标准 is refused against the ruleset's declaration, on the value.
    await page.fill('#p-validFrom', '2022-01-01');
    await page.fill('#p-value', '-5');
    await page.click('#p-save');
    await page.waitForSelector('#p-value[aria-invalid="true"]');
    await expect(
      page.locator('#p-value-err [data-code="NX_ERR_RULES_PARAMETER_OUT_OF_RANGE"]').count(),
    ).resolves.toBe(1);
    await expect(page.textContent('#p-value-err')).resolves.toContain('下限');
    await expect(page.textContent('#p-value-err')).resolves.not.toContain('NX_ERR');
    await page.fill('#p-value', '520');

    await page.fill('#p-validFrom', '2022-01-01');
    await page.click('#p-save');
    const added = dibao.locator('tr[data-org="511923"][data-area="rural"][data-valid-from="2022-01-01"]');
    await added.waitFor();
    await expect(added.locator('td.value').textContent()).resolves.toBe('520');
    await expect(page.textContent('#p-error')).resolves.toBe('');
    await screenshots(page, 'parameters');

    const token = await tokenOf('admin');
    const get = async (asOf: string) =>
      (
        await server.app.inject({
          method: 'GET',
          url: `/api/parameters/dibao_standard?orgCode=511923&area=rural&asOf=${asOf}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).json() as { resolved: { value: number; validFrom: string } | null; items: { validFrom: string }[] };
    const after = await get('2022-06-01');
    expect(after.resolved).toMatchObject({ value: 520, validFrom: '2022-01-01' });
    expect(after.items.some((i) => i.validFrom === '2022-01-01')).toBe(true);
    // Before the new date the old value is still the one in force.
    expect((await get('2021-12-31')).resolved).toMatchObject({ value: 490, validFrom: '2021-07-01' });

    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);

  it('a unit outside the administrator’s subtree is refused under the unit code', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'pingchang.head');
    await open(page, `${server.url}/app/admin/parameters`);
    await page.fill('#p-orgCode', '510100');
    await page.fill('#p-validFrom', '2022-01-01');
    await page.fill('#p-value', '999');
    await page.click('#p-save');
    await page.waitForSelector('#p-orgCode[aria-invalid="true"]');
    await expect(page.textContent('#p-orgCode-err')).resolves.toContain('不在您的辖区');
    await expect(page.locator('#p-orgCode-err [data-code="NX_ERR_HTTP_NOT_FOUND"]').count()).resolves.toBe(1);

    // The county sees its own series and the province's it inherits; in English once switched.
    await page.click('#lang-switch');
    await page.waitForSelector('html[lang="en"] body[data-ready="true"]');
    const dibao = page.locator('section.param-group[data-name="dibao_standard"]');
    await expect(dibao.locator('h2').textContent()).resolves.toContain('Dibao standard');
    await expect(
      dibao.locator('tr[data-org="511923"][data-valid-from="2021-07-01"] td').allTextContents(),
    ).resolves.toEqual(['511923 平昌县', 'Rural', '2021-07-01', '490', 'yuan per person per month']);
    await expect(dibao.locator('tr[data-org="510100"]').count()).resolves.toBe(0);
    const token = await tokenOf('admin');
    const chengdu = (
      await server.app.inject({
        method: 'GET',
        url: '/api/parameters?name=dibao_standard&orgCode=510100',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json() as { items: { value: number }[] };
    expect(chengdu.items.map((i) => i.value)).not.toContain(999);
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 90_000);
});
