import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { OperationRegistry } from '../logic/types.ts';
import type { Database } from '../store/schema.ts';
import type { EffectRegistry } from '../workflow/effects.ts';
import { type CatalogOptions, emptyCatalog, loadWorkflowCatalog } from './catalog.ts';
import { WorkflowService, type WorkflowServiceOptions } from './service.ts';
import { startTimerRunner } from './timers.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Workflows in the store: actions, tasks, history, `runDueTimers(now)`. */
    workflows: WorkflowService;
  }
}

/** How `buildApp` runs workflows. */
export interface WorkflowServerOptions extends CatalogOptions, WorkflowServiceOptions {
  /** How often the timer runner looks for due timers; `false` for none (tests call `runDueTimers`). Default 60 s. */
  readonly timerIntervalMs?: number | false;
}

/** Loads the workflows (start-up errors throw) and returns the service; no options → no workflows. */
export async function createWorkflowService(
  db: Kysely<Database>,
  opts: WorkflowServerOptions | undefined,
): Promise<WorkflowService> {
  if (!opts) return new WorkflowService(db, emptyCatalog());
  return new WorkflowService(db, await loadWorkflowCatalog(db, opts), opts);
}

/** Exposes the service as `app.workflows` and runs its timers while the app is up. */
export function attachWorkflows(
  app: FastifyInstance,
  svc: WorkflowService,
  opts: WorkflowServerOptions | undefined,
): void {
  app.decorate('workflows', svc);
  const interval = opts?.timerIntervalMs ?? 60_000;
  if (!opts || interval === false || svc.catalog.all().length === 0) return;
  let runner: { stop(): Promise<void> } | undefined;
  app.addHook('onReady', async () => {
    runner = startTimerRunner(() => svc.runDueTimers(), {
      intervalMs: interval,
      onError: (err) => app.log.error({ err }, 'workflow timers failed'),
    });
  });
  app.addHook('onClose', async () => {
    await runner?.stop();
  });
}

/**
 * What `nuanxin serve` passes to `buildApp`: the workflows of `dir` (when the folder exists) with
 * the loaded plugins' effects and operations. Without plugins, a workflow naming an effect
 * (such as `rules.evaluate`) stops the start with that name.
 */
export function workflowFolderOptions(
  plugins: { readonly effects: EffectRegistry; readonly operations: OperationRegistry } | undefined,
  dir = 'workflows',
): WorkflowServerOptions | undefined {
  if (!existsSync(dir)) return undefined;
  return plugins ? { dir, effects: plugins.effects, operations: plugins.operations } : { dir };
}
