import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentStore } from '../../../engine/attachments/attachment-store.ts';
import { localFolderStore } from '../../../engine/attachments/local-folder-store.ts';
import { receive } from '../../../engine/attachments/receive.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { pngBytes, sha256 } from './fixtures.ts';
import { type LocalS3, startLocalS3 } from './s3-server.ts';

const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Opened {
  readonly store: AttachmentStore;
  readonly s3?: LocalS3;
  close(): Promise<void>;
}

const stores: { name: string; open: () => Promise<Opened> }[] = [
  {
    name: 'local folder',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nx-store-local-'));
      return {
        store: localFolderStore(dir),
        close: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3-compatible (s3rver)',
    open: async () => {
      const s3 = await startLocalS3();
      return { store: s3.store({ prefix: 'nuanxin/attachments/' }), s3, close: () => s3.close() };
    },
  },
];

/** `count` chunks of `chunk` bytes, made as they are pulled; `pulled` says how many were. */
function chunks(count: number, chunk: number, seed: number) {
  const state = { pulled: 0 };
  const gen = function* () {
    for (let i = 0; i < count; i++) {
      state.pulled++;
      yield pngBytes(chunk, seed + i);
    }
  };
  return { stream: Readable.from(gen()), state };
}

const bytesOf = (count: number, chunk: number, seed: number) =>
  Buffer.concat(Array.from({ length: count }, (_, i) => pngBytes(chunk, seed + i)));

async function listed(store: AttachmentStore): Promise<string[]> {
  const out: string[] = [];
  for await (const id of store.list()) out.push(id);
  return out;
}

const spoolLeft = (store: AttachmentStore) => {
  try {
    return readdirSync(store.tempDir);
  } catch {
    return [];
  }
};

describe.each(stores)('attachment store contract: $name', (kind) => {
  let o: Opened;
  let store: AttachmentStore;
  beforeAll(async () => {
    o = await kind.open();
    store = o.store;
  });
  afterAll(async () => {
    await o?.close();
  });

  const spool = (stream: Readable, maxBytes = 64 * MB) =>
    receive(stream, { tempDir: store.tempDir, maxBytes });

  it('stores content under its SHA-256; a retry, and two uploads at once, store it once', async () => {
    const bytes = bytesOf(3, 100_000, 10);
    const first = await spool(chunks(3, 100_000, 10).stream);
    expect(first.id).toBe(sha256(bytes));
    expect(await store.save(first.tempFile, first.id, first.size)).toEqual({ created: true });
    const retry = await spool(chunks(3, 100_000, 10).stream);
    expect(await store.save(retry.tempFile, retry.id, retry.size)).toEqual({ created: false });
    const both = await Promise.all([
      spool(chunks(3, 100_000, 10).stream),
      spool(chunks(3, 100_000, 10).stream),
    ]);
    const saved = await Promise.all(both.map((g) => store.save(g.tempFile, g.id, g.size)));
    expect(saved.every((s) => s.created === false)).toBe(true);
    expect((await listed(store)).filter((id) => id === first.id)).toHaveLength(1);
    expect(await store.has(first.id)).toBe(true);
    expect(spoolLeft(store)).toEqual([]);
  });

  it('reads content back as a stream, chunk by chunk (12 MB: three parts on S3)', async () => {
    const got = await spool(chunks(120, 100_000, 1000).stream);
    await store.save(got.tempFile, got.id, got.size);
    const content = await store.open(got.id);
    expect(content).not.toBeNull();
    const hash = (await import('node:crypto')).createHash('sha256');
    let pieces = 0;
    let largest = 0;
    let total = 0;
    for await (const c of content as Readable) {
      const b = c as Buffer;
      pieces++;
      largest = Math.max(largest, b.length);
      total += b.length;
      hash.update(b);
    }
    expect(total).toBe(12_000_000);
    expect(hash.digest('hex')).toBe(got.id);
    expect(pieces).toBeGreaterThan(10);
    expect(largest).toBeLessThan(2 * MB);
  });

  it('refuses an upload over the limit while it streams: nothing stored, nothing left in the spool', async () => {
    const before = await listed(store);
    const { stream, state } = chunks(100, 100_000, 5000);
    const err = await spool(stream, 1 * MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NxError);
    expect((err as NxError).code).toBe('NX_ERR_ATTACHMENT_TOO_LARGE');
    // Stopped at the limit, not after reading the 10 MB.
    expect(state.pulled).toBeLessThan(30);
    expect(await listed(store)).toEqual(before);
    expect(await store.has(sha256(bytesOf(100, 100_000, 5000)))).toBe(false);
    expect(spoolLeft(store)).toEqual([]);
  });

  it('removes content; removing it again, or what never was, is no error', async () => {
    const got = await spool(chunks(2, 50_000, 7000).stream);
    await store.save(got.tempFile, got.id, got.size);
    expect(await listed(store)).toContain(got.id);
    await store.remove(got.id);
    expect(await store.has(got.id)).toBe(false);
    expect(await store.open(got.id)).toBeNull();
    expect(await listed(store)).not.toContain(got.id);
    await store.remove(got.id);
    await store.remove('0'.repeat(64));
    // …and it can be stored again afterwards.
    const again = await spool(chunks(2, 50_000, 7000).stream);
    expect(await store.save(again.tempFile, again.id, again.size)).toEqual({ created: true });
  });

  it('lists ids in order and refuses what is not an id', async () => {
    const ids = await listed(store);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect([...ids].sort()).toEqual(ids);
    await expect(store.open('../../etc/passwd')).rejects.toThrow(/not an attachment id/);
  });
});

describe('S3-compatible store only', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3(['nuanxin-only']);
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('a spooled file that changed before it was sent is refused, its multipart upload aborted, and no object appears', async () => {
    const store = s3.store({ prefix: 'x/' });
    const got = await receive(chunks(120, 100_000, 9000).stream, {
      tempDir: store.tempDir,
      maxBytes: 64 * MB,
    });
    appendFileSync(got.tempFile, Buffer.alloc(10, 1));
    await expect(store.save(got.tempFile, got.id, got.size)).rejects.toThrow();
    expect(await store.has(got.id)).toBe(false);
    expect(await listed(store)).toEqual([]);
    expect(readdirSync(store.tempDir)).toEqual([]);
    // Two parts went out before the end showed the change; the upload was then aborted, not completed.
    const ours = s3.requests.filter((r) => r.includes(`/x/${got.id.slice(0, 2)}/${got.id}`));
    expect(ours.some((r) => r.startsWith('POST') && r.includes('uploads'))).toBe(true);
    expect(ours.some((r) => r.startsWith('DELETE') && r.includes('uploadId='))).toBe(true);
    expect(ours.some((r) => r.startsWith('POST') && r.includes('uploadId='))).toBe(false);
  });

  it('a store whose bucket does not exist or whose key is unknown says so on ping, without the secret', async () => {
    await expect(s3.store({ bucket: 'no-such-bucket' }).ping()).rejects.toThrow();
    // s3rver checks the key id, not the SigV4 signature.
    const wrong = s3.store({ credentials: { accessKeyId: 'NOPE', secretAccessKey: 'not-the-secret-123' } });
    const err = await wrong.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.stringify(err) + String(err)).not.toContain('not-the-secret-123');
  });
});

/**
 * A pass-through HTTP proxy in this process in front of `target`: each time another `every`
 * bytes of request bodies have passed, a full collection, then a sample of the live buffers.
 * Sampling follows the bytes sent, not a timer, so a fast upload is sampled as often as a slow one.
 */
async function meteredProxy(target: string, every: number) {
  const { createServer, request } = await import('node:http');
  const url = new URL(target);
  const samples: number[] = [];
  let passed = 0;
  let next = every;
  const server = createServer((req, res) => {
    const up = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      passed += chunk.length;
      if (passed >= next) {
        next += every;
        gc();
        samples.push(process.memoryUsage().arrayBuffers);
      }
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    samples,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('S3-compatible store, memory (s3rver in a child process, sampled by a proxy in this one)', () => {
  let far: LocalS3;
  let proxy: Awaited<ReturnType<typeof meteredProxy>>;
  beforeAll(async () => {
    far = await startLocalS3(['nuanxin-memory'], { childProcess: true });
    proxy = await meteredProxy(far.endpoint, 512 * 1024);
  });
  afterAll(async () => {
    await proxy?.close();
    await far?.close();
  });

  /** Live buffers (after a full collection) every 512 kB sent while `store.save` sends a spooled file of `count` × 100 kB. */
  async function sampledSave(prefix: string, count: number, seed: number) {
    const store = far.store({ prefix, endpoint: proxy.endpoint });
    const got = await receive(chunks(count, 100_000, seed).stream, {
      tempDir: store.tempDir,
      maxBytes: 100 * MB,
    });
    // A request first, so the client's connection and code are warm before the base is taken.
    expect(await store.has(got.id)).toBe(false);
    gc();
    const base = process.memoryUsage().arrayBuffers;
    proxy.samples.length = 0;
    expect(await store.save(got.tempFile, got.id, got.size)).toEqual({ created: true });
    const samples = proxy.samples.map((x) => x - base);
    expect(await store.has(got.id)).toBe(true);
    const sorted = [...samples].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const peak = sorted.at(-1) ?? 0;
    console.log(
      `S3 save of ${(got.size / MB).toFixed(1)} MB: live buffers median +${(median / MB).toFixed(1)} MB, peak +${(peak / MB).toFixed(1)} MB (${samples.length} samples)`,
    );
    return { median, peak, samples: samples.length };
  }

  it('a photo up to 5 MB is streamed from its file in one request: no buffer of its size', async () => {
    // 4.8 MB: a client that read it whole would hold 4.8 MB at every sample.
    const m = await sampledSave('photo/', 48, 30_000);
    expect(m.samples).toBeGreaterThanOrEqual(8);
    expect(m.peak).toBeLessThan(2 * MB);
  }, 60_000);

  it('a 64 MB file goes in 5 MB parts: memory stays bounded by a few parts, never the file', async () => {
    const m = await sampledSave('big/', 640, 20_000);
    expect(m.samples).toBeGreaterThanOrEqual(100);
    // The uploader holds the part it fills, its joined copy and the part it sends (about 15 MB);
    // a client that buffered the file would hold 64 MB at every sample.
    expect(m.median).toBeLessThan(20 * MB);
    expect(m.peak).toBeLessThan(36 * MB);
  }, 180_000);
});
