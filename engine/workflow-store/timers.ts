import type { Kysely } from 'kysely';
import { dialectOf } from '../store/dialect.ts';
import { writeTransaction } from '../store/write-transaction.ts';
import { fireTimer } from '../workflow/timers.ts';
import { applyDecision } from './apply.ts';
import type { WorkflowCatalog } from './catalog.ts';
import { guardContext, periodOf, toSnapshot } from './instance.ts';
import type { WorkflowDatabase, WorkflowInstanceTable } from './tables.ts';

/** A timer that fired: the case, the transition and when it was due. */
export interface FiredTimer {
  readonly submissionId: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly dueAt: string;
}

interface TimerHost {
  readonly db: Kysely<WorkflowDatabase>;
  readonly catalog: WorkflowCatalog;
}

/**
 * Fires every timer due at `now`, each once, each in its own write transaction: claim the row,
 * decide with the pure engine, write with compare-and-set. Timers due long ago (the server was
 * down) fire now — late rather than never. A timer that cannot fire (its guard fails, an effect
 * throws) is skipped for this run and tried again on the next.
 */
export async function runDueTimers(host: TimerHost, now: string): Promise<FiredTimer[]> {
  const fired: FiredTimer[] = [];
  const skip: string[] = [];
  const pg = dialectOf(host.db) === 'postgres';
  for (;;) {
    let claimed: string | undefined;
    let outcome: FiredTimer | 'done' | 'skipped';
    try {
      outcome = await writeTransaction(host.db, async (trx) => {
        let q = trx
          .selectFrom('workflow_instances')
          .selectAll()
          .where('timer_due_at', 'is not', null)
          .where('timer_due_at', '<=', now)
          .orderBy('timer_due_at')
          .limit(1);
        if (skip.length > 0) q = q.where('id', 'not in', skip);
        if (pg) q = q.forUpdate().skipLocked();
        const row: WorkflowInstanceTable | undefined = await q.executeTakeFirst();
        if (!row) return 'done' as const;
        claimed = row.id;
        return fireOne(host, trx, row, now);
      });
    } catch (err) {
      // The failure rolled back this case's transaction only; it is tried again on the next run.
      if (claimed === undefined) throw err;
      skip.push(claimed);
      outcome = 'skipped';
    }
    if (outcome === 'done') break;
    if (outcome !== 'skipped') fired.push(outcome);
  }
  return fired;
}

async function fireOne(
  host: TimerHost,
  trx: Kysely<WorkflowDatabase>,
  row: WorkflowInstanceTable,
  now: string,
): Promise<FiredTimer> {
  const wf = host.catalog.get(row.workflow_id, row.workflow_version);
  const sub = await trx
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', row.submission_id)
    .executeTakeFirst();
  if (!wf || !sub) throw new Error(`timer of ${row.submission_id}: workflow or submission missing`);
  const data = JSON.parse(sub.data) as Record<string, unknown>;
  const decision = fireTimer(wf, {
    instance: toSnapshot(row, periodOf(sub, data)),
    now,
    data,
    ctx: guardContext(now),
  });
  if (!decision.ok) throw new Error(`timer of ${row.submission_id}: ${decision.code}`);
  await applyDecision(trx, {
    wf,
    effects: host.catalog.effects,
    row,
    submission: sub,
    data,
    decision,
    actor: undefined,
    now,
  });
  return {
    submissionId: row.submission_id,
    action: decision.record.action,
    from: decision.from,
    to: decision.to,
    dueAt: row.timer_due_at ?? now,
  };
}

/** Runs due timers every `intervalMs` until stopped; errors go to `onError` and the next tick tries again. */
export function startTimerRunner(
  run: () => Promise<unknown>,
  opts: { intervalMs: number; onError?: (err: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return; // a slow run is not overlapped by the next tick
    running = run()
      .catch((err) => opts.onError?.(err))
      .finally(() => {
        running = null;
      });
  };
  const handle = setInterval(tick, opts.intervalMs);
  handle.unref();
  tick(); // after a restart, overdue timers fire at once rather than one interval later
  return {
    async stop() {
      clearInterval(handle);
      await running;
    },
  };
}
