import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentError } from '../errors/codes-attachment.ts';
import { NxError } from '../errors/nx-error.ts';

/** A spooled upload: the temp file, the SHA-256 of its bytes, its size and its first bytes. */
export interface Received {
  readonly tempFile: string;
  readonly id: string;
  readonly size: number;
  readonly head: Buffer;
}

const HEAD = 16;

/**
 * Streams `source` into a new file of `tempDir`, hashing and counting as it goes: past `maxBytes`
 * the stream is stopped at once (413 NX_ERR_ATTACHMENT_TOO_LARGE) and the partial file removed.
 * Only one chunk at a time is in memory, whatever the size.
 */
export async function receive(
  source: Readable,
  opts: { tempDir: string; maxBytes: number },
): Promise<Received> {
  await mkdir(opts.tempDir, { recursive: true });
  const tempFile = join(opts.tempDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > opts.maxBytes) {
        done(attachmentError('NX_ERR_ATTACHMENT_TOO_LARGE', [tooLarge(opts.maxBytes)]));
        return;
      }
      if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // The source is piped, not handed to pipeline(): on a refusal it must stay open (only unpiped)
  // so that the 413 can still be sent on its connection.
  const written = pipeline(meter, createWriteStream(tempFile, { flags: 'wx' }));
  const cut = () => {
    if (!source.readableEnded) meter.destroy(attachmentError('NX_ERR_ATTACHMENT_ABORTED'));
  };
  source.once('error', cut);
  source.once('close', cut);
  source.pipe(meter);
  try {
    await written;
  } catch (err) {
    source.unpipe(meter);
    await unlink(tempFile).catch(() => undefined);
    if (err instanceof NxError) throw err;
    throw attachmentError('NX_ERR_ATTACHMENT_ABORTED');
  }
  source.off('error', cut);
  source.off('close', cut);
  if (size === 0) {
    await unlink(tempFile).catch(() => undefined);
    throw attachmentError('NX_ERR_ATTACHMENT_EMPTY');
  }
  return { tempFile, id: hash.digest('hex'), size, head };
}

export function tooLarge(maxBytes: number) {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return {
    path: '/body',
    code: 'NX_ERR_ATTACHMENT_TOO_LARGE',
    message: { 'zh-CN': `文件不能超过 ${mb} MB`, en: `A file may be at most ${mb} MB` },
    hint: {
      'zh-CN': '请压缩照片（降低分辨率）或把文件拆分后再上传',
      en: 'Make the photo smaller (lower resolution) or split the file, then upload again',
    },
    params: { maxBytes },
  };
}
