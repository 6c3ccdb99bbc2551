import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Reports and exports walk a form's submissions in (org_path, id) order with keyset paging; without
 * this index each page re-sorted its whole county (time grew with the square of its households).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`create index submissions_form_path_id on submissions (form_id, org_path text_pattern_ops, id)`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createIndex('submissions_form_path_id')
    .on('submissions')
    .columns(['form_id', 'org_path', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('submissions_form_path_id').execute();
}
