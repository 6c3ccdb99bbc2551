import type { ExpressionBuilder, Kysely } from 'kysely';
import {
  type Database,
  getOrgUnit,
  releaseLease,
  renewLease,
  takeLease,
  writeTransaction,
} from '../../../engine/entry/server.ts';
import { rulesError } from '../errors.ts';
import { loadParameterRecords, type ParameterRecord, seriesIdOf } from '../parameters.ts';
import { createRulesService, type RulesService } from '../service.ts';
import { createDbParameterSource } from '../store/db-parameters.ts';
import { decideAsOf } from '../store/decide-as-of.ts';
import { decisionInForce, saveDecision } from '../store/decisions.ts';
import { sortableId } from '../store/ids.ts';
import { rulesDb } from '../store/tables.ts';
import { addChange, changeKinds, labelOf, summaryOf } from './changes.ts';
import { ELIGIBILITY_RULESET, openOverdueRevisits } from './revisits.ts';
import { countSubjects, subjectsPage } from './subjects.ts';
import { compareResurveys } from './surveys.ts';
import { type MonitoringJobTable, type MonitoringTables, monitoringDb } from './tables.ts';

/**
 * Monitoring jobs: a standard stored (set, superseded or withdrawn — every `rule_parameters` row
 * after monitoring was installed) queues one job per ruleset that reads it, over the subtree of
 * the unit it was set for. A job re-decides that subtree's families in batches through the one
 * decision path (`decideAsOf` → `saveDecision`): each batch's decisions, change items and the
 * job's cursor commit in one transaction, so a job stopped anywhere resumes after its last batch
 * and never decides a family twice. A ruleset's jobs are worked through, oldest first, by one
 * process at a time across all of them (the lease `monitoring:<ruleset>`, renewed per batch); a
 * batch whose cursor moved under it (a lease lost and taken over) rolls back.
 */

/** The decision "in force from now on": the one with the greatest date, whatever it is. */
const LATEST = '9999-12-31';

export interface MonitoringOptions {
  /** Only each active record's current survey of this register is re-decided (default `households`). */
  readonly register?: string;
  /** Families per batch (default 200). */
  readonly batchSize?: number;
  /** How long a claim lasts without renewal (default 5 minutes). */
  readonly leaseMs?: number;
  readonly now?: () => Date;
  /** Stop after this many batches in this run (the job stays `running` and resumes later). */
  readonly maxBatches?: number;
  readonly onProgress?: (p: JobProgress) => void;
  /** How often overdue re-visits are swept into items (default once a day; 0: every run). */
  readonly revisitsEveryMs?: number;
}

export interface JobProgress {
  readonly id: string;
  readonly rulesetId: string;
  readonly orgCode: string;
  readonly asOf: string;
  readonly status: string;
  readonly total: number | null;
  readonly done: number;
  readonly changes: number;
  readonly cause: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export const progressOf = (j: MonitoringJobTable): JobProgress => ({
  id: j.id,
  rulesetId: j.ruleset_id,
  orgCode: j.org_code,
  asOf: j.as_of,
  status: j.status,
  total: j.total === null ? null : Number(j.total),
  done: Number(j.done),
  changes: Number(j.changes),
  cause: JSON.parse(j.cause) as Record<string, unknown>,
  createdAt: j.created_at,
  finishedAt: j.finished_at,
  error: j.error,
});

/** Rulesets that decide families of a form and read the parameter `name`. */
function rulesetsReading(service: RulesService, name: string): string[] {
  return service.ids().filter((id) => {
    const c = service.get(id);
    return c?.ruleset.form !== undefined && c.parameterNames.includes(name);
  });
}

/** Queues a job per standard stored since monitoring was installed and not queued yet; returns the new jobs. */
export async function enqueueStandardChanges(
  db: Kysely<Database>,
  service: RulesService,
  now: Date = new Date(),
): Promise<JobProgress[]> {
  const mdb = monitoringDb(db);
  const since = await mdb
    .selectFrom('monitoring_state')
    .select('value')
    .where('name', '=', 'standards-since')
    .executeTakeFirst();
  const rows = await rulesDb(db)
    .selectFrom('rule_parameters')
    .selectAll()
    .where('created_at', '>=', since?.value ?? '')
    .where(
      'id',
      'not in',
      mdb.selectFrom('monitoring_jobs').select('cause_id').where('cause_type', '=', 'standard'),
    )
    .orderBy('id')
    .execute();
  const out: JobProgress[] = [];
  for (const row of rows) {
    const unit = await getOrgUnit(db, row.org_code);
    if (!unit) continue;
    const withdrawn = Number(row.withdrawn) === 1;
    const cause = {
      type: 'standard',
      parameter: row.name,
      series: seriesIdOf({ name: row.name, orgCode: row.org_code, area: row.area }),
      parameterId: row.id,
      validFrom: row.valid_from,
      ...(withdrawn ? { withdrawn: true } : { value: Number(row.value) }),
      ...(row.note ? { note: row.note } : {}),
    };
    for (const rulesetId of rulesetsReading(service, row.name)) {
      const job: MonitoringJobTable = {
        id: sortableId('mon'),
        ruleset_id: rulesetId,
        cause_type: 'standard',
        cause_id: row.id,
        cause: JSON.stringify(cause),
        org_code: unit.code,
        org_path: unit.path,
        as_of: row.valid_from,
        status: 'pending',
        total: null,
        done: 0,
        changes: 0,
        cursor: null,
        created_at: now.toISOString(),
        created_by: row.created_by,
        started_at: null,
        finished_at: null,
        error: null,
      };
      const r = await mdb
        .insertInto('monitoring_jobs')
        .values(job)
        .onConflict((oc) => oc.columns(['cause_type', 'cause_id', 'ruleset_id']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) out.push(progressOf(job));
    }
  }
  return out;
}

class LostClaim extends Error {}

/** A rules service over the standards as stored now, read once (not once per family). */
async function snapshotService(db: Kysely<Database>, service: RulesService, rulesetId: string) {
  const compiled = service.get(rulesetId);
  if (!compiled)
    throw rulesError('NX_ERR_RULES_NOT_FOUND', {
      'zh-CN': `找不到规则集“${rulesetId}”`,
      en: `Ruleset "${rulesetId}" not found`,
    });
  const records: ParameterRecord[] = await loadParameterRecords(
    createDbParameterSource(db),
    compiled.parameterNames,
  );
  return createRulesService({
    rulesets: [compiled],
    source: { list: (name) => records.filter((r) => r.name === name) },
  });
}

/** One batch: decide, store what changed, move the cursor — all or nothing. Returns the families decided. */
async function runBatch(
  db: Kysely<Database>,
  service: RulesService,
  job: MonitoringJobTable,
  opts: MonitoringOptions,
  now: string,
): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const { subjects: page, next } = await subjectsPage(trx, {
      formId: service.get(job.ruleset_id)?.ruleset.form ?? 'household-survey',
      orgPath: job.org_path,
      register: opts.register ?? 'households',
      cursor: job.cursor,
      limit: opts.batchSize ?? 200,
    });
    if (next === null) return 0;
    const snapshot = await snapshotService(trx, service, job.ruleset_id);
    const cause = JSON.parse(job.cause) as Record<string, unknown>;
    let changes = 0;
    for (const s of page) {
      const prev = await decisionInForce(trx, { rulesetId: job.ruleset_id, subjectId: s.id, asOf: LATEST });
      const asOf = prev && prev.asOf > job.as_of ? prev.asOf : job.as_of;
      const r = await decideAsOf(trx, snapshot, {
        rulesetId: job.ruleset_id,
        submissionId: s.id,
        asOf,
        notBeforeFacts: true,
      });
      if (r.status !== 'decided') continue;
      const d = r.decision;
      const same =
        prev !== undefined &&
        prev.asOf === d.asOf &&
        JSON.stringify(prev.outputs) === JSON.stringify(d.outputs) &&
        JSON.stringify(prev.parameters) === JSON.stringify(d.parameters);
      if (same) continue;
      const stored = await saveDecision(trx, {
        submissionId: s.id,
        decision: d,
        subject: r.subject,
        createdBy: job.created_by,
      });
      const before = summaryOf(prev?.outputs);
      const after = summaryOf(d.outputs);
      const kinds = changeKinds(before, after);
      if (kinds.length === 0) continue;
      const added = await addChange(
        trx,
        {
          sourceKey: `${job.id}:${s.id}`,
          jobId: job.id,
          rulesetId: job.ruleset_id,
          submissionId: s.id,
          orgCode: s.orgCode,
          orgPath: s.orgPath,
          kinds,
          before,
          after,
          cause: { ...cause, decidedAsOf: d.asOf },
          decisionId: stored.id,
          label: labelOf(s.data),
        },
        now,
      );
      if (added) changes++;
    }
    const last = next;
    let upd = monitoringDb(trx)
      .updateTable('monitoring_jobs')
      .set({
        cursor: last,
        done: Number(job.done) + page.length,
        changes: Number(job.changes) + changes,
      })
      .where('id', '=', job.id);
    upd = job.cursor === null ? upd.where('cursor', 'is', null) : upd.where('cursor', '=', job.cursor);
    const moved = await upd.executeTakeFirst();
    // Another process took the job over (this one's claim ran out): its batch wins, this one rolls back.
    if (Number(moved.numUpdatedRows) !== 1) throw new LostClaim();
    job.cursor = last;
    job.done = Number(job.done) + page.length;
    job.changes = Number(job.changes) + changes;
    // A page of only superseded surveys decides nobody but still moves on.
    return Math.max(page.length, 1);
  });
}

/** Runs a job under its ruleset's claim to its end, or until `maxBatches` or the claim is lost. */
async function runJob(
  db: Kysely<Database>,
  service: RulesService,
  job: MonitoringJobTable,
  opts: MonitoringOptions,
  lease: string,
): Promise<void> {
  const clock = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const mdb = monitoringDb(db);
  if (job.status === 'pending') {
    const total = await countSubjects(db, {
      formId: service.get(job.ruleset_id)?.ruleset.form ?? 'household-survey',
      orgPath: job.org_path,
      register: opts.register ?? 'households',
    });
    job.status = 'running';
    job.total = total;
    job.started_at = clock().toISOString();
    await mdb
      .updateTable('monitoring_jobs')
      .set({ status: 'running', total, started_at: job.started_at })
      .where('id', '=', job.id)
      .execute();
  }
  let batches = 0;
  for (;;) {
    if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return;
    const now = clock();
    let n: number;
    try {
      n = await runBatch(db, service, job, opts, now.toISOString());
    } catch (err) {
      if (err instanceof LostClaim) return;
      throw err;
    }
    batches++;
    if (n === 0) {
      job.status = 'done';
      job.finished_at = now.toISOString();
      await mdb
        .updateTable('monitoring_jobs')
        .set({ status: 'done', finished_at: job.finished_at })
        .where('id', '=', job.id)
        .execute();
      opts.onProgress?.(progressOf(job));
      return;
    }
    opts.onProgress?.(progressOf(job));
    const t = clock();
    const kept = await renewLease(db, {
      name: lease,
      now: t.toISOString(),
      until: new Date(t.getTime() + leaseMs).toISOString(),
    });
    if (!kept) return;
  }
}

export interface MonitoringRun {
  /** Jobs queued by this run (standards stored since the last one). */
  readonly queued: readonly JobProgress[];
  /** Jobs this process worked on, as they stand after it. */
  readonly ran: readonly JobProgress[];
  /** Jobs of rulesets another process was working through (not touched here). */
  readonly skipped: number;
  /** Items added for re-surveys that changed a family's decision. */
  readonly resurveys: number;
  /** Items added for families overdue for a re-survey (swept once a day). */
  readonly revisits: number;
}

/**
 * Queues the standards stored since the last run, then works through every job not yet done
 * that no other process holds. Safe to call from any number of processes at once.
 */
export async function runMonitoring(
  db: Kysely<Database>,
  service: RulesService,
  opts: MonitoringOptions = {},
): Promise<MonitoringRun> {
  const clock = opts.now ?? (() => new Date());
  const queued = await enqueueStandardChanges(db, service, clock());
  const open = () =>
    monitoringDb(db)
      .selectFrom('monitoring_jobs')
      .selectAll()
      .where('status', 'in', ['pending', 'running'])
      .orderBy('id');
  const rulesets = [...new Set((await open().execute()).map((j) => j.ruleset_id))];
  const ran: JobProgress[] = [];
  let skipped = 0;
  // One process at a time works through a ruleset's jobs, oldest first: two jobs over the same
  // families never decide them at once, and a later standard is applied after an earlier one.
  for (const rulesetId of rulesets) {
    const lease = `monitoring:${rulesetId}`;
    const t = clock();
    const claimed = await takeLease(db, {
      name: lease,
      now: t.toISOString(),
      until: new Date(t.getTime() + (opts.leaseMs ?? 5 * 60_000)).toISOString(),
    });
    if (!claimed) {
      skipped += (await open().where('ruleset_id', '=', rulesetId).execute()).length;
      continue;
    }
    try {
      // Read again under the claim: another process may have finished some meanwhile.
      for (const job of await open().where('ruleset_id', '=', rulesetId).execute()) {
        try {
          await runJob(db, service, job, opts, lease);
        } catch (err) {
          job.error = err instanceof Error ? err.message : String(err);
          await monitoringDb(db)
            .updateTable('monitoring_jobs')
            .set({ error: job.error })
            .where('id', '=', job.id)
            .execute();
          ran.push(progressOf(job));
          throw err;
        }
        ran.push(progressOf(job));
        // Stopped early (--max-batches, or the claim was lost): the later jobs wait for it.
        if (job.status !== 'done') break;
      }
    } finally {
      await releaseLease(db, { name: lease, now: clock().toISOString() });
    }
  }
  const register = opts.register ?? 'households';
  const resurveys = await compareResurveys(db, { register, rulesetId: ELIGIBILITY_RULESET, now: clock() });
  const revisits = await openOverdueRevisits(db, service, {
    register,
    now: clock(),
    ...(opts.revisitsEveryMs !== undefined ? { everyMs: opts.revisitsEveryMs } : {}),
  });
  return { queued, ran, skipped, resurveys, revisits };
}

/** The paths of a unit and its ancestors (`/51/5119/` → `/51/`, `/51/5119/`). */
function pathsUpTo(orgPath: string): string[] {
  const parts = orgPath.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

/** Jobs a unit sees: over its subtree, or over a unit above it (a provincial standard re-decides its families too). */
const visible =
  (orgPath: string) => (eb: ExpressionBuilder<Database & MonitoringTables, 'monitoring_jobs'>) =>
    eb.or([eb('org_path', 'like', `${orgPath}%`), eb('org_path', 'in', pathsUpTo(orgPath))]);

/** Jobs newest first (over the unit's subtree or above it), with their progress. */
export async function listJobs(
  db: Kysely<Database>,
  q: { readonly orgPath: string; readonly limit?: number },
): Promise<JobProgress[]> {
  const rows = await monitoringDb(db)
    .selectFrom('monitoring_jobs')
    .selectAll()
    .where(visible(q.orgPath))
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(q.limit ?? 50, 1), 500))
    .execute();
  return rows.map(progressOf);
}

export async function getJob(db: Kysely<Database>, id: string, orgPath: string): Promise<JobProgress> {
  const row = await monitoringDb(db)
    .selectFrom('monitoring_jobs')
    .selectAll()
    .where('id', '=', id)
    .where(visible(orgPath))
    .executeTakeFirst();
  if (!row)
    throw rulesError('NX_ERR_RULES_JOB_NOT_FOUND', {
      'zh-CN': `找不到监测任务 ${id}`,
      en: `Monitoring job ${id} not found`,
    });
  return progressOf(row);
}
