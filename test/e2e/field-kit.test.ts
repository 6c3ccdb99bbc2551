import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/users.ts';
import { haveChromium, launch, login, open, screenshots, type Watched, watchedPage } from './browser.ts';
import { inputId } from './fill-form.ts';
import { type E2eServer, startServer } from './server.ts';

/**
 * The field kit's widgets on the fill page, online: photos (camera or album; the field's own
 * limits refuse a file on the page, naming it), a document, a signature drawn and undone and
 * cleared, and a location from the browser (with a clear message when it is not allowed). The
 * form is published for the test by an administrator, as a county would publish a visit form.
 */

const FORM = {
  id: 'field-kit-visit',
  version: 1,
  title: { 'zh-CN': '走访记录', en: 'Visit record' },
  sections: [
    {
      id: 'visit',
      title: { 'zh-CN': '走访', en: 'Visit' },
      fields: [
        { id: 'note', type: 'text', label: { 'zh-CN': '情况说明', en: 'Notes' }, required: true },
        {
          id: 'housePhotos',
          type: 'photo',
          maxCount: 3,
          maxSize: 200_000,
          label: { 'zh-CN': '住房照片', en: 'Photos of the house' },
        },
        {
          id: 'roomPhotos',
          type: 'photo',
          maxCount: 2,
          maxSize: 200_000,
          maxDimension: 240,
          label: { 'zh-CN': '室内照片', en: 'Photos inside' },
        },
        { id: 'consent', type: 'file', label: { 'zh-CN': '授权委托书', en: 'Signed consent' } },
        {
          id: 'visitorSignature',
          type: 'signature',
          label: { 'zh-CN': '走访人签字', en: "Visitor's signature" },
        },
        {
          id: 'where',
          type: 'geopoint',
          maxAccuracy: 100,
          label: { 'zh-CN': '走访地点', en: 'Where the visit took place' },
        },
      ],
    },
  ],
};

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(b: Buffer): { width: number; height: number } {
  for (let i = 2; i + 9 < b.length; ) {
    if (b[i] !== 0xff) throw new Error('not a JPEG marker');
    const marker = b[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc3)
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  throw new Error('no start-of-frame in the JPEG');
}

const HOME = { latitude: 31.5312, longitude: 107.0863, accuracy: 18 };

if (!haveChromium && process.env.CI) {
  throw new Error('Chromium is missing at /usr/bin/chromium; the e2e suite must run in CI');
}

describe.skipIf(!haveChromium)('field kit widgets in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launch()]);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const headers = { authorization: `Bearer ${token}` };
    const made = await server.app.inject({ method: 'POST', url: '/api/forms', headers, payload: FORM });
    expect(made.statusCode, made.body).toBe(201);
    const published = await server.app.inject({
      method: 'POST',
      url: `/api/forms/${FORM.id}/publish`,
      headers,
    });
    expect(published.statusCode, published.body).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A real JPEG of about `kb` kilobytes (noise compresses badly), drawn in the page. */
  const jpeg = async (page: Page, seed: number, side = 120): Promise<Buffer> =>
    Buffer.from(
      await page.evaluate(
        async ([s, n]) => {
          const c = document.createElement('canvas');
          c.width = c.height = n;
          const g = c.getContext('2d') as CanvasRenderingContext2D;
          const img = g.createImageData(n, n);
          let x = s * 2654435761;
          for (let i = 0; i < img.data.length; i++) {
            x = (x * 1103515245 + 12345) >>> 0;
            img.data[i] = i % 4 === 3 ? 255 : x >>> 24;
          }
          g.putImageData(img, 0, 0);
          const b = await new Promise<Blob>((ok) => c.toBlob((v) => ok(v as Blob), 'image/jpeg', 0.95));
          return [...new Uint8Array(await b.arrayBuffer())];
        },
        [seed, side] as const,
      ),
    );

  async function stroke(page: Page, field: string, at: number): Promise<void> {
    const box = await page.locator(`#${inputId(field)}-pad`).boundingBox();
    if (!box) throw new Error('no signing box');
    await page.mouse.move(box.x + 20 + at, box.y + 30);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + 20 + at + i * 8, box.y + 30 + (i % 2) * 40);
    await page.mouse.up();
  }

  /** The text of an element once it has some. */
  const textOf = async (page: Page, selector: string): Promise<string> => {
    await page.waitForSelector(`${selector}:not(:empty)`, { timeout: 20_000 });
    return (await page.textContent(selector)) ?? '';
  };

  const expectClean = async (w: Watched) => {
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
  };

  it('takes photos within the limits, a document, a drawn signature and the location, and submits them', async () => {
    const w = await watchedPage(browser, undefined, {
      geolocation: HOME,
      permissions: ['geolocation'],
    });
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/${FORM.id}`);
    await page.fill(`#${inputId('note')}`, '住房漏雨，已拍照');

    // Photos: one too large for the field is refused by name and not kept; two are taken.
    const photos = `#${inputId('housePhotos')}`;
    await expect(page.textContent(`${photos} .limits`)).resolves.toBe(
      '最多 3 个，每个不超过 195 KB；JPEG、PNG、WEBP',
    );
    const big = await jpeg(page, 1, 520);
    expect(big.length).toBeGreaterThan(200_000);
    await page.setInputFiles(`${photos}-choose`, { name: '全景.jpg', mimeType: 'image/jpeg', buffer: big });
    await expect(textOf(page, `${photos} .pick-error`)).resolves.toMatch(/^全景\.jpg：文件不能超过/);
    await expect(page.getAttribute(photos, 'data-count')).resolves.toBe('0');
    await page.setInputFiles(`${photos}-camera`, [
      { name: '屋顶.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page, 2) },
      { name: '墙面.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page, 3) },
    ]);
    await page.waitForSelector(`${photos}[data-count="2"] img.thumb >> nth=1`);
    await expect(page.textContent(`${photos} .pick-error`)).resolves.toBe('');
    // The same photo again is not added twice; a removed one goes.
    await page.setInputFiles(`${photos}-choose`, {
      name: '屋顶-副本.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpeg(page, 2),
    });
    await expect(textOf(page, `${photos} .pick-error`)).resolves.toBe('屋顶-副本.jpg：已经添加过这个文件');
    await page.click(`${photos} button.remove-file >> text=删除：墙面.jpg`);
    await page.waitForSelector(`${photos}[data-count="1"]`, { timeout: 10_000 });

    // A document.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await page.setInputFiles(`#${inputId('consent')}-choose`, {
      name: '授权委托书.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await expect(page.textContent(`#${inputId('consent')} .file-name`)).resolves.toMatch(
      /^授权委托书\.pdf · 1 KB$/,
    );

    // The signature: two strokes, one taken back (still signed), cleared (not), signed again.
    const sig = `#${inputId('visitorSignature')}`;
    await page.locator(`${sig}-pad`).scrollIntoViewIfNeeded();
    await stroke(page, 'visitorSignature', 0);
    await stroke(page, 'visitorSignature', 80);
    await page.waitForSelector(`${sig}[data-state="signed"]`);
    await page.click(`${sig} button.undo`);
    await page.waitForTimeout(400);
    await expect(page.getAttribute(sig, 'data-state')).resolves.toBe('signed');
    await page.click(`${sig} button.clear`);
    await page.waitForSelector(`${sig}[data-state="empty"]`);
    await stroke(page, 'visitorSignature', 40);
    await page.waitForSelector(`${sig}[data-state="signed"]`);

    // The location, with its accuracy.
    const where = `#${inputId('where')}`;
    await page.click(`${where} button.locate`);
    await page.waitForSelector(`${where}[data-state="located"]`);
    await expect(page.textContent(`${where} .location`)).resolves.toBe(
      '纬度 31.5312，经度 107.0863，误差约 18 米',
    );
    await screenshots(page, 'field-kit');

    await Promise.all([page.waitForURL(/\/app\/submissions\/[^/?]+\?sent=1$/), page.click('#submit')]);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const row = await server.db
      .selectFrom('submissions')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const data = JSON.parse(String(row.data)) as Record<string, unknown>;
    expect((data.housePhotos as { name: string }[]).map((p) => p.name)).toEqual(['屋顶.jpg']);
    expect(data.consent).toMatchObject([
      { name: '授权委托书.pdf', type: 'application/pdf', size: pdf.length },
    ]);
    expect(data.visitorSignature).toMatchObject({ name: 'visitorSignature.png', type: 'image/png' });
    expect(data.where).toEqual({ lat: HOME.latitude, lon: HOME.longitude, accuracy: HOME.accuracy });
    const refs = await server.db
      .selectFrom('attachment_refs')
      .select('attachment_id')
      .where('submission_id', '=', id)
      .execute();
    expect(refs).toHaveLength(3);
    await expectClean(w);
    await w.context.close();
  }, 120_000);

  it('shrinks a photo larger than its field’s longest side before keeping it, and keeps a smaller one as it is', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/${FORM.id}`);
    await page.fill(`#${inputId('note')}`, '室内照片');
    const room = `#${inputId('roomPhotos')}`;
    // 520 px of noise at quality 0.95 is over the field's 195 KB; drawn at 240 px it is well under.
    const big = await jpeg(page, 7, 520);
    expect(big.length).toBeGreaterThan(200_000);
    const small = await jpeg(page, 8, 120);
    await page.setInputFiles(`${room}-choose`, [
      { name: '厨房.jpg', mimeType: 'image/jpeg', buffer: big },
      { name: '卧室.jpg', mimeType: 'image/jpeg', buffer: small },
    ]);
    await page.waitForSelector(`${room}[data-count="2"]`, { timeout: 20_000 });
    await expect(page.textContent(`${room} .pick-error`)).resolves.toBe('');
    await Promise.all([page.waitForURL(/\/app\/submissions\/[^/?]+\?sent=1$/), page.click('#submit')]);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const row = await server.db
      .selectFrom('submissions')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const photos = (
      JSON.parse(String(row.data)) as { roomPhotos: { id: string; name: string; size: number }[] }
    ).roomPhotos;
    expect(photos.map((p) => p.name)).toEqual(['厨房.jpg', '卧室.jpg']);
    const token = (
      await server.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: DEMO_PASSWORD },
      })
    ).json().token as string;
    const stored = async (ref: { id: string }) =>
      (
        await server.app.inject({
          method: 'GET',
          url: `/api/attachments/${ref.id}`,
          headers: { authorization: `Bearer ${token}` },
        })
      ).rawPayload;
    type Ref = { id: string; size: number };
    const [kitchen, bedroom] = photos as unknown as [Ref, Ref];
    const shrunk = await stored(kitchen);
    expect(jpegSize(shrunk)).toEqual({ width: 240, height: 240 });
    expect(shrunk.length).toBe(kitchen.size);
    expect(shrunk.length).toBeLessThan(200_000);
    // Within the longest side: the very bytes picked.
    expect((await stored(bedroom)).equals(small)).toBe(true);
    await expectClean(w);
    await w.context.close();
  }, 120_000);

  it('says what to do when the location is not allowed, and what the server refused, in English too', async () => {
    const w = await watchedPage(browser, undefined, { permissions: [] });
    const { page } = w;
    await login(page, server.url, 'baiyicun.staff');
    await open(page, `${server.url}/app/fill/${FORM.id}`);
    const where = `#${inputId('where')}`;
    await page.click(`${where} button.locate`);
    await expect(textOf(page, `${where} .geo-error`)).resolves.toMatch(
      /没有允许本网站使用位置.*此项不是必填/,
    );

    const saved = async () =>
      Number(
        (
          await server.db
            .selectFrom('submissions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('form_id', '=', FORM.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await saved();
    // Content that is not what it claims passes the page's limits, and the server refuses its
    // upload: the answer is said under the photo field, naming the file; nothing is saved.
    await page.fill(`#${inputId('note')}`, '照片有问题');
    const photos = `#${inputId('housePhotos')}`;
    await page.setInputFiles(`${photos}-choose`, {
      name: 'not-a-photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('this is text, not a JPEG'),
    });
    // The page hashes and checks a picked file before keeping it: wait for that, not a fixed time.
    await page.waitForSelector(`${photos}[data-count="1"]`, { timeout: 10_000 });
    await page.click('#save-draft');
    await expect(textOf(page, '[data-field="housePhotos"] > p.error')).resolves.toMatch(
      /^not-a-photo\.jpg：/,
    );
    await expect(textOf(page, '.error-summary')).resolves.toContain('走访 · 住房照片');
    expect(await saved()).toBe(before);
    // Submitted offline, the same file waits in the queue; once online its upload is refused and
    // the queue names the file, for the worker to open and fix.
    await w.context.setOffline(true);
    await page.click('#submit');
    await page.waitForSelector('#saved-where[data-saved="device"]');
    await w.context.setOffline(false);
    await open(page, `${server.url}/app/outbox`);
    await expect(textOf(page, '#outbox li.refused p.error')).resolves.toMatch(
      /^服务器拒收 \(415 NX_ERR_ATTACHMENT_TYPE_MISMATCH\)：附件“not-a-photo\.jpg”：/,
    );
    await expect(page.getAttribute('#outbox li.refused .files-state', 'data-files')).resolves.toBe('1');
    expect(await saved()).toBe(before);

    await page.evaluate(() => localStorage.setItem('nx.lang', 'en'));
    await open(page, `${server.url}/app/fill/${FORM.id}`);
    await expect(page.textContent(`${photos}-camera >> xpath=..`)).resolves.toBe('Take a photo');
    await page.click(`${where} button.locate`);
    await expect(textOf(page, `${where} .geo-error`)).resolves.toMatch(/may not use your location.*optional/);
    const p = await w.problems();
    expect(p.csp).toEqual([]);
    expect(p.errors).toEqual([]);
    await w.context.close();
  }, 120_000);
});
