import { constants, existsSync, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { attachmentError } from '../errors/codes-attachment.ts';
import type { ErrorDetail } from '../errors/nx-error.ts';
import { parseDatabaseUrl } from '../store/database.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { localFolderStore } from './local-folder-store.ts';
import { s3Store } from './s3-store.ts';

/** S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
const BUCKET = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';

/** `attachments.s3` of `nuanxin.config.json`: where the bucket is. Credentials never go here. */
export const S3Config = Type.Object(
  {
    endpoint: Type.Optional(
      Type.String({
        pattern: '^https?://[^/?#@\\s]+(/[^?#@\\s]*)?$',
        description:
          'https://s3.example.com (MinIO, Ceph RGW, a cloud’s object storage); omit for AWS itself',
      }),
    ),
    region: Type.Optional(Type.String({ minLength: 1, description: 'Region (default us-east-1)' })),
    bucket: Type.Optional(Type.String({ pattern: BUCKET, description: 'Bucket name (3–63 characters)' })),
    prefix: Type.Optional(
      Type.String({
        pattern: '^([^/\\s][^\\s]*/)?$',
        description: 'Key prefix ending in /, e.g. nuanxin/attachments/',
      }),
    ),
    forcePathStyle: Type.Optional(
      Type.Boolean({
        description: 'endpoint/bucket/key instead of bucket.endpoint/key (MinIO and most self-hosted stores)',
      }),
    ),
    tempDir: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Local folder where uploads are spooled before they are sent',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `attachments` of `nuanxin.config.json`: which store keeps attachment contents. */
export const AttachmentsConfig = Type.Object(
  {
    store: Type.Optional(
      Type.Union([Type.Literal('local'), Type.Literal('s3')], {
        description: 'local (a folder, the default) or s3 (an S3-compatible bucket, for several servers)',
      }),
    ),
    dir: Type.Optional(
      Type.String({ minLength: 1, description: 'The local folder (default: beside the SQLite file)' }),
    ),
    s3: Type.Optional(S3Config),
  },
  { additionalProperties: false, description: 'Where attachment contents are kept (docs/attachments.md)' },
);
export type AttachmentsConfig = Static<typeof AttachmentsConfig>;

/** What a deployment's store is, for `doctor`, `backup` and the logs: never a credential. */
export interface StoreDescription {
  readonly kind: 'local' | 's3';
  /** The folder, or `s3://bucket/prefix at endpoint`. */
  readonly where: string;
}

export interface ResolvedStore {
  readonly store: AttachmentStore;
  readonly description: StoreDescription;
  /** The local folder of a local store (backups copy it). */
  readonly dir?: string;
  /** Checks that the store answers (an S3 list of the prefix; the folder for a local store). */
  ping(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const fault = (path: string, zh: string, en: string): ErrorDetail => ({
  path,
  code: 'NX_ERR_ATTACHMENT_STORE_CONFIG',
  message: L(zh, en),
});

/** Keys that look like credentials: refused in the file, named but never echoed. */
const SECRET_KEYS = /^(access_?key(_?id)?|secret(_?access)?(_?key)?|session_?token|credentials|password)$/i;

/**
 * The attachment store of a deployment, from `attachments` of `nuanxin.config.json` and the
 * environment (which wins field by field): a local folder by default — `NUANXIN_ATTACHMENTS_DIR`,
 * `attachments.dir`, else `attachments/` beside a SQLite file, else `./data/attachments` — or an
 * S3-compatible bucket (`NUANXIN_ATTACHMENTS_STORE=s3` or `"store": "s3"`), whose credentials come
 * from `NUANXIN_S3_ACCESS_KEY_ID` / `NUANXIN_S3_SECRET_ACCESS_KEY` (or `AWS_ACCESS_KEY_ID` /
 * `AWS_SECRET_ACCESS_KEY`) only. Every problem is listed in one NX_ERR_ATTACHMENT_STORE_CONFIG,
 * without the value of any secret. The server, `backup`, `restore` and `doctor` all come here.
 */
export function resolveAttachmentStore(args: {
  readonly databaseUrl: string;
  readonly config?: unknown;
  readonly env?: Env;
}): ResolvedStore {
  const env = args.env ?? process.env;
  const faults: ErrorDetail[] = [];
  const raw = args.config ?? {};
  let config: AttachmentsConfig = {};
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const s3 = (raw as { s3?: unknown }).s3;
    if (s3 !== null && typeof s3 === 'object')
      for (const key of Object.keys(s3))
        if (SECRET_KEYS.test(key))
          faults.push(
            fault(
              `/attachments/s3/${key}`,
              '密钥不能写在配置文件里：请删除它，改用环境变量 NUANXIN_S3_ACCESS_KEY_ID 和 NUANXIN_S3_SECRET_ACCESS_KEY',
              'Credentials do not belong in the config file: remove this key and set NUANXIN_S3_ACCESS_KEY_ID and NUANXIN_S3_SECRET_ACCESS_KEY in the environment',
            ),
          );
  }
  if (faults.length === 0) {
    if (Value.Check(AttachmentsConfig, raw)) config = raw;
    else
      for (const e of Value.Errors(AttachmentsConfig, raw))
        faults.push(
          fault(`/attachments${e.path}`, `配置值无效：${e.message}`, `Invalid value: ${e.message}`),
        );
  }
  const storeKind = env.NUANXIN_ATTACHMENTS_STORE || config.store || 'local';
  if (storeKind !== 'local' && storeKind !== 's3')
    faults.push(
      fault(
        'env:NUANXIN_ATTACHMENTS_STORE',
        `未知的附件存储“${storeKind}”，应为 local 或 s3`,
        `Unknown attachment store "${storeKind}"; use local or s3`,
      ),
    );
  if (faults.length > 0) throw attachmentError('NX_ERR_ATTACHMENT_STORE_CONFIG', faults);

  if (storeKind === 'local') {
    const dir = env.NUANXIN_ATTACHMENTS_DIR || config.dir || defaultDirFor(args.databaseUrl);
    return {
      store: localFolderStore(dir),
      dir,
      description: { kind: 'local', where: dir },
      // The folder is made at the first upload; if it is there, the server must be able to write in it.
      ping: () => access(dir, constants.W_OK),
    };
  }

  const s3 = config.s3 ?? {};
  const pick = (name: string, fromFile: string | undefined) => env[name] || fromFile;
  const endpoint = pick('NUANXIN_S3_ENDPOINT', s3.endpoint);
  const region = pick('NUANXIN_S3_REGION', s3.region) || env.AWS_REGION || 'us-east-1';
  const bucket = pick('NUANXIN_S3_BUCKET', s3.bucket);
  const prefix = pick('NUANXIN_S3_PREFIX', s3.prefix) ?? '';
  const pathStyleEnv = env.NUANXIN_S3_FORCE_PATH_STYLE;
  const accessKeyId = env.NUANXIN_S3_ACCESS_KEY_ID || env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.NUANXIN_S3_SECRET_ACCESS_KEY || env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.NUANXIN_S3_SESSION_TOKEN || env.AWS_SESSION_TOKEN;
  if (!bucket)
    faults.push(
      fault(
        '/attachments/s3/bucket',
        '使用 S3 存储时必须指定存储桶：attachments.s3.bucket 或 NUANXIN_S3_BUCKET',
        'An S3 store needs a bucket: attachments.s3.bucket or NUANXIN_S3_BUCKET',
      ),
    );
  else if (!new RegExp(BUCKET).test(bucket))
    faults.push(
      fault(
        env.NUANXIN_S3_BUCKET ? 'env:NUANXIN_S3_BUCKET' : '/attachments/s3/bucket',
        '存储桶名称须为 3–63 个小写字母、数字、点或连字符，首尾为字母或数字',
        'A bucket name is 3–63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit',
      ),
    );
  if (endpoint && !/^https?:\/\/[^/?#@\s]+(\/[^?#@\s]*)?$/.test(endpoint))
    faults.push(
      fault(
        env.NUANXIN_S3_ENDPOINT ? 'env:NUANXIN_S3_ENDPOINT' : '/attachments/s3/endpoint',
        '端点应为 http(s)://主机[:端口]，不含用户名或密码',
        'The endpoint is http(s)://host[:port], without a user name or password in it',
      ),
    );
  if (prefix && !/^[^/\s]\S*\/$/.test(prefix))
    faults.push(
      fault(
        env.NUANXIN_S3_PREFIX ? 'env:NUANXIN_S3_PREFIX' : '/attachments/s3/prefix',
        '前缀应以 / 结尾且不以 / 开头，例如 nuanxin/attachments/',
        'A prefix ends in / and does not start with one, e.g. nuanxin/attachments/',
      ),
    );
  if (pathStyleEnv !== undefined && pathStyleEnv !== '' && !/^(true|false|1|0)$/.test(pathStyleEnv))
    faults.push(
      fault(
        'env:NUANXIN_S3_FORCE_PATH_STYLE',
        'NUANXIN_S3_FORCE_PATH_STYLE 应为 true、false、1 或 0',
        'NUANXIN_S3_FORCE_PATH_STYLE is true, false, 1 or 0',
      ),
    );
  if (!accessKeyId || !secretAccessKey)
    faults.push(
      fault(
        'env:NUANXIN_S3_ACCESS_KEY_ID',
        '缺少 S3 访问密钥：请在环境变量中设置 NUANXIN_S3_ACCESS_KEY_ID 和 NUANXIN_S3_SECRET_ACCESS_KEY（或 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY）',
        'No S3 credentials: set NUANXIN_S3_ACCESS_KEY_ID and NUANXIN_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) in the environment',
      ),
    );
  if (faults.length > 0 || !bucket || !accessKeyId || !secretAccessKey)
    throw attachmentError('NX_ERR_ATTACHMENT_STORE_CONFIG', faults);
  const forcePathStyle =
    pathStyleEnv !== undefined && pathStyleEnv !== ''
      ? /^(true|1)$/.test(pathStyleEnv)
      : (s3.forcePathStyle ?? false);
  const store = s3Store({
    ...(endpoint ? { endpoint } : {}),
    region,
    bucket,
    prefix,
    forcePathStyle,
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    tempDir: pick('NUANXIN_S3_TEMP_DIR', s3.tempDir) || join(tmpdir(), 'nuanxin-attachment-spool'),
  });
  const secrets = [secretAccessKey, sessionToken].filter((x): x is string => !!x);
  return {
    store,
    description: { kind: 's3', where: `s3://${bucket}/${prefix} at ${endpoint ?? `AWS ${region}`}` },
    async ping() {
      try {
        await store.ping();
      } catch (err) {
        throw new Error(redacted(err, secrets));
      }
    },
  };
}

/** What went wrong, by the store's error name and message, with any secret blanked out. */
export function redacted(err: unknown, secrets: readonly string[]): string {
  const e = err as { name?: string; message?: string; code?: string };
  let text = `${e?.name ?? 'Error'}${e?.code && e.code !== e.name ? ` ${e.code}` : ''}: ${e?.message ?? String(err)}`;
  for (const s of secrets) text = text.split(s).join('[redacted]');
  return text;
}

/** The `attachments` section of a config file (`--config`, else `./nuanxin.config.json` when present). */
export function attachmentsConfigOf(configFile?: string): unknown {
  const path = configFile ?? (existsSync('nuanxin.config.json') ? 'nuanxin.config.json' : undefined);
  if (!path || !existsSync(path)) return undefined;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { attachments?: unknown }).attachments;
  } catch {
    return undefined; // the plugin loader reports a file that is not JSON, with its position
  }
}

/** The attachment store of a deployment with its config file (see `resolveAttachmentStore`). */
export function attachmentStoreFor(databaseUrl: string, configFile?: string): AttachmentStore {
  return resolveAttachmentStore({ databaseUrl, config: attachmentsConfigOf(configFile) }).store;
}

/**
 * The local folder of a deployment's attachments: `NUANXIN_ATTACHMENTS_DIR` when set, else the
 * folder `attachments/` beside a SQLite database file, else `./data/attachments` (PostgreSQL).
 */
export function attachmentsDirFor(databaseUrl: string): string {
  const fromEnv = process.env.NUANXIN_ATTACHMENTS_DIR;
  if (fromEnv) return fromEnv;
  return defaultDirFor(databaseUrl);
}

function defaultDirFor(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.file !== ':memory:')
    return join(dirname(target.file), 'attachments');
  return './data/attachments';
}
