import type { Kysely } from 'kysely';
import { type CaseState, caseStates, type Database } from '../../engine/entry/server.ts';

export type { CaseState };

/**
 * The workflow state of each of `ids` that is in one of `states` and entered it by `asOf`
 * (end of that day, China time): the cases an approved list holds for the period.
 */
export async function caseStatesAsOf(
  db: Kysely<Database>,
  ids: readonly string[],
  workflowId: string,
  states: readonly string[],
  asOf: string,
): Promise<Map<string, CaseState>> {
  if (ids.length === 0) return new Map();
  const all = await caseStates(db, { submissionIds: ids, workflowId, states });
  const end = Date.parse(`${asOf}T23:59:59.999+08:00`);
  for (const [id, c] of all) if (Date.parse(c.enteredAt) > end) all.delete(id);
  return all;
}
