import { createHash } from 'node:crypto';

/** Bytes that start like a PNG (what the upload's content check reads), `size` long, varied by `seed`. */
export function pngBytes(size: number, seed = 0): Buffer {
  const b = Buffer.alloc(size, seed & 0xff);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  b.writeUInt32BE(seed >>> 0, 8);
  return b;
}

/** Bytes that start like a JPEG. */
export function jpegBytes(size: number, seed = 0): Buffer {
  const b = Buffer.alloc(size, (seed * 7) & 0xff);
  b[0] = 0xff;
  b[1] = 0xd8;
  b[2] = 0xff;
  b.writeUInt32BE(seed >>> 0, 4);
  return b;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
