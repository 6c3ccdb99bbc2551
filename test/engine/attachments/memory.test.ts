import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { sendChunked as send } from '../../helpers/chunked-upload.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const MB = 1024 * 1024;

// A full collection before each sample, so a sample counts the buffers still held, not garbage
// waiting for the collector.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const SIZE = 2 * MB;

/**
 * Memory stays flat while 100 photos of 2 MB stream in, ten at a time, over a real socket: the
 * server holds chunks, never a whole body. Each batch is measured with its ten uploads stopped
 * half way: a server that buffered bodies would hold 10 MB of live buffers there; the bound is 4 MB.
 */
describe.each(dialects().filter((d) => d.name === 'sqlite'))('upload memory on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    t = await dialect.open();
    dir = mkdtempSync(join(tmpdir(), 'nx-att-mem-'));
    a = await testApp(t, { attachments: { dir, maxBytes: 3 * MB } });
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    port = (a.app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('100 uploads of 2 MB, ten at a time: live buffers grow by less than 4 MB, RSS by less than 96 MB', async () => {
    const token = await a.token('pingchangStaff');
    // Warm up (code paths, connection pool, first allocations) before measuring.
    expect(await send(port, token, 100_000, SIZE)).toBe(201);
    gc();
    const base = process.memoryUsage();
    const bufferSamples: number[] = [];
    let peakRss = base.rss;

    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      // Ten uploads in flight, each stopped half way; once the server has taken what was sent,
      // a full collection, then a sample of what is still held.
      let reached = 0;
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let allReached: () => void = () => undefined;
      const halfway = new Promise<void>((r) => {
        allReached = r;
      });
      const pause = {
        reached: () => {
          if (++reached === 10) allReached();
        },
        gate,
      };
      const done = Promise.all(
        Array.from({ length: 10 }, (_, i) => send(port, token, batch * 10 + i, SIZE, pause)),
      );
      await halfway;
      await new Promise((r) => setTimeout(r, 100));
      gc();
      const m = process.memoryUsage();
      bufferSamples.push(m.arrayBuffers - base.arrayBuffers);
      peakRss = Math.max(peakRss, m.rss);
      release();
      statuses.push(...(await done));
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(100);
    const stored = readdirSync(dir)
      .filter((d) => /^[0-9a-f]{2}$/.test(d))
      .flatMap((d) => readdirSync(join(dir, d)));
    expect(stored).toHaveLength(101);
    // The smallest of the ten samples: a sample can catch the bodies the senders (in this same
    // process) and the file stream hold for a moment — half of them did in one CI run (samples -1.4 …
    // 18.3 MB, median 9.2) — while a server that buffers bodies holds ten half-sent 2 MB bodies
    // (10 MB) in every sample, so it still fails here.
    const buffersGrowth = Math.min(...bufferSamples);
    const rssGrowth = peakRss - base.rss;
    console.log(
      `upload memory: buffers +${(buffersGrowth / MB).toFixed(1)} MB (smallest; samples ${bufferSamples.map((b) => (b / MB).toFixed(1)).join(' ')}), rss +${(rssGrowth / MB).toFixed(1)} MB`,
    );
    expect(buffersGrowth).toBeLessThan(4 * MB);
    expect(rssGrowth).toBeLessThan(96 * MB);
  }, 120_000);
});
