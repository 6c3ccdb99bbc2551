import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Answers shorter than this go as they are: the headers would eat the gain. */
export const COMPRESS_MIN_BYTES = 1024;

/** The encoding to answer in, from `Accept-Encoding` (brotli first, then gzip), or none. */
export function jsonEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  const offered = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name.trim(), q ? Number(q.slice(2)) : 1);
  }
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * JSON answers of 1 KiB or more are compressed when the client accepts it (brotli at a fast
 * level, else gzip): a form definition of 16 KB crosses a 1.6 Mbps link in a fifth of the time.
 * Answers already encoded (the page assets, compressed once at start-up) and streams are left
 * alone. Compression runs on libuv's thread pool, not on the event loop.
 */
export function installJsonCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.getHeader('content-encoding') !== undefined) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json')) return payload;
    const raw = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (raw.length < COMPRESS_MIN_BYTES) return payload;
    reply.header('vary', 'accept-encoding');
    const encoding = jsonEncoding(req.headers['accept-encoding']);
    if (encoding === undefined) return payload;
    const out =
      encoding === 'br'
        ? await br(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          })
        : await gz(raw, { level: 6 });
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return out;
  });
}
