import type { Kysely } from 'kysely';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';
import { findPeriod, type ReportStatus, reportStatus } from '../workflow/report-status.ts';
import type { ReportPeriod, WorkflowDefinition } from '../workflow/workflow-schema.ts';
import { wfError } from './errors.ts';
import { periodOf } from './instance.ts';
import { withWorkflowTables } from './tables.ts';

/** One city's standing for a reporting period. */
export interface CityReportStatus {
  readonly orgCode: string;
  readonly name: string;
  readonly status: ReportStatus;
  /** When the report was first handed in (its first `submit`), or null. */
  readonly submittedAt: string | null;
  readonly submissionId: string | null;
  /** The report's workflow state, or null when there is none. */
  readonly state: string | null;
}

export interface StatisticsReportStatus {
  readonly period: ReportPeriod;
  readonly cities: readonly CityReportStatus[];
}

/**
 * Per city under `orgCode` (a province, or one city): was the period's statistics report handed
 * in on time, late, or is it missing (pending before the due date)? The periods and their due
 * dates come from the stored `statistics-report` workflow (its initial state's deadline).
 *
 * @example await statisticsReportStatus(db, { period: '2021-06-03', orgCode: '510000' })
 */
export async function statisticsReportStatus(
  store: Kysely<Database>,
  args: { period: string; orgCode: string; now?: string; workflowId?: string },
): Promise<StatisticsReportStatus> {
  const db = withWorkflowTables(store);
  const workflowId = args.workflowId ?? 'statistics-report';
  const stored = await db
    .selectFrom('workflow_definitions')
    .select('definition')
    .where('id', '=', workflowId)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!stored) throw wfError('NX_ERR_WF_NO_INSTANCE');
  const def = JSON.parse(stored.definition) as WorkflowDefinition;
  const periods = def.states[def.initial]?.deadline?.periods ?? [];
  const period = findPeriod(periods, args.period);
  if (!period) throw wfError('NX_ERR_WF_UNKNOWN_STATE');

  const root = await db
    .selectFrom('org_units')
    .selectAll()
    .where('code', '=', args.orgCode)
    .executeTakeFirst();
  if (!root) return { period, cities: [] };
  const cities = await db
    .selectFrom('org_units')
    .select(['code', 'name', 'path'])
    .where('level', '=', 'city')
    .where('path', 'like', `${root.path}%`)
    .orderBy('code')
    .execute();
  const rows = await db
    .selectFrom('workflow_instances as wi')
    .innerJoin('submissions as s', 's.id', 'wi.submission_id')
    .select(['wi.id as instanceId', 'wi.state', 's.id as submissionId', 's.org_code', 's.period', 's.data'])
    .where('wi.workflow_id', '=', workflowId)
    .where('s.deleted_at', 'is', null)
    .where('wi.org_path', 'like', `${root.path}%`)
    .execute();
  const ofPeriod = rows.filter((r) => {
    const key = periodOf({ period: r.period, data: r.data });
    return key !== undefined && findPeriod(periods, key) === period;
  });
  const firstSubmit = new Map<string, string>();
  if (ofPeriod.length > 0) {
    const subs = await db
      .selectFrom('workflow_history')
      .select(['submission_id', 'at'])
      .where(
        'submission_id',
        'in',
        ofPeriod.map((r) => r.submissionId),
      )
      .where('from_state', '=', def.initial)
      .whereRef('to_state', '!=', 'from_state')
      .orderBy('id')
      .execute();
    for (const h of subs) if (!firstSubmit.has(h.submission_id)) firstSubmit.set(h.submission_id, h.at);
  }
  const now = args.now ?? nowIso();
  return {
    period,
    cities: cities.map((c) => {
      const reports = ofPeriod.filter((r) => r.org_code === c.code);
      // Several reports of one period (a second one filed by mistake): the earliest hand-in counts.
      const handed = reports
        .filter((r) => firstSubmit.has(r.submissionId))
        .sort((a, b) => firstSubmit.get(a.submissionId)!.localeCompare(firstSubmit.get(b.submissionId)!));
      const best = handed[0] ?? reports[0];
      const submittedAt = best ? (firstSubmit.get(best.submissionId) ?? null) : null;
      return {
        orgCode: c.code,
        name: c.name,
        status: reportStatus(period, submittedAt, now),
        submittedAt,
        submissionId: best?.submissionId ?? null,
        state: best?.state ?? null,
      };
    }),
  };
}
