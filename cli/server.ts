import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { DemoStepError, demoClock } from '../demo/casework.ts';
import { loadDemoCasework } from '../demo/load-casework.ts';
import { isEmpty, loadDemo } from '../demo/load-demo.ts';
import { attachmentStoreFor } from '../engine/attachments/store-config.ts';
import { NxError } from '../engine/errors/nx-error.ts';
import type { LoadedPlugins } from '../engine/plugin/load-plugins.ts';
import { runPluginSeeds } from '../engine/plugin/migrate-plugins.ts';
import { buildApp } from '../engine/server/app.ts';
import { pluginAppOptions } from '../engine/server/plugin-bridge.ts';
import { describeDatabase, resolveDatabaseUrl } from '../engine/store/database.ts';
import { leaseHeld, releaseLease, takeLease } from '../engine/store/lease.ts';
import type { Database } from '../engine/store/schema.ts';
import { withStartupLock } from '../engine/store/startup-lock.ts';
import { assertWritable, notWritable } from '../engine/store/writable.ts';
import { writeFailureOf } from '../engine/store/write-failure.ts';
import { type WorkflowServerOptions, workflowFolderOptions } from '../engine/workflow-store/server.ts';
import { configuredPlugins, openWithPlugins } from './plugins.ts';

export interface ServerSetup {
  /** Database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db). */
  db?: string;
  /** Plugin configuration (default: ./nuanxin.config.json when present). */
  config?: string;
  logger?: boolean | Exclude<FastifyServerOptions['logger'], undefined>;
  /** SQLite `synchronous` level (default `NUANXIN_SQLITE_SYNCHRONOUS`, else FULL). */
  synchronous?: string;
  /** Runs after migrations, before the app is built (demo data, seeds). */
  before?: (db: Kysely<Database>, plugins: LoadedPlugins | undefined) => Promise<void>;
}

/**
 * The one way a server is put together — by `nuanxin serve`, `nuanxin start` and the end-to-end
 * tests alike: a database that takes writes (else `NX_ERR_STORE_NOT_WRITABLE`), configured
 * plugins, their tables migrated with the core ones, the workflows of `workflows/` with the
 * plugins' effects, and the plugins' routes, pages and hooks.
 */
export async function createServer(
  setup: ServerSetup = {},
): Promise<{ app: FastifyInstance; db: Kysely<Database>; plugins: LoadedPlugins | undefined }> {
  // Plugins first: their tables are migrated with the core ones, before `before` seeds anything.
  const plugins = await configuredPlugins(setup.config);
  const url = resolveDatabaseUrl(setup.db);
  // Before the database: a misconfigured store stops the start with every problem listed.
  const attachmentStore = attachmentStoreFor(url, setup.config);
  // Servers started at once on one database get it ready one after the other (tables, demo).
  const locked = <T>(fn: () => Promise<T>) =>
    withStartupLock(url, fn).catch((err: unknown) => {
      throw writeFailureOf(err) && !(err instanceof NxError) ? notWritable(describeDatabase(url), err) : err;
    });
  return locked(async () => {
    const db = await openWithPlugins(setup.db, plugins, { synchronous: setup.synchronous });
    try {
      // A server that cannot write would take logins and forms, then fail every submission.
      await assertWritable(db, describeDatabase(url));
      if (setup.before) await setup.before(db, plugins);
      const app = await buildApp({
        db,
        logger: setup.logger,
        ...(plugins ? pluginAppOptions(plugins) : {}),
        workflows: workflowFolderOptions(plugins),
        attachments: { store: attachmentStore },
      });
      await app.ready(); // the plugins' start-up work (their own tables) under the lock too
      return { app, db, plugins };
    } catch (err) {
      await db.destroy();
      throw err;
    }
  });
}

/** `full`: divisions, users, forms and the demo village's casework; `basic`: without the casework. */
export type DemoLevel = 'full' | 'basic';

/**
 * The demo's casework (surveys, cases, benefits, a paid month) through an app of its own whose
 * clock starts some weeks ago and moves as the demo users act; closed before the real server is built.
 */
async function loadDemoCaseworkOn(db: Kysely<Database>, plugins: LoadedPlugins | undefined): Promise<void> {
  const today = new Date().toISOString();
  const clock = demoClock(today);
  const app = await buildApp({
    db,
    logger: false,
    clock,
    ...(plugins ? pluginAppOptions(plugins) : {}),
    // Timers fire when the demo moves its clock, not on an interval of their own.
    workflows: withoutTimerRunner(workflowFolderOptions(plugins)),
  });
  try {
    await app.ready();
    await loadDemoCasework(app, clock, today);
  } finally {
    await app.close();
  }
}

function withoutTimerRunner(o: WorkflowServerOptions | undefined): WorkflowServerOptions | undefined {
  return o ? { ...o, timerIntervalMs: false } : undefined;
}

/** How long a process may take to load the demo before another one may try (it gives the lease back when done). */
const DEMO_LEASE_MS = 2 * 60 * 1000;

/**
 * A `before` step that loads the demo (org units, users, forms) and the plugins' demo seeds when
 * the database is empty. Resolves to whether it loaded anything; problems go to `report`.
 *
 * Several servers may start at once on one empty database: the one that takes the `demo-seed`
 * lease loads the demo while the others wait for it, then find the database no longer empty.
 */
export async function loadDemoWhenEmpty(
  db: Kysely<Database>,
  plugins: LoadedPlugins | undefined,
  report: (problem: string) => void,
  opts: { pollMs?: number; demo?: DemoLevel } = {},
): Promise<boolean> {
  for (;;) {
    const now = new Date();
    // The usual restart: data there and nobody loading the demo. No write, no wait.
    if (!(await isEmpty(db)) && !(await leaseHeld(db, 'demo-seed', now.toISOString()))) return false;
    const until = new Date(now.getTime() + DEMO_LEASE_MS).toISOString();
    if (await takeLease(db, { name: 'demo-seed', now: now.toISOString(), until })) {
      try {
        if (!(await isEmpty(db))) return false;
        const r = await loadDemo(db);
        for (const p of r.problems) report(p);
        if (plugins) await runPluginSeeds(db, plugins);
        // A demo step the API refuses is reported, not fatal: the server still starts.
        if (opts.demo === 'basic') return true;
        await loadDemoCaseworkOn(db, plugins).catch((err: unknown) => {
          if (!(err instanceof DemoStepError)) throw err;
          report(err.message);
        });
        return true;
      } finally {
        await releaseLease(db, { name: 'demo-seed', now: new Date().toISOString() });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 200));
  }
}
