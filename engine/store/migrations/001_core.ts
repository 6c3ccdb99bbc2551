import { type Kysely, sql } from 'kysely';
import { createTables } from '../declare-tables.ts';
import { dialectOf } from '../dialect.ts';
import TABLES from './001_core.tables.json' with { type: 'json' };

/**
 * The core tables: org units, users and their grants, tokens, forms and overlays,
 * submissions, idempotency keys and the audit log. Lists read one form newest-first or
 * oldest-first with keyset pagination on (created_at, id): `submissions_form_created`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTables(db, TABLES);
  // text_pattern_ops lets PostgreSQL use the index for `LIKE '/510000/%'` under any collation.
  if (dialectOf(db) === 'postgres') {
    await sql`create index org_units_path_prefix on org_units (path text_pattern_ops)`.execute(db);
    await sql`create index submissions_org_path on submissions (org_path text_pattern_ops)`.execute(db);
  } else {
    await db.schema.createIndex('submissions_org_path').on('submissions').column('org_path').execute();
  }
}
