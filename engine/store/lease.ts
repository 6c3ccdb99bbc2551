import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** This process, as a lease holder: host, pid and a random part (pids repeat across restarts). */
export const LEASE_HOLDER = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/**
 * Claims the lease `name` until `until` when it is free (never taken, or its time is over) and
 * says whether it did. One statement, atomic on both dialects: an insert that, on a taken name,
 * updates only an expired row. On PostgreSQL two claimants of the same name serialise on the row
 * and the second sees the first's new `until`, so exactly one wins; SQLite runs writes one at a time.
 * A holder that dies keeps its lease until `until`: choose it as long as the work may take.
 */
export async function takeLease(
  db: Kysely<Database>,
  args: { name: string; now: string; until: string; holder?: string },
): Promise<boolean> {
  const holder = args.holder ?? LEASE_HOLDER;
  const r = await db
    .insertInto('nx_leases')
    .values({ name: args.name, holder, until: args.until })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ holder, until: args.until }).where('nx_leases.until', '<=', args.now),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Gives the lease back early (only when `holder` still holds it), so the next claimant need not wait. */
export async function releaseLease(
  db: Kysely<Database>,
  args: { name: string; now: string; holder?: string },
): Promise<void> {
  await db
    .updateTable('nx_leases')
    .set({ until: args.now })
    .where('name', '=', args.name)
    .where('holder', '=', args.holder ?? LEASE_HOLDER)
    .execute();
}

/**
 * Extends a lease `holder` still holds (its time not yet over) to `until`; false when it was lost
 * (expired, and perhaps taken by another process): the holder must stop its work then.
 */
export async function renewLease(
  db: Kysely<Database>,
  args: { name: string; now: string; until: string; holder?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('nx_leases')
    .set({ until: args.until })
    .where('name', '=', args.name)
    .where('holder', '=', args.holder ?? LEASE_HOLDER)
    .where('until', '>', args.now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether someone holds the lease `name` at `now`. */
export async function leaseHeld(db: Kysely<Database>, name: string, now: string): Promise<boolean> {
  const row = await db.selectFrom('nx_leases').select('until').where('name', '=', name).executeTakeFirst();
  return row !== undefined && row.until > now;
}
