import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { runPluginSeeds } from '../../../engine/plugin/migrate-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRulesService } from '../report/seed-data.ts';
import { householdData, idcardEndingInX, OTHER_VILLAGE, submitSurvey, survey, VILLAGE } from './setup.ts';

type Json = Record<string, unknown>;
const rules = demoRulesService();

/** A generated household the demo rules put on the 附件3 roster, with its head's ID number ending in X. */
async function rosterHousehold(): Promise<Json> {
  const head = idcardEndingInX('1958-07-01');
  for (let seed = 700; seed < 900; seed++) {
    const h = { ...householdData(seed), headIdNumber: head };
    const d = await rules.evaluate('household-eligibility', h, { orgCode: VILLAGE, asOf: '2021-06-30' });
    if (d.outputs.inRoster === true) return h;
  }
  throw new Error('no roster household in 200 seeds');
}

describe.each(dialects())('附件3 roster over the households register on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadPlugins(
      { plugins: ['rules', 'registers', 'report'] },
      {
        engineVersion: '0.1.0',
        builtins: builtinPlugins,
        logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      },
    );
    a = await testApp(t, {
      ...pluginAppOptions(loaded),
      form: survey,
      clock: () => '2021-06-10T02:00:00.000Z',
    });
    // The roster's decisions come from the rules plugin: its demo standards into rule_parameters.
    await runPluginSeeds(t.db, loaded);
    await importOrgUnits(t.db, [
      { code: OTHER_VILLAGE, name: '新华村', parent: '511923102', level: 'village' },
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  // As of 2021-06-30 by default: the merge and the closure below are recorded on 2021-06-10 (the app's clock).
  const roster = async (query = '&period=2021-06') => {
    const r = await a.call('pingchangStaff', 'GET', `/api/reports/low-income-roster?format=json${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return (r.json() as { rows: { kind: string; cells: Json }[] }).rows.filter((row) => row.kind === 'data');
  };

  it('lists a family surveyed twice (x and X, once offline as new) once', async () => {
    const family = await rosterHousehold();
    const head = String(family.headIdNumber);
    await submitSurvey(a, family);
    await submitSurvey(a, { ...family, headIdNumber: head.toLowerCase(), registerBaseVersion: 0 });
    const rows = await roster();
    expect(rows.filter((r) => String(r.cells.idNumber).toUpperCase() === head)).toHaveLength(1);
    const subs = await t.db
      .selectFrom('submissions')
      .select('id')
      .where('form_id', '=', 'household-survey')
      .execute();
    expect(subs).toHaveLength(2);
  });

  it('drops a family whose record is closed, and lists a merged family once', async () => {
    const other = { ...(await rosterHousehold()), headIdNumber: idcardEndingInX('1961-02-03') };
    await submitSurvey(a, other);
    expect((await roster()).length).toBe(2);
    const list = (await a.call('pingchangStaff', 'GET', '/api/registers/households/records')).json() as {
      items: Json[];
    };
    const [keep, drop] = list.items.map((i) => String(i.id));
    await a.call('pingchangReviewer', 'POST', '/api/registers/households/merge', { keep, drop });
    expect((await roster()).length).toBe(1);
    await a.call('pingchangStaff', 'POST', `/api/registers/households/records/${keep}/status`, {
      status: 'closed',
      reason: 'death',
    });
    expect(await roster()).toHaveLength(0);
    // As of 2021-06-05, before both, the two families were there, apart.
    expect(await roster('&asOf=2021-06-05')).toHaveLength(2);
  });
});
