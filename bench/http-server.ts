/**
 * A server for the HTTP benchmark, run as its own process so the load generator does not share
 * its event loop: `node --import tsx bench/http-server.ts nuanxin|bare DBFILE`. It prints one
 * JSON line `{ port, token }` when it listens, and stops on SIGTERM.
 *
 * - `nuanxin`: the real app (`buildApp`) with the configured plugins and the shipped workflows;
 *   a village field worker posts household surveys as `submitted` (validate, store, audit, start
 *   the assistance-application case and take its `submit` step).
 * - `bare`: the limit — a Fastify route that inserts the request body as one JSON row with one
 *   prepared better-sqlite3 statement, with the same SQLite settings (WAL, and the `synchronous` level
 *   of `NUANXIN_SQLITE_SYNCHRONOUS` as the store reads it).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import Fastify from 'fastify';
import { configuredPlugins, openWithPlugins } from '../cli/plugins.ts';
import { createUser } from '../engine/auth/users.ts';
import { loadForm } from '../engine/definition/load-form.ts';
import { publishDraft, saveDraft } from '../engine/forms/form-store.ts';
import { importOrgUnits } from '../engine/org/import.ts';
import { runPluginSeeds } from '../engine/plugin/migrate-plugins.ts';
import { buildApp } from '../engine/server/app.ts';
import { pluginAppOptions } from '../engine/server/plugin-bridge.ts';
import { resolveSynchronous } from '../engine/store/database.ts';
import { workflowFolderOptions } from '../engine/workflow-store/server.ts';

const ROOT = join(import.meta.dirname, '..');
const [mode, file] = process.argv.slice(2);
if (!file || (mode !== 'nuanxin' && mode !== 'bare')) {
  process.stderr.write('usage: http-server.ts nuanxin|bare DBFILE\n');
  process.exit(2);
}
// Password hashing is not what is measured: the one login happens before the load starts.
process.env.NUANXIN_SCRYPT_LOG2N ??= '10';

async function nuanxin(): Promise<{ port: number; token: string }> {
  const plugins = await configuredPlugins(join(ROOT, 'nuanxin.config.json'));
  const db = await openWithPlugins(file, plugins);
  // The demo standards, which the rules plugin decides each submitted survey against.
  if (plugins) await runPluginSeeds(db, plugins);
  await importOrgUnits(db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
    { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
    { code: '511923102', name: '白衣镇', parent: '511923', level: 'township' },
    { code: '511923102201', name: '白衣村', parent: '511923102', level: 'village' },
  ]);
  await createUser(db, {
    username: 'bench-village',
    password: 'bench-password-1',
    orgCode: '511923102201',
    roles: ['field_staff'],
    permissions: ['pii'],
  });
  const def = loadForm(JSON.parse(readFileSync(join(ROOT, 'forms', 'household-survey.json'), 'utf8')));
  if (!def.ok) throw new Error('household-survey does not load');
  await saveDraft(db, def.value, 'bench');
  await publishDraft(db, def.value.id, 'bench');
  const wf = workflowFolderOptions(plugins, join(ROOT, 'workflows'));
  const app = await buildApp({
    db,
    ...(plugins ? pluginAppOptions(plugins) : {}),
    ...(wf ? { workflows: { ...wf, timerIntervalMs: false } } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bench-village', password: 'bench-password-1' },
  });
  const token = (login.json() as { token: string }).token;
  process.once('SIGTERM', () => {
    void app.close().then(() => db.destroy().then(() => process.exit(0)));
  });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, token };
}

async function bare(): Promise<{ port: number; token: string }> {
  const sqlite = new SqliteDatabase(file as string);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${resolveSynchronous()}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.exec(`CREATE TABLE IF NOT EXISTS submissions (id TEXT PRIMARY KEY, form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL, org_code TEXT NOT NULL, org_path TEXT NOT NULL, status TEXT NOT NULL,
    data TEXT NOT NULL, version INTEGER NOT NULL, period TEXT, created_by TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, deleted_at TEXT)`);
  const insert = sqlite.prepare(
    `INSERT INTO submissions VALUES (?, 'household-survey', 1, '511923102201', '/510000/511900/511923/511923102/511923102201/', 'submitted', ?, 1, NULL, 'bench', ?, ?, NULL)`,
  );
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/api/forms/:id/submissions', async (req, reply) => {
    const now = new Date().toISOString();
    const id = randomUUID();
    insert.run(id, JSON.stringify((req.body as { data: unknown }).data), now, now);
    reply.code(201);
    return { id };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.once('SIGTERM', () => {
    void app.close().then(() => {
      sqlite.close();
      process.exit(0);
    });
  });
  const address = app.server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, token: 'none' };
}

const ready = mode === 'bare' ? await bare() : await nuanxin();
process.stdout.write(`${JSON.stringify(ready)}\n`);
