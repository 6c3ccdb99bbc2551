import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../engine/server/app.ts';
import { createDatabase } from '../../../engine/store/database.ts';
import { runHousekeeping } from '../../../engine/store/housekeeping.ts';
import { takeLease } from '../../../engine/store/lease.ts';
import type { Database } from '../../../engine/store/schema.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-03-10T08:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

async function seed(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('org_units')
    .values({ code: '510000', name: '四川省', parent_code: null, level: 'province', path: '/510000/' })
    .execute();
  await db
    .insertInto('users')
    .values({
      id: 'u1',
      username: 'worker',
      password_hash: 'x',
      display_name: null,
      org_code: '510000',
      created_at: ago(30 * DAY),
      disabled_at: null,
    })
    .execute();
  const key = (k: string, createdAt: string) => ({
    user_id: 'u1',
    key: k,
    request_hash: 'h',
    status_code: 201,
    response: '{}',
    created_at: createdAt,
  });
  await db
    .insertInto('idempotency_keys')
    .values([key('old', ago(8 * DAY)), key('edge', ago(7 * DAY - 60_000)), key('new', ago(DAY))])
    .execute();
  const token = (id: string, expiresAt: string, revokedAt: string | null) => ({
    id,
    user_id: 'u1',
    token_hash: `hash-${id}`,
    kind: 'session' as const,
    name: null,
    created_at: ago(20 * DAY),
    expires_at: expiresAt,
    revoked_at: revokedAt,
  });
  await db
    .insertInto('auth_tokens')
    .values([
      token('expired', ago(60_000), null),
      token('revoked', new Date(NOW.getTime() + DAY).toISOString(), ago(60_000)),
      token('live', new Date(NOW.getTime() + DAY).toISOString(), null),
    ])
    .execute();
}

const keysLeft = async (db: Kysely<Database>) =>
  (await db.selectFrom('idempotency_keys').select('key').orderBy('key').execute()).map((r) => r.key);
const tokensLeft = async (db: Kysely<Database>) =>
  (await db.selectFrom('auth_tokens').select('id').orderBy('id').execute()).map((r) => r.id);

describe.each(dialects())('housekeeping on $name', (dialect) => {
  let t: TestDatabase;
  let other: Kysely<Database>;
  beforeAll(async () => {
    t = await dialect.open();
    // A second server process on the same database.
    other = createDatabase(t.url);
  });
  afterAll(async () => {
    await other?.destroy();
    await t?.destroy();
  });

  it('deletes idempotency keys past 7 days and expired or revoked tokens, keeping the rest', async () => {
    await seed(t.db);
    const r = await runHousekeeping(t.db, { now: NOW });
    expect(r).toEqual({ claimed: true, idempotencyKeys: 1, authTokens: 2 });
    expect(await keysLeft(t.db)).toEqual(['edge', 'new']);
    expect(await tokensLeft(t.db)).toEqual(['live']);
  });

  it('runs once per interval across processes, whoever asks', async () => {
    const later = new Date(NOW.getTime() + 2 * 60 * 60 * 1000);
    const both = await Promise.all([
      runHousekeeping(t.db, { now: later }),
      runHousekeeping(other, { now: later }),
      runHousekeeping(other, { now: later }),
    ]);
    expect(both.filter((r) => r.claimed)).toHaveLength(1);
    // Within the hour nobody runs it again; after the hour the next one does.
    expect((await runHousekeeping(other, { now: new Date(later.getTime() + 30 * 60_000) })).claimed).toBe(
      false,
    );
    expect((await runHousekeeping(other, { now: new Date(later.getTime() + 60 * 60_000) })).claimed).toBe(
      true,
    );
  });

  it('a lease is taken by exactly one of many concurrent claimants', async () => {
    const now = NOW.toISOString();
    const until = new Date(NOW.getTime() + 60_000).toISOString();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        takeLease(i % 2 ? other : t.db, { name: 'race', now, until, holder: `p${i}` }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('the server runs it when it starts, on its clock', async () => {
    await t.db
      .insertInto('idempotency_keys')
      .values({
        user_id: 'u1',
        key: 'stale',
        request_hash: 'h',
        status_code: 201,
        response: '{}',
        created_at: ago(30 * DAY),
      })
      .execute();
    const clock = new Date(NOW.getTime() + 10 * 60 * 60 * 1000);
    const app = await buildApp({ db: t.db, housekeeping: { now: () => clock } });
    await app.ready();
    try {
      for (let i = 0; i < 100 && (await keysLeft(t.db)).includes('stale'); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await keysLeft(t.db)).not.toContain('stale');
    } finally {
      await app.close();
    }
  });
});
