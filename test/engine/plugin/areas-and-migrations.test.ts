import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { migratePlugins, runPluginSeeds } from '../../../engine/plugin/migrate-plugins.ts';
import type { PluginApi } from '../../../engine/plugin/types.ts';
import { migrateToLatest } from '../../../engine/store/migrate.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { fakePlugin } from './helpers.ts';

const load = (...plugins: ReturnType<typeof fakePlugin>[]) =>
  loadPlugins(
    { plugins: plugins.map((p) => p.name) },
    { engineVersion: '0.1.0', builtins: Object.fromEntries(plugins.map((p) => [p.name, p])) },
  );

const noop = async () => {};

describe('plugin API areas', () => {
  it('mounts a plugin under /api/<area>', async () => {
    const loaded = await load(
      fakePlugin('stats', [], { body: (api) => api.routes.mount('statistics', noop) }),
    );
    expect(loaded.routes).toEqual([{ pluginName: 'stats', prefix: '/api/statistics', plugin: noop }]);
  });

  it.each(['forms', 'submissions', 'auth', 'plugins', 'tasks'])(
    'refuses the core area %s at load',
    async (area) => {
      await expect(
        load(fakePlugin('grabby', [], { body: (api) => api.routes.mount(area, noop) })),
      ).rejects.toMatchObject({
        code: 'NX_ERR_PLUGIN_SETUP_FAILED',
        message: expect.stringContaining(`/api/${area}, which the engine serves`),
      });
    },
  );

  it('refuses an area another plugin holds, naming it, and an invalid area name', async () => {
    const mount = (api: PluginApi<unknown>) => api.routes.mount('stats', noop);
    await expect(
      load(fakePlugin('first', [], { body: mount }), fakePlugin('second', [], { body: mount })),
    ).rejects.toMatchObject({ message: expect.stringContaining('plugin "first" holds') });
    await expect(
      load(fakePlugin('odd', [], { body: (api) => api.routes.mount('../forms', noop) })),
    ).rejects.toMatchObject({ message: expect.stringContaining('invalid API area') });
  });

  it('refuses a migration name used twice by one plugin', async () => {
    const m = { up: noop };
    await expect(
      load(
        fakePlugin('twice', [], {
          body: (api) => {
            api.migrations.register('001_a', m);
            api.migrations.register('001_a', m);
          },
        }),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('"001_a"') });
  });
});

const tablePlugin = (name: string, table: string, seedLog: string[] = []) =>
  fakePlugin(name, [], {
    body: (api) => {
      api.migrations.register('001_table', {
        async up(db) {
          await db.schema
            .createTable(table)
            .addColumn('id', 'text', (c) => c.primaryKey())
            .execute();
        },
      });
      api.seeds.register({
        name: 'demo',
        async run(db) {
          seedLog.push(name);
          await sql`insert into ${sql.table(table)} (id) values (${'x'})`.execute(db);
          return 'one row';
        },
      });
    },
  });

describe.each(dialects())('plugin migrations on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('creates each plugin’s tables once, tracked apart from the core migrations', async () => {
    const loaded = await load(tablePlugin('alpha', 'alpha_items'), tablePlugin('beta-x', 'beta_items'));
    const first = await migratePlugins(t.db, loaded);
    expect(first.map((r) => `${r.pluginName}/${r.migrationName}:${r.status}`)).toEqual([
      'alpha/001_table:Success',
      'beta-x/001_table:Success',
    ]);
    expect(await migratePlugins(t.db, loaded)).toEqual([]);
    // A command that opens the store without plugins still migrates (nothing of theirs is "missing").
    await expect(migrateToLatest(t.db)).resolves.toEqual([]);
    // A plugin switched off later does not stop the others from migrating.
    const onlyBeta = await load(tablePlugin('beta-x', 'beta_items'));
    await expect(migratePlugins(t.db, onlyBeta)).resolves.toEqual([]);
  });

  it('runs the seeds in set-up order after the tables exist', async () => {
    const log: string[] = [];
    const loaded = await load(
      tablePlugin('alpha', 'alpha_items', log),
      tablePlugin('beta-x', 'beta_items', log),
    );
    await migratePlugins(t.db, loaded);
    expect(await runPluginSeeds(t.db, loaded)).toEqual(['alpha/demo: one row', 'beta-x/demo: one row']);
    expect(log).toEqual(['alpha', 'beta-x']);
    const rows = await sql<{ id: string }>`select id from alpha_items`.execute(t.db);
    expect(rows.rows).toEqual([{ id: 'x' }]);
  });

  it('names the plugin when its migration fails', async () => {
    const broken = fakePlugin('broken', [], {
      body: (api) =>
        api.migrations.register('001_bad', {
          async up(db) {
            await sql`create table alpha_items (id text)`.execute(db);
          },
        }),
    });
    await expect(migratePlugins(t.db, await load(broken))).rejects.toThrow(/plugin broken: migration failed/);
  });
});
