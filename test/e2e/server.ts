import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { createServer, loadDemoWhenEmpty } from '../../cli/server.ts';
import type { Database, LoadedPlugins } from '../../engine/entry/server.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface E2eServer {
  url: string;
  app: FastifyInstance;
  db: Kysely<Database>;
  /** The configured plugins, with the registries the server compiles forms with. */
  plugins: LoadedPlugins | undefined;
  close(): Promise<void>;
}

/**
 * The server as `nuanxin start` builds it (shipped configuration, workflows, demo) on a fresh
 * SQLite file; `config` names another plugin configuration.
 */
export async function startServer(opts: { config?: string } = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-e2e-'));
  const problems: string[] = [];
  const { app, db, plugins } = await createServer({
    db: join(dir, 'e2e.db'),
    config: opts.config ?? join(ROOT, 'nuanxin.config.json'),
    before: async (d, plugins) => {
      await loadDemoWhenEmpty(d, plugins, (p) => problems.push(p));
    },
  });
  if (problems.length) throw new Error(problems.join('\n'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    plugins,
    async close() {
      await app.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
