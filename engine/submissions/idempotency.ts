import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { httpError } from '../errors/domain-errors.ts';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';

/** A plain object's own keys in code-point order, so `{a,b}` and `{b,a}` serialise alike; arrays keep their order. */
const sortKeys = (_key: string, value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = (value as Record<string, unknown>)[k];
  return out;
};

/**
 * SHA-256 of the canonical JSON of a request (object keys sorted at every depth): the same body
 * with its keys in another order is the same request, so its Idempotency-Key replays instead of
 * being refused as reused.
 */
export const requestHash = (parts: unknown): string =>
  createHash('sha256').update(JSON.stringify(parts, sortKeys)).digest('hex');

/** The stored response for (user, key), if any; a key reused for another request is refused. */
export async function storedResponse(
  db: Kysely<Database>,
  userId: string,
  key: string,
  hash: string,
): Promise<{ statusCode: number; body: unknown } | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hash) throw httpError('NX_ERR_IDEMPOTENCY_KEY_REUSED');
  return { statusCode: row.status_code, body: JSON.parse(row.response) as unknown };
}

/**
 * Records the response inside the transaction of the write. The primary key (user, key) makes a
 * concurrent duplicate fail here, which rolls its whole write back.
 */
export async function recordResponse(
  trx: Kysely<Database>,
  args: { userId: string; key: string; hash: string; statusCode: number; body: unknown },
): Promise<void> {
  await trx
    .insertInto('idempotency_keys')
    .values({
      user_id: args.userId,
      key: args.key,
      request_hash: args.hash,
      status_code: args.statusCode,
      response: JSON.stringify(args.body),
      created_at: nowIso(),
    })
    .execute();
}
