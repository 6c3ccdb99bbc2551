import type { Kysely } from 'kysely';
import type { Database } from '../../engine/index.ts';
import { text } from '../../engine/index.ts';
import { reportError } from './errors.ts';

/** The columns of `workflow_instances` a report reads (the table belongs to the workflow store). */
interface WorkflowInstanceRow {
  submission_id: string;
  workflow_id: string;
  state: string;
  entered_at: string;
}

export interface CaseState {
  readonly workflowId: string;
  readonly state: string;
  readonly enteredAt: string;
}

const known = new WeakMap<object, Set<string>>();

/** Whether a table exists (asked once per database handle). */
export async function hasTable(db: Kysely<Database>, name: string): Promise<boolean> {
  let tables = known.get(db);
  if (!tables) {
    tables = new Set((await db.introspection.getTables()).map((t) => t.name));
    known.set(db, tables);
  }
  if (tables.has(name)) return true;
  // Created since we looked (migrations of another area ran later): look again.
  const again = new Set((await db.introspection.getTables()).map((t) => t.name));
  known.set(db, again);
  return again.has(name);
}

/**
 * The workflow state of each of `ids` that is in one of `states` and entered it by `asOf`
 * (end of that day): the cases a payment list pays for the period.
 */
export async function caseStates(
  db: Kysely<Database>,
  ids: readonly string[],
  workflowId: string,
  states: readonly string[],
  asOf: string,
): Promise<Map<string, CaseState>> {
  if (!(await hasTable(db, 'workflow_instances'))) {
    throw reportError(
      'NX_ERR_REPORT_SOURCE_UNAVAILABLE',
      text('工作流数据表（workflow_instances）尚未建立', 'The workflow_instances table does not exist yet'),
    );
  }
  const out = new Map<string, CaseState>();
  if (ids.length === 0) return out;
  const wdb = db.withTables<{ workflow_instances: WorkflowInstanceRow }>();
  const rows = await wdb
    .selectFrom('workflow_instances')
    .select(['submission_id', 'workflow_id', 'state', 'entered_at'])
    .where('submission_id', 'in', [...ids])
    .where('workflow_id', '=', workflowId)
    .where('state', 'in', [...states])
    .execute();
  const end = `${asOf}T23:59:59.999+08:00`;
  for (const r of rows) {
    if (Date.parse(r.entered_at) > Date.parse(end)) continue;
    out.set(r.submission_id, { workflowId: r.workflow_id, state: r.state, enteredAt: r.entered_at });
  }
  return out;
}
