import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredPlugins } from '../../cli/plugins.ts';
import { loadDemoWhenEmpty } from '../../cli/server.ts';
import { DEMO_HOUSEHOLDS } from '../../demo/load-casework.ts';
import { migratePlugins } from '../../engine/plugin/migrate-plugins.ts';
import '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';

const ROOT = join(import.meta.dirname, '../..');

describe.each(dialects())('the demo casework on $name', (dialect) => {
  let t: TestDatabase;
  const problems: string[] = [];
  beforeAll(async () => {
    t = await dialect.open();
    const plugins = await configuredPlugins(join(ROOT, 'nuanxin.config.json'));
    if (plugins) await migratePlugins(t.db, plugins);
    expect(await loadDemoWhenEmpty(t.db, plugins, (p) => problems.push(p))).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t?.destroy();
  });

  it('loads without a refused step, every survey submitted in the demo village and in the register', async () => {
    expect(problems).toEqual([]);
    const surveys = await t.db
      .selectFrom('submissions')
      .select(['org_code', 'status'])
      .where('form_id', '=', 'household-survey')
      .execute();
    expect(surveys).toHaveLength(DEMO_HOUSEHOLDS);
    expect(new Set(surveys.map((s) => `${s.org_code}:${s.status}`))).toEqual(
      new Set(['511923102201:submitted']),
    );
  });

  it('a second start on the same database loads nothing again', async () => {
    const plugins = await configuredPlugins(join(ROOT, 'nuanxin.config.json'));
    expect(await loadDemoWhenEmpty(t.db, plugins, (p) => problems.push(p))).toBe(false);
    const n = await t.db
      .selectFrom('submissions')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(DEMO_HOUSEHOLDS);
  });
});
