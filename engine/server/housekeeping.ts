import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import {
  HOUSEKEEPING_INTERVAL_MS,
  type HousekeepingOptions,
  runHousekeeping,
} from '../store/housekeeping.ts';
import type { Database } from '../store/schema.ts';
import { startTimerRunner } from '../workflow-store/timers.ts';

/** Runs the housekeeping while the app is up: at start, then every interval (one process per interval). */
export function attachHousekeeping(
  app: FastifyInstance,
  db: Kysely<Database>,
  opts: HousekeepingOptions = {},
  removeStale?: (now: Date) => Promise<number>,
): void {
  const interval = opts.intervalMs ?? HOUSEKEEPING_INTERVAL_MS;
  if (interval === false) return;
  const now = opts.now ?? (() => new Date());
  let runner: { stop(): Promise<void> } | undefined;
  app.addHook('onReady', async () => {
    runner = startTimerRunner(
      async () => {
        const r = await runHousekeeping(db, {
          now: now(),
          intervalMs: interval,
          idempotencyRetentionMs: opts.idempotencyRetentionMs,
          removeStale,
        });
        if (r.idempotencyKeys + r.authTokens + (r.attachments ?? 0) > 0)
          app.log.info(r, 'housekeeping: old rows deleted');
      },
      { intervalMs: interval, onError: (err) => app.log.error({ err }, 'housekeeping failed') },
    );
  });
  app.addHook('onClose', async () => {
    await runner?.stop();
  });
}
