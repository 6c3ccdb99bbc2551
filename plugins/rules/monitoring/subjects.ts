import type { Kysely } from 'kysely';
import { type Database, hasTable, submissionPages } from '../../../engine/entry/server.ts';

/**
 * The families monitoring re-decides: the live surveys of the ruleset's form in a subtree, read
 * through the engine's keyset pages and, where the register's table exists, only the current
 * survey of each active record (a family surveyed twice is decided once, on its latest survey).
 */

/** A family monitoring re-decides: its current survey, where it lives, and its data (which names it). */
export interface MonitoredSubject {
  readonly id: string;
  readonly orgCode: string;
  readonly orgPath: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface SubjectQuery {
  readonly formId: string;
  readonly orgPath: string;
  /** Only the current survey of each active record of this register (when its table exists). */
  readonly register?: string | undefined;
}

const REGISTER_ID = /^[a-z][a-z0-9_]{0,23}$/;
const CHUNK = 500;

/** The register's table when it exists (the registers plugin may be off). */
async function registerTable(
  db: Kysely<Database>,
  register: string | undefined,
): Promise<string | undefined> {
  if (!register || !REGISTER_ID.test(register)) return undefined;
  const table = `register_${register}`;
  return (await hasTable(db, table)) ? table : undefined;
}

/** Of `ids`, those that are the current survey of an active record. */
async function currentOf(db: Kysely<Database>, table: string, ids: readonly string[]): Promise<Set<string>> {
  const rdb = db.withTables<Record<string, { current_submission: string | null; status: string }>>();
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await rdb
      .selectFrom(table)
      .select('current_submission')
      .where('current_submission', 'in', ids.slice(i, i + CHUNK))
      .where('status', '=', 'active')
      .execute();
    for (const r of rows) if (r.current_submission) out.add(r.current_submission);
  }
  return out;
}

/** Where a job stands: after this row in org-tree order (JSON `[orgPath, id]`). */
const parseCursor = (c: string | null) => {
  if (c === null) return undefined;
  const [orgPath, id] = JSON.parse(c) as [string, string];
  return { orgPath, id };
};

/**
 * The next page after `cursor`: the families to decide and the cursor after it (`next` null
 * when nothing is left). Surveys that are not a record's current one advance the cursor too.
 */
export async function subjectsPage(
  db: Kysely<Database>,
  q: SubjectQuery & { readonly cursor: string | null; readonly limit: number },
): Promise<{ subjects: MonitoredSubject[]; next: string | null }> {
  const table = await registerTable(db, q.register);
  for await (const page of submissionPages(db, {
    formId: q.formId,
    orgPath: q.orgPath,
    pageSize: q.limit,
    after: parseCursor(q.cursor),
  })) {
    const keep = table
      ? await currentOf(
          db,
          table,
          page.map((s) => s.id),
        )
      : undefined;
    const last = page[page.length - 1];
    return {
      subjects: page
        .filter((s) => !keep || keep.has(s.id))
        .map((s) => ({ id: s.id, orgCode: s.orgCode, orgPath: s.orgPath, data: s.data })),
      next: last ? JSON.stringify([last.orgPath, last.id]) : null,
    };
  }
  return { subjects: [], next: null };
}

/** How many families a job over the subtree re-decides (the short columns only are read). */
export async function countSubjects(db: Kysely<Database>, q: SubjectQuery): Promise<number> {
  const table = await registerTable(db, q.register);
  let n = 0;
  for await (const page of submissionPages(db, {
    formId: q.formId,
    orgPath: q.orgPath,
    pageSize: 5000,
    withData: () => false,
  })) {
    n += table
      ? (
          await currentOf(
            db,
            table,
            page.map((s) => s.id),
          )
        ).size
      : page.length;
  }
  return n;
}
