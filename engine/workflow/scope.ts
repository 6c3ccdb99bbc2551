import type { InstanceSnapshot, WorkflowActor } from './types.ts';
import { type Actor, ORG_LEVELS, type OrgLevel } from './workflow-schema.ts';

/** Position of a level in the case's org path: province 0 … village 4. */
export const levelIndex = (level: OrgLevel): number => ORG_LEVELS.indexOf(level);

/**
 * Whether the case lies in the actor's subtree: the actor's unit is on the path from the
 * province down to the case's unit. Outside it, the case does not exist for the actor (404).
 */
export function inCaseSubtree(instance: InstanceSnapshot, actor: WorkflowActor): boolean {
  return instance.caseOrgPath.includes(actor.orgCode);
}

/**
 * Whether the actor fills one `by` entry: holds the role, and sits at that level exactly on the
 * case's path (a county reviewer of another county, or a city reviewer, does not qualify).
 */
export function fillsActor(entry: Actor, instance: InstanceSnapshot, actor: WorkflowActor): boolean {
  return (
    actor.roles.includes(entry.role) &&
    actor.orgLevel === entry.level &&
    instance.caseOrgPath[levelIndex(entry.level)] === actor.orgCode
  );
}
