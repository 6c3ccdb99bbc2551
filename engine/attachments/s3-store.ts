import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type AttachmentStore, SHA256_HEX } from './attachment-store.ts';

/** Where an S3-compatible store is and who may use it (credentials come from the environment only). */
export interface S3StoreOptions {
  /** `https://s3.example.com`; omitted for AWS itself (the region's endpoint). */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Key prefix, e.g. `nuanxin/attachments/` (default none). */
  readonly prefix?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, Ceph, most self-hosted stores). */
  readonly forcePathStyle?: boolean;
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Local folder for spooled uploads (each server its own). */
  readonly tempDir: string;
  /** Size of a multipart upload's part in bytes (default and minimum 5 MiB). */
  readonly partSize?: number;
}

/** The smallest part S3 takes; one part at a time is in memory per upload. */
export const S3_PART_BYTES = 5 * 1024 * 1024;

/**
 * Attachments in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, a cloud's object storage) for
 * several servers: `<prefix>ab/abcdef…`, the same layout as the local folder, so a bucket synced
 * to a folder is a local store and back. A spooled upload up to a part's size (5 MiB) is streamed
 * from its file in one request; a larger one goes in a multipart upload of 5 MiB parts (the
 * uploader holds a few parts, never the file). Either is checked against its size and SHA-256
 * while it is read: a file that changed since it was spooled stops the upload (a multipart one is
 * aborted) and no object appears. Content that is there already is not sent again.
 */
export function s3Store(opts: S3StoreOptions): AttachmentStore & { ping(): Promise<void> } {
  const prefix = opts.prefix ?? '';
  const config = {
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? false,
    credentials: { ...opts.credentials },
    // Checksums only where S3 requires them: the default (a trailing CRC in aws-chunked bodies)
    // is not understood by many S3-compatible servers, which would store the framing as content.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
    // A store that stops answering fails the request instead of holding the upload open.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  };
  const client = new S3Client({ ...config, maxAttempts: 3 });
  // Uploads stream from the spooled file, which a retry could not read again: one attempt, and
  // the uploader's own retry sends the same content to the same key.
  const writer = new S3Client({ ...config, maxAttempts: 1 });
  const keyOf = (id: string) => {
    if (!SHA256_HEX.test(id)) throw new Error(`not an attachment id: ${id}`);
    return `${prefix}${id.slice(0, 2)}/${id}`;
  };
  const Bucket = opts.bucket;
  const partSize = Math.max(S3_PART_BYTES, opts.partSize ?? S3_PART_BYTES);
  const has = async (id: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(id) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };
  return {
    kind: 's3',
    tempDir: opts.tempDir,
    async save(tempFile, id, size) {
      try {
        if (await has(id)) return { created: false };
        const body = verified(id, size);
        // A read error of the spooled file fails the body, and with it the upload.
        pipeline(createReadStream(tempFile), body).catch(() => undefined);
        const params = { Bucket, Key: keyOf(id), Body: body, ContentType: 'application/octet-stream' };
        if (size <= partSize) {
          // One request, streamed from the file with its length (most photos): nothing buffered.
          await writer.send(new PutObjectCommand({ ...params, ContentLength: size }));
        } else {
          // Parts of `partSize`: the uploader holds the part it fills and the one it sends.
          await new Upload({
            client: writer,
            params,
            partSize,
            queueSize: 1,
            leavePartsOnError: false,
          }).done();
        }
        return { created: true };
      } finally {
        await unlink(tempFile).catch(() => undefined);
      }
    },
    async open(id) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(id) }));
        const body = got.Body;
        if (body instanceof Readable) return body;
        if (body === undefined) return null;
        return Readable.fromWeb(
          (body as { transformToWebStream(): ReadableStream }).transformToWebStream() as never,
        );
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    has,
    async remove(id) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(id) }));
    },
    async *list() {
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          const rest = o.Key?.slice(prefix.length) ?? '';
          const id = rest.slice(3);
          if (SHA256_HEX.test(id) && rest === `${id.slice(0, 2)}/${id}`) yield id;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    /** Whether the bucket lets these credentials list the prefix; throws what it says otherwise. */
    async ping() {
      await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 1 }));
    },
  };
}

/**
 * Passes the bytes through and fails the stream when they are more than `size` or hash to another
 * id. The last chunk is held back until the hash is checked, so a request of `size` bytes is
 * never completed with the wrong content.
 */
function verified(id: string, size: number): Transform {
  const hash = createHash('sha256');
  let seen = 0;
  let last: Buffer | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > size) {
        done(new Error(`spooled upload grew past ${size} bytes`));
        return;
      }
      hash.update(chunk);
      const previous = last;
      last = chunk;
      done(null, previous);
    },
    flush(done) {
      if (seen !== size || hash.digest('hex') !== id)
        done(new Error('spooled upload changed before it was stored'));
      else done(null, last);
    },
  });
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
