import type { Generated, Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/** A workflow definition as first loaded: instances pinned to its version keep using it. */
export interface WorkflowDefinitionTable {
  id: string;
  version: number;
  definition: string;
  loaded_at: string;
}

/** One workflow instance per submission. `version` is the compare-and-set counter of every move. */
export interface WorkflowInstanceTable {
  id: string;
  submission_id: string;
  workflow_id: string;
  workflow_version: number;
  state: string;
  /** Username of the person who started the case (the only one who may withdraw it). */
  submitter_id: string;
  org_code: string;
  org_path: string;
  entered_at: string;
  /** JSON array of countersign approvals given in the current state. */
  approvals: string;
  version: number;
  deadline_at: string | null;
  timer_due_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One line per transition (or countersign approval): who, when, from, to, what was filled and produced. */
export interface WorkflowHistoryTable {
  id: Generated<number>;
  instance_id: string;
  submission_id: string;
  action: string;
  from_state: string;
  to_state: string;
  /** Null when a timer fired. */
  actor_id: string | null;
  at: string;
  comment: string | null;
  /** JSON object of the values the actor filled in. */
  input: string;
  /** JSON array `[{ name, output }]` of what each effect produced. */
  effects: string;
}

// A type alias (not an interface) so that it fits `withTables`' record constraint.
export type WorkflowTables = {
  workflow_definitions: WorkflowDefinitionTable;
  workflow_instances: WorkflowInstanceTable;
  workflow_history: WorkflowHistoryTable;
};

export type WorkflowDatabase = Database & WorkflowTables;

/** The store's Kysely instance seen with the workflow tables as well (same connection, no copy). */
export const withWorkflowTables = (db: Kysely<Database>): Kysely<WorkflowDatabase> =>
  db.withTables<WorkflowTables>();

/** Back to the store's own view (for helpers typed on `Database`, such as `writeAudit`). */
export const asStore = (db: Kysely<WorkflowDatabase>): Kysely<Database> => db as unknown as Kysely<Database>;
