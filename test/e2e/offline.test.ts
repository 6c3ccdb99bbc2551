import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import type { FormDefinition } from '../../engine/index.ts';
import { idcardAgeOn } from '../factories/idcard.ts';
import { CHROMIUM, haveChromium, PHONE, queuedSaves } from './browser.ts';
import { fillSubmission, inputId } from './fill-form.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * Offline that survives closing the browser: a field worker kept signed in on the device fills
 * the household survey without a connection — with two photos of the ID card and both drawn
 * signatures — the browser is closed, opened again still without a connection — the page comes
 * from the service worker, the working copy, its files and the session from IndexedDB — the
 * survey is submitted to the device's queue, and when the connection returns the server stores
 * exactly one submission and each file once. The same profile directory is used throughout
 * (`launchPersistentContext`), as a phone keeps its browser's data.
 */

const ROOT = join(import.meta.dirname, '../..');
const SURVEY = JSON.parse(readFileSync(join(ROOT, 'forms/household-survey.json'), 'utf8')) as FormDefinition;
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const HEAD = '离线关窗测试户';

function family(): Record<string, unknown> {
  const d = JSON.parse(
    readFileSync(join(ROOT, 'test/fixtures/submissions/household-survey/valid-family.json'), 'utf8'),
  ).data as Record<string, unknown>;
  const members = (d.members as Record<string, unknown>[]).slice(0, 1).map((m) => ({
    ...m,
    age: idcardAgeOn(String(m.idNumber), today),
  }));
  return { ...d, headName: HEAD, members, householdSize: 2, surveyDate: today };
}

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

describe.skipIf(!haveChromium)('offline across a browser restart', () => {
  let server: E2eServer;
  let profile: string;
  const problems: string[] = [];
  const open: BrowserContext[] = [];

  /**
   * Offline for real: the browser is told so (`navigator.onLine`, the page's requests) and the
   * server stops listening — the emulation does not cover the service worker's own requests.
   */
  async function network(on: boolean, context: BrowserContext): Promise<void> {
    const http = server.app.server;
    if (on) {
      await new Promise<void>((ok) => http.listen(Number(new URL(server.url).port), '127.0.0.1', ok));
      await context.setOffline(false);
    } else {
      await context.setOffline(true);
      await new Promise<void>((ok) => {
        http.close(() => ok());
        http.closeAllConnections();
      });
    }
  }

  beforeAll(async () => {
    server = await startServer();
    profile = mkdtempSync(join(tmpdir(), 'nuanxin-profile-'));
  }, 60_000);

  afterAll(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function openBrowser(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: PHONE,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    open.push(context);
    context.on('weberror', (e) => problems.push(String(e.error())));
    context.on('console', (m) => {
      if (m.type() === 'error' && !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(m.text())) {
        problems.push(m.text());
      }
    });
    context.on('dialog', (d) => {
      problems.push(`unexpected dialog: ${d.message()}`);
      void d.dismiss();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page };
  }

  /** A real JPEG drawn in the page (a plain colour with a label), as a camera would give one. */
  const jpeg = async (page: Page, hue: number): Promise<Buffer> =>
    Buffer.from(
      await page.evaluate(async (h) => {
        const c = document.createElement('canvas');
        c.width = 320;
        c.height = 200;
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.fillStyle = `hsl(${h} 70% 60%)`;
        g.fillRect(0, 0, c.width, c.height);
        g.fillStyle = '#000';
        g.fillText(`ID card ${h}`, 20, 100);
        const b = await new Promise<Blob>((ok) => c.toBlob((x) => ok(x as Blob), 'image/jpeg', 0.9));
        return [...new Uint8Array(await b.arrayBuffer())];
      }, hue),
    );

  /** Signs in a signature field's box with the mouse (three strokes), and waits until it is kept. */
  async function sign(page: Page, field: string): Promise<void> {
    const pad = page.locator(`#${inputId(field)}-pad`);
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error(`no signing box for ${field}`);
    for (let stroke = 0; stroke < 3; stroke++) {
      await page.mouse.move(box.x + 30 + stroke * 60, box.y + 40);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++)
        await page.mouse.move(box.x + 30 + stroke * 60 + i * 6, box.y + 40 + (i % 3) * 25);
      await page.mouse.up();
    }
    await page.waitForSelector(`#${inputId(field)}[data-state="signed"]`);
  }

  const storedFiles = async (): Promise<string[]> => {
    const out: string[] = [];
    for await (const id of server.app.nuanxin.attachments.store.list()) out.push(id);
    return out;
  };

  const submissionsByHead = async () =>
    (
      await server.db
        .selectFrom('submissions')
        .selectAll()
        .where('form_id', '=', 'household-survey')
        .execute()
    ).filter((r) => (JSON.parse(String(r.data)) as { headName?: string }).headName === HEAD);

  it('fills offline, survives closing the browser, submits once when back online', async () => {
    // Online: log in, kept on this device; the service worker takes the shell, forms and households.
    let { context, page } = await openBrowser();
    await page.goto(`${server.url}/app/login`);
    await page.fill('#username', 'baiyicun.staff');
    await page.fill('#password', DEMO_PASSWORD);
    await page.check('#keep-device');
    await Promise.all([page.waitForURL(`${server.url}/app/`), page.click('button[type=submit]')]);
    await page.waitForSelector('body[data-offline-copy="done"]', { timeout: 30_000 });
    const devices = await server.db
      .selectFrom('auth_tokens')
      .innerJoin('users', 'users.id', 'auth_tokens.user_id')
      .select(['auth_tokens.kind', 'auth_tokens.expires_at'])
      .where('users.username', '=', 'baiyicun.staff')
      .where('auth_tokens.kind', '=', 'device')
      .execute();
    expect(devices).toHaveLength(1);
    expect(Date.parse(String(devices[0]?.expires_at)) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await expect(page.evaluate(() => sessionStorage.getItem('nx.session'))).resolves.toBeNull();

    // Offline: the fill page opens from the service worker and the survey is filled in.
    await network(false, context);
    const first = await page.goto(`${server.url}/app/fill/household-survey`);
    expect(first?.fromServiceWorker()).toBe(true);
    await page.waitForSelector('form[data-form="household-survey"]');
    await fillSubmission(page, SURVEY, family());
    await expect(page.inputValue(`#${inputId('headName')}`)).resolves.toBe(HEAD);
    // A file the field does not take is refused on the page, by name, and not kept.
    const photos = `#${inputId('headIdCardPhotos')}`;
    await page.setInputFiles(`${photos}-choose`, {
      name: 'scan.gif',
      mimeType: 'image/gif',
      buffer: Buffer.from('GIF89a....'),
    });
    await page.waitForSelector(`${photos} .pick-error:not(:empty)`);
    await expect(page.textContent(`${photos} .pick-error`)).resolves.toBe(
      'scan.gif：只能上传以下类型：image/jpeg, image/png, image/webp',
    );
    // Two photos from the camera, both signatures drawn on the screen.
    await page.setInputFiles(`${photos}-camera`, [
      { name: '身份证正面.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page, 10) },
      { name: '身份证背面.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page, 200) },
    ]);
    await page.waitForSelector(`${photos}[data-count="2"] img.thumb >> nth=1`);
    await expect(page.textContent(`${photos} .pick-error`)).resolves.toBe('');
    await expect(page.isHidden(`${photos} .pick-row`)).resolves.toBe(true); // at most 2
    await sign(page, 'surveyorSignatureImage');
    await sign(page, 'householdSignatureImage');
    await page.waitForTimeout(300); // the last change's working copy reaches IndexedDB
    await context.close();

    // The browser opened again, still offline: shell, session and working copy come back.
    ({ context, page } = await openBrowser());
    await context.setOffline(true); // the server is still down
    const again = await page.goto(`${server.url}/app/fill/household-survey`);
    expect(again?.fromServiceWorker()).toBe(true);
    await page.waitForSelector('form[data-form="household-survey"]');
    await expect(page.inputValue(`#${inputId('headName')}`)).resolves.toBe(HEAD);
    // The photos and signatures come back from the device too, with their pictures.
    await page.waitForSelector(`#${inputId('headIdCardPhotos')}[data-count="2"] img.thumb >> nth=1`);
    await page.waitForSelector(`#${inputId('surveyorSignatureImage')}[data-state="signed"] img.thumb`);
    await page.waitForSelector(`#${inputId('householdSignatureImage')}[data-state="signed"] img.thumb`);
    await page.click('#submit');
    await page.waitForSelector('#saved-where[data-saved="device"]');
    const queued = await queuedSaves(page);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      user: 'baiyicun.staff',
      formId: 'household-survey',
      status: 'submitted',
    });
    await expect(page.getAttribute('#outbox-link', 'data-count')).resolves.toBe('1');
    expect(await submissionsByHead()).toHaveLength(0);
    // The queue page (another tab, offline) says what waits: four files, none uploaded yet.
    const queue = await context.newPage();
    await queue.goto(`${server.url}/app/outbox`);
    await expect(queue.getAttribute('.files-state', 'data-files')).resolves.toBe('4');
    await expect(queue.getAttribute('.files-state', 'data-uploaded')).resolves.toBe('0');
    await queue.close();
    const storedBefore = await storedFiles();

    // Back online: sent by itself, once.
    await network(true, context);
    await page.waitForURL(/\/app\/submissions\/[^/]+\?sent=1$/, { timeout: 30_000 });
    const rows = await submissionsByHead();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('submitted');
    await expect(queuedSaves(page)).resolves.toEqual([]);
    // Two photos and two signatures referenced, each uploaded once and stored once.
    const data = JSON.parse(String(rows[0]?.data)) as Record<string, unknown>;
    const photoRefs = data.headIdCardPhotos as { id: string; name: string; type: string }[];
    expect(photoRefs.map((r) => [r.name, r.type])).toEqual([
      ['身份证正面.jpg', 'image/jpeg'],
      ['身份证背面.jpg', 'image/jpeg'],
    ]);
    expect(data.surveyorSignatureImage).toMatchObject({ type: 'image/png' });
    expect(data.householdSignatureImage).toMatchObject({ type: 'image/png' });
    const ids = [
      ...photoRefs.map((r) => r.id),
      (data.surveyorSignatureImage as { id: string }).id,
      (data.householdSignatureImage as { id: string }).id,
    ];
    expect(new Set(ids).size).toBe(4);
    const refs = await server.db
      .selectFrom('attachment_refs')
      .select('attachment_id')
      .where('submission_id', '=', String(rows[0]?.id))
      .execute();
    expect(refs.map((r) => r.attachment_id).sort()).toEqual([...ids].sort());
    const uploads = await server.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'attachment.upload')
      .where('entity_id', 'in', ids)
      .execute();
    expect(uploads.map((u) => u.entity_id).sort()).toEqual([...ids].sort());
    expect((await storedFiles()).filter((id) => !storedBefore.includes(id)).sort()).toEqual([...ids].sort());

    // Later loads send nothing again, and the form starts blank (the working copy was done).
    await page.goto(`${server.url}/app/fill/household-survey`);
    await page.waitForSelector('form[data-form="household-survey"]');
    await expect(page.inputValue(`#${inputId('headName')}`)).resolves.toBe('');
    await page.waitForTimeout(3500);
    expect(await submissionsByHead()).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
