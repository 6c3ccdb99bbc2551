import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  COMPRESS_MIN_BYTES,
  installJsonCompression,
  jsonEncoding,
} from '../../../engine/server/json-compression.ts';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: `h-${i}`, label: '家庭户' })) };

async function app() {
  const a = Fastify();
  installJsonCompression(a);
  a.get('/big', async () => big);
  a.get('/small', async () => ({ ok: true }));
  a.get('/encoded', async (_req, reply) =>
    reply.type('application/json').header('content-encoding', 'gzip').send(Buffer.from('already')),
  );
  a.get('/text', async (_req, reply) => reply.type('text/plain').send('x'.repeat(5000)));
  await a.ready();
  return a;
}

describe('JSON answers compressed for the clients that accept it', () => {
  it('sends brotli when offered, gzip otherwise, and the same JSON either way', async () => {
    const a = await app();
    const b = await a.inject({ url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(b.headers['content-encoding']).toBe('br');
    expect(b.headers.vary).toMatch(/accept-encoding/);
    expect(b.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 4);
    expect(JSON.parse(brotliDecompressSync(b.rawPayload).toString())).toEqual(big);
    const g = await a.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(g.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(g.rawPayload).toString())).toEqual(big);
    const plain = await a.inject({ url: '/big' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(big);
    await a.close();
  });

  it('leaves small answers, other types and answers already encoded as they are', async () => {
    const a = await app();
    const accept = { 'accept-encoding': 'br, gzip' };
    const small = await a.inject({ url: '/small', headers: accept });
    expect(small.rawPayload.length).toBeLessThan(COMPRESS_MIN_BYTES);
    expect(small.headers['content-encoding']).toBeUndefined();
    const text = await a.inject({ url: '/text', headers: accept });
    expect(text.headers['content-encoding']).toBeUndefined();
    const enc = await a.inject({ url: '/encoded', headers: accept });
    expect(enc.headers['content-encoding']).toBe('gzip');
    expect(enc.body).toBe('already');
    await a.close();
  });

  it('reads Accept-Encoding with its weights', () => {
    expect(jsonEncoding(undefined)).toBeUndefined();
    expect(jsonEncoding('identity')).toBeUndefined();
    expect(jsonEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(jsonEncoding('*')).toBe('br');
    expect(jsonEncoding('*, br;q=0')).toBe('gzip');
    expect(jsonEncoding('deflate, GZIP')).toBe('gzip');
  });
});
