import { type Kysely, sql } from 'kysely';
import { createTables } from '../declare-tables.ts';
import { dialectOf } from '../dialect.ts';
import TABLES from './003_workflow.tables.json' with { type: 'json' };

/**
 * Workflow tables: the definitions as they were first loaded (so a case stays on the version it
 * started with), one instance per submission, and the history of every transition. Task lists
 * read one workflow's cases in a few states; the timer runner reads due timers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTables(db, TABLES);
  if (dialectOf(db) === 'postgres') {
    await sql`create index workflow_instances_org_path on workflow_instances (org_path text_pattern_ops)`.execute(
      db,
    );
  } else {
    await db.schema
      .createIndex('workflow_instances_org_path')
      .on('workflow_instances')
      .column('org_path')
      .execute();
  }
}
