import type { Kysely } from 'kysely';
import { type Database, hasTable } from '../../engine/entry/server.ts';

/**
 * A list over a register (`source.register`): of the surveys read, only each record's current
 * one is kept (the survey of its latest applied version), and only for records in the listed
 * statuses — so a family surveyed twice, or merged into another record, is listed once. The
 * register's table is `register_<id>`; a database without it (the registers plugin off, or a
 * database built before it) lists every survey as before.
 */

const CHUNK = 500;

export async function currentSubmissions(
  db: Kysely<Database>,
  register: { readonly id: string; readonly statuses?: readonly string[] | undefined },
  submissionIds: readonly string[],
): Promise<Set<string> | undefined> {
  if (!/^[a-z][a-z0-9_]{0,23}$/.test(register.id)) return undefined;
  const table = `register_${register.id}`;
  if (!(await hasTable(db, table))) return undefined;
  const statuses = register.statuses ?? ['active'];
  const out = new Set<string>();
  const rdb = db.withTables<Record<string, { current_submission: string | null; status: string }>>();
  for (let i = 0; i < submissionIds.length; i += CHUNK) {
    const rows = await rdb
      .selectFrom(table)
      .select('current_submission')
      .where('current_submission', 'in', submissionIds.slice(i, i + CHUNK))
      .where('status', 'in', statuses)
      .execute();
    for (const r of rows) if (r.current_submission) out.add(r.current_submission);
  }
  return out;
}
