import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { isServiceAccount } from '../auth/roles.ts';
import { notFound } from '../errors/domain-errors.ts';
import { ancestorCodes } from '../org/org-units.ts';
import type { SubmissionTable } from '../store/schema.ts';
import type { CompiledWorkflow } from '../workflow/compile-workflow.ts';
import { deadlineOf, timerDueAt } from '../workflow/timers.ts';
import type { Approval, InstanceSnapshot, WorkflowActor } from '../workflow/types.ts';
import { ORG_LEVELS, type OrgLevel } from '../workflow/workflow-schema.ts';
import type { WorkflowDatabase, WorkflowInstanceTable } from './tables.ts';

/** The reporting period of a case: the submission's `period`, else a `periodDue` field in its data. */
export function periodOf(sub: Pick<SubmissionTable, 'period' | 'data'>, data?: Record<string, unknown>) {
  if (sub.period) return sub.period;
  const d = data ?? (JSON.parse(sub.data) as Record<string, unknown>);
  return typeof d.periodDue === 'string' && d.periodDue !== '' ? d.periodDue : undefined;
}

/** What the pure engine needs of a stored instance. */
export function toSnapshot(row: WorkflowInstanceTable, period: string | undefined): InstanceSnapshot {
  return {
    state: row.state,
    submitterId: row.submitter_id,
    submitterOrg: row.org_code,
    caseOrgPath: ancestorCodes(row.org_path),
    approvals: JSON.parse(row.approvals) as Approval[],
    enteredAt: row.entered_at,
    ...(period === undefined ? {} : { period }),
  };
}

/** The clocks of a snapshot, as stored for the task list and the timer runner. */
export function clocksOf(wf: CompiledWorkflow, s: InstanceSnapshot) {
  return { deadline_at: deadlineOf(wf, s), timer_due_at: timerDueAt(wf, s) };
}

const isLevel = (s: string): s is OrgLevel => (ORG_LEVELS as readonly string[]).includes(s);

/** The caller as a workflow actor: username, roles, org unit and the unit's level in the tree. */
export async function actorOf(db: Kysely<WorkflowDatabase>, p: Principal): Promise<WorkflowActor> {
  const unit = await db
    .selectFrom('org_units')
    .select('level')
    .where('code', '=', p.orgCode)
    .executeTakeFirst();
  if (!unit) throw notFound();
  return workflowActor(p, unit.level);
}

/** A principal whose unit's level is known as a workflow actor. */
export function workflowActor(p: Principal, level: string): WorkflowActor {
  if (!isLevel(level)) throw notFound();
  // A service account (integrations, tokens issued by an admin) fills no workflow role: a
  // transition is always taken by a person, under their own name.
  const roles = isServiceAccount(p.roles) ? [] : [...p.roles];
  return { id: p.username, roles, orgCode: p.orgCode, orgLevel: level };
}

/** China's calendar date of an instant (guards read `ctx.today`). */
export const chinaDate = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** The context guards see. */
export const guardContext = (now: string) => ({ today: chinaDate(now) });
