import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type S3StoreOptions, s3Store } from '../../../engine/attachments/s3-store.ts';

// The SDK warns once that its releases after January 2027 need Node 22 (the engine runs on 20.6+);
// the SDK's documented switch keeps the warning out of the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface S3rverInstance {
  httpServer: import('node:http').Server;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (opts: Record<string, unknown>) => S3rverInstance;

/** s3rver's own credentials (it checks signatures with them). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  readonly endpoint: string;
  /** Where s3rver keeps its buckets (to see what is left behind). */
  readonly directory: string;
  /** Every request the server received, as `METHOD /path?query` (in this process only). */
  readonly requests: string[];
  /** A store on `bucket` (created at start), spooling into a temp folder of its own. */
  store(over?: Partial<S3StoreOptions>): ReturnType<typeof s3Store>;
  close(): Promise<void>;
}

/**
 * An S3-compatible server on 127.0.0.1 and a free port, kept in a temp folder: in this process
 * (its requests are logged), or in a child process when memory of this one is measured.
 */
export async function startLocalS3(
  buckets: readonly string[] = ['nuanxin-test'],
  opts: { childProcess?: boolean } = {},
): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'nx-s3rver-'));
  const spool = mkdtempSync(join(tmpdir(), 'nx-s3-spool-'));
  const options = {
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  };
  const requests: string[] = [];
  let stop: () => Promise<void>;
  let port: number;
  if (opts.childProcess) {
    const main = createRequire(import.meta.url).resolve('s3rver');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const S3rver = require(${JSON.stringify(main)});
         new S3rver(${JSON.stringify(options)}).run().then((a) => console.log(a.port));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    });
    stop = async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    };
  } else {
    const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
    const server = new S3rver(options);
    port = (await server.run()).port;
    server.httpServer.on('request', (req: import('node:http').IncomingMessage) => {
      requests.push(`${req.method} ${req.url}`);
    });
    stop = () => server.close();
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    directory,
    requests,
    store: (over = {}) =>
      s3Store({
        endpoint,
        region: 'us-east-1',
        bucket: buckets[0] ?? 'nuanxin-test',
        forcePathStyle: true,
        credentials: S3RVER_CREDENTIALS,
        tempDir: spool,
        ...over,
      }),
    async close() {
      await stop();
      rmSync(directory, { recursive: true, force: true });
      rmSync(spool, { recursive: true, force: true });
    },
  };
}
