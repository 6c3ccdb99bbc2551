import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Workflow tables: the definitions as they were first loaded (so a case stays on the version it
 * started with), one instance per submission, and the history of every transition.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';

  await db.schema
    .createTable('workflow_definitions')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workflow_definitions_pk', ['id', 'version'])
    .execute();

  await db.schema
    .createTable('workflow_instances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().unique().references('submissions.id'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('workflow_version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('submitter_id', 'text', (c) => c.notNull())
    .addColumn('org_code', 'text', (c) => c.notNull())
    .addColumn('org_path', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('approvals', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deadline_at', 'text')
    .addColumn('timer_due_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Task lists read one workflow's cases in a few states; the timer runner reads due timers.
  await db.schema
    .createIndex('workflow_instances_state')
    .on('workflow_instances')
    .columns(['workflow_id', 'state'])
    .execute();
  await db.schema
    .createIndex('workflow_instances_timer')
    .on('workflow_instances')
    .column('timer_due_at')
    .execute();
  if (pg) {
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

  await db.schema
    .createTable('workflow_history')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('instance_id', 'text', (c) => c.notNull().references('workflow_instances.id'))
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('effects', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workflow_history_submission')
    .on('workflow_history')
    .columns(['submission_id', 'id'])
    .execute();
}
