import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { loadDemo } from '../../demo/load-demo.ts';
import {
  buildApp,
  type Database,
  ENGINE_VERSION,
  loadPluginsFromFile,
  openDatabase,
} from '../../engine/index.ts';
import { pluginAppOptions } from '../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface E2eServer {
  url: string;
  app: FastifyInstance;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The shipped configuration (web plugin included) on a fresh SQLite file with the demo loaded. */
export async function startServer(): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-e2e-'));
  const db = await openDatabase(join(dir, 'e2e.db'));
  const demo = await loadDemo(db);
  if (demo.problems.length) throw new Error(demo.problems.join('\n'));
  const loaded = await loadPluginsFromFile(join(ROOT, 'nuanxin.config.json'), {
    engineVersion: ENGINE_VERSION,
    builtins: builtinPlugins,
  });
  const app = await buildApp({ db, ...pluginAppOptions(loaded) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    async close() {
      await app.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
