import type { Kysely } from 'kysely';
import { storeCodes } from '../errors/codes-store.ts';
import { NxError } from '../errors/nx-error.ts';
import type { Database } from './schema.ts';
import { writeFailureOf } from './write-failure.ts';

/** Thrown by the probe to roll its transaction back once the write went through. */
class ProbeDone extends Error {}

/** The error `nuanxin start` stops with when the database cannot take a write: what, where, why, how to fix. */
export function notWritable(where: string, err: unknown): NxError {
  const failure = writeFailureOf(err);
  const why = failure ? `${failure.driverCode}: ${failure.message}` : String((err as Error)?.message ?? err);
  const base = storeCodes.NX_ERR_STORE_NOT_WRITABLE.message;
  const e = new NxError('NX_ERR_STORE_NOT_WRITABLE', 503, {
    'zh-CN': `${where}：${base['zh-CN']}（${why}）`,
    en: `${where}: ${base.en} (${why})`,
  });
  e.cause = err;
  return e;
}

/**
 * Checks that the store takes a write: one row of Kysely's migration lock table is rewritten in
 * a transaction that is then rolled back, so nothing changes. A read-only SQLite file or folder,
 * a full disk or a read-only PostgreSQL (a standby, `default_transaction_read_only`) fails here
 * with `NX_ERR_STORE_NOT_WRITABLE` instead of failing the first user's submission.
 */
export async function assertWritable(db: Kysely<Database>, where: string): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const dyn = trx as unknown as Kysely<Record<string, { id: string; is_locked: number }>>;
      await dyn
        .updateTable('nx_migrations_lock')
        .set((eb) => ({ is_locked: eb.ref('is_locked') }))
        .execute();
      throw new ProbeDone();
    });
  } catch (err) {
    if (err instanceof ProbeDone) return;
    throw notWritable(where, err);
  }
}
