import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAttachmentStore } from '../../../engine/attachments/store-config.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';

// The SDK's documented switch for its once-only note that later releases need Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
const CREDS = { NUANXIN_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', NUANXIN_S3_SECRET_ACCESS_KEY: SECRET };

function refusal(fn: () => unknown): NxError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NxError);
    return err as NxError;
  }
  throw new Error('expected a refusal');
}

describe('attachment store configuration', () => {
  it('is a local folder by default: beside a SQLite file, ./data/attachments with PostgreSQL, or the folder named', () => {
    const sqlite = resolveAttachmentStore({ databaseUrl: '/srv/nx/nuanxin.db', env: {} });
    expect(sqlite.description).toEqual({ kind: 'local', where: join('/srv/nx', 'attachments') });
    expect(sqlite.store.kind).toBe('local');
    const pg = resolveAttachmentStore({ databaseUrl: 'postgres://db/nx', env: {} });
    expect(pg.description.where).toBe('./data/attachments');
    const named = resolveAttachmentStore({
      databaseUrl: 'postgres://db/nx',
      config: { dir: '/mnt/shared' },
      env: {},
    });
    expect(named.dir).toBe('/mnt/shared');
    const env = resolveAttachmentStore({
      databaseUrl: 'postgres://db/nx',
      config: { dir: '/mnt/shared' },
      env: { NUANXIN_ATTACHMENTS_DIR: '/mnt/env' },
    });
    expect(env.dir).toBe('/mnt/env');
  });

  it('is an S3 bucket from the file, credentials from the environment, the environment winning field by field', () => {
    const r = resolveAttachmentStore({
      databaseUrl: 'postgres://db/nx',
      config: {
        store: 's3',
        s3: {
          endpoint: 'https://s3.example.cn',
          bucket: 'nuanxin-files',
          prefix: 'prod/',
          forcePathStyle: true,
        },
      },
      env: { ...CREDS, NUANXIN_S3_BUCKET: 'nuanxin-other' },
    });
    expect(r.store.kind).toBe('s3');
    expect(r.description).toEqual({ kind: 's3', where: 's3://nuanxin-other/prod/ at https://s3.example.cn' });
    expect(JSON.stringify(r.description)).not.toContain(SECRET);
    const fromEnv = resolveAttachmentStore({
      databaseUrl: 'x.db',
      env: { ...CREDS, NUANXIN_ATTACHMENTS_STORE: 's3', NUANXIN_S3_BUCKET: 'abc', AWS_REGION: 'cn-north-1' },
    });
    expect(fromEnv.description.where).toBe('s3://abc/ at AWS cn-north-1');
  });

  it('lists every problem at once with a stable code and where it is: bucket, credentials, endpoint, prefix', () => {
    const err = refusal(() =>
      resolveAttachmentStore({
        databaseUrl: 'x.db',
        config: { store: 's3', s3: { endpoint: 'https://s3.example.cn' } },
        env: { NUANXIN_S3_PREFIX: '/abs', NUANXIN_S3_FORCE_PATH_STYLE: 'yes' },
      }),
    );
    expect(err.code).toBe('NX_ERR_ATTACHMENT_STORE_CONFIG');
    expect(err.errors?.map((e) => e.path)).toEqual([
      '/attachments/s3/bucket',
      'env:NUANXIN_S3_PREFIX',
      'env:NUANXIN_S3_FORCE_PATH_STYLE',
      'env:NUANXIN_S3_ACCESS_KEY_ID',
    ]);
    expect(
      err.errors?.every(
        (e) => e.code === 'NX_ERR_ATTACHMENT_STORE_CONFIG' && e.message['zh-CN'] && e.message.en,
      ),
    ).toBe(true);
    const shortBucket = refusal(() =>
      resolveAttachmentStore({
        databaseUrl: 'x.db',
        env: { ...CREDS, NUANXIN_ATTACHMENTS_STORE: 's3', NUANXIN_S3_BUCKET: 'ab' },
      }),
    );
    expect(shortBucket.errors?.map((e) => e.path)).toEqual(['env:NUANXIN_S3_BUCKET']);
    const userInUrl = refusal(() =>
      resolveAttachmentStore({
        databaseUrl: 'x.db',
        env: {
          ...CREDS,
          NUANXIN_ATTACHMENTS_STORE: 's3',
          NUANXIN_S3_BUCKET: 'abc',
          NUANXIN_S3_ENDPOINT: `https://u:${SECRET}@h`,
        },
      }),
    );
    expect(userInUrl.errors?.map((e) => e.path)).toEqual(['env:NUANXIN_S3_ENDPOINT']);
    expect(JSON.stringify(userInUrl.errors) + userInUrl.message).not.toContain(SECRET);
    const kind = refusal(() =>
      resolveAttachmentStore({ databaseUrl: 'x.db', env: { NUANXIN_ATTACHMENTS_STORE: 'ftp' } }),
    );
    expect(kind.errors?.[0]?.path).toBe('env:NUANXIN_ATTACHMENTS_STORE');
    const typo = refusal(() =>
      resolveAttachmentStore({ databaseUrl: 'x.db', config: { stor: 's3' }, env: {} }),
    );
    expect(typo.errors?.[0]?.path).toBe('/attachments/stor');
  });

  it('refuses credentials written in the file, naming the key and never its value', () => {
    const err = refusal(() =>
      resolveAttachmentStore({
        databaseUrl: 'x.db',
        config: {
          store: 's3',
          s3: { bucket: 'nuanxin-files', secretAccessKey: SECRET, accessKeyId: 'AKIAEXAMPLE' },
        },
        env: CREDS,
      }),
    );
    expect(err.code).toBe('NX_ERR_ATTACHMENT_STORE_CONFIG');
    expect(err.errors?.map((e) => e.path).sort()).toEqual([
      '/attachments/s3/accessKeyId',
      '/attachments/s3/secretAccessKey',
    ]);
    expect(JSON.stringify(err.errors) + err.message).not.toContain(SECRET);
  });

  it('a store that does not answer says why on ping, without the secret', async () => {
    const r = resolveAttachmentStore({
      databaseUrl: 'x.db',
      env: {
        ...CREDS,
        NUANXIN_ATTACHMENTS_STORE: 's3',
        NUANXIN_S3_BUCKET: 'abc',
        // A port nothing listens on.
        NUANXIN_S3_ENDPOINT: 'http://127.0.0.1:9',
        NUANXIN_S3_FORCE_PATH_STYLE: '1',
      },
    });
    const err = await r.ping().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/ECONNREFUSED/);
    expect(err?.message).not.toContain(SECRET);
  });
});
