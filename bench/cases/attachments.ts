/**
 * Attachment uploads (`POST /api/attachments`) over a real socket, ten at a time: photos/s and
 * how much memory the server holds meanwhile (the peak of live buffers and of RSS over a second
 * pass, sampled every 250 ms, each after a full collection), against the limit — a bare
 * Fastify route piping the body to a file — and against buffering each body whole before writing
 * it, which is what "memory stays flat" rules out. Then a 20 MB upload against the default limit
 * of 10 MiB: the answer, and how much of the body the client had sent when it came.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../../engine/attachments/attachment-service.ts';
import { testApp } from '../../test/helpers/app.ts';
import { sendChunked } from '../../test/helpers/chunked-upload.ts';
import { dialects } from '../../test/helpers/dialects.ts';
import { type BenchOptions, type BenchResult, compare, type Measurement } from '../harness.ts';

export const name = 'attachments';
export const description =
  'attachment uploads, 10 at a time: photos/s and peak memory vs piping to a file and vs buffering each body; a 20 MB upload refused';

const MB = 1024 * 1024;
const AT_ONCE = 10;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The two limits: the body piped to a file as it comes, and the body read whole, then written. */
async function bareServer(dir: string, mode: 'pipe' | 'buffer'): Promise<FastifyInstance> {
  const app = Fastify();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  let n = 0;
  app.post('/api/attachments', async (request, reply) => {
    const file = join(dir, `${mode}-${n++}`);
    if (mode === 'pipe') await pipeline(request.raw, createWriteStream(file));
    else {
      const parts: Buffer[] = [];
      for await (const c of request.raw) parts.push(c as Buffer);
      await writeFile(file, Buffer.concat(parts));
    }
    return reply.status(201).send({ ok: true });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

const portOf = (app: FastifyInstance) => (app.server.address() as { port: number }).port;

/** Uploads `count` photos of `size`, AT_ONCE at a time; the seconds it took. */
async function uploadAll(
  port: number,
  token: string,
  count: number,
  size: number,
  seed: number,
): Promise<number> {
  const t0 = process.hrtime.bigint();
  const statuses: number[] = [];
  for (let i = 0; i < count; i += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, count - i) }, (_, k) =>
      sendChunked(port, token, seed + i + k, size),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  const bad = statuses.filter((s) => s !== 201);
  if (bad.length) throw new Error(`${bad.length} uploads answered ${bad[0]}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Two passes of `count` photos: one timed (photos/s), one sampled for memory every 250 ms, each
 * sample after a full collection (it counts the buffers still held, not garbage; the collections
 * slow that pass down, so it is not timed).
 */
async function uploadMany(
  label: string,
  port: number,
  token: string,
  count: number,
  size: number,
): Promise<Measurement> {
  const rate = count / (await uploadAll(port, token, count, size, 0));
  gc();
  const base = process.memoryUsage();
  let peakBuffers = 0;
  let peakRss = 0;
  const sample = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers - base.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  }, 250);
  await uploadAll(port, token, count, size, 500_000).finally(() => clearInterval(sample));
  return {
    name: label,
    opsPerSec: rate,
    rounds: [rate],
    unit: 'photos/s',
    detail: `peak live buffers +${(peakBuffers / MB).toFixed(1)} MB, peak RSS +${(peakRss / MB).toFixed(0)} MB (${count} × ${(size / MB).toFixed(1)} MB)`,
  };
}

export async function run(opts: BenchOptions): Promise<BenchResult[]> {
  const count = opts.quick ? 10 : 100;
  const size = opts.quick ? 256 * 1024 : 2 * MB;
  const dir = mkdtempSync(join(tmpdir(), 'nx-bench-att-'));
  const sqlite = dialects().find((d) => d.name === 'sqlite');
  if (!sqlite) throw new Error('no SQLite dialect');
  const t = await sqlite.open();
  const a = await testApp(t, { attachments: { dir: join(dir, 'store') } });
  await a.app.listen({ host: '127.0.0.1', port: 0 });
  const token = await a.token('pingchangStaff');
  const pipe = await bareServer(dir, 'pipe');
  const buffer = await bareServer(dir, 'buffer');
  try {
    // Warm up each server (code paths, first allocations) before measuring.
    for (const app of [a.app, pipe, buffer]) await uploadAll(portOf(app), token, AT_ONCE, size, 900_000);
    const rows = [
      await uploadMany('bare: pipe each body to a file', portOf(pipe), token, count, size),
      await uploadMany('nuanxin: POST /api/attachments', portOf(a.app), token, count, size),
      await uploadMany('buffered: read each body whole, then write', portOf(buffer), token, count, size),
    ];
    // 20 MB against the default limit: refused while it streams.
    let sentAtAnswer = 0;
    const status = await sendChunked(portOf(a.app), token, 777_777, 20 * MB, undefined, (n) => {
      sentAtAnswer = n;
    });
    const notes = [
      `a 20 MB upload (chunked, no length) against the default ${(DEFAULT_MAX_ATTACHMENT_BYTES / MB).toFixed(0)} MiB limit: ${status}${status === 413 ? ' NX_ERR_ATTACHMENT_TOO_LARGE' : ''}, answered after ${(sentAtAnswer / MB).toFixed(1)} MB of 20 were sent`,
      'memory is the whole process (the client holds one 64 KB chunk per upload); a server that buffers holds ten bodies at once',
    ];
    if (status !== 413) throw new Error(`the 20 MB upload was answered ${status}, not 413`);
    return [compare('attachment uploads (10 at a time)', 'bare: pipe each body to a file', rows, notes)];
  } finally {
    await pipe.close();
    await buffer.close();
    await a.close();
    await t.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
