import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../engine/entry/runtime.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import {
  BUILTIN_RULESETS_DIR,
  createMemoryParameterSource,
  createRulesService,
  DEMO_PARAMETERS_FILE,
  decideAsOf,
  loadParameterFile,
  loadRulesetsDir,
} from '../../../plugins/rules/index.ts';
import { idcardAgeOn } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, idcardEndingInX, submitSurvey, survey, VILLAGE } from '../registers/setup.ts';
import { loadSurveyPlugins } from './survey-plugins.ts';

type Json = Record<string, unknown>;

// The demo standards as they stood on 2021-06-30 (the July raise is added by a test below).
const demo = loadParameterFile(DEMO_PARAMETERS_FILE);
if (!demo.ok) throw new Error('demo parameters');
const source = createMemoryParameterSource(demo.value.filter((p) => p.validFrom <= '2021-06-30'));
const rules = createRulesService({ rulesets: loadRulesetsDir(BUILTIN_RULESETS_DIR), source });

/** A generated household the rules put on the 附件3 roster as of `asOf`, surveyed that day. */
async function rosterHousehold(birth: string, surveyDate: string): Promise<Json> {
  const head = idcardEndingInX(birth);
  for (let seed = 700; seed < 900; seed++) {
    const base = householdData(seed);
    // Ages as on the survey date (the form checks them against the ID numbers).
    const members = (base.members as Json[] | undefined)?.map((m) =>
      typeof m.idNumber === 'string' ? { ...m, age: idcardAgeOn(m.idNumber, surveyDate) } : m,
    );
    const h = { ...base, ...(members ? { members } : {}), headIdNumber: head, surveyDate };
    const d = await rules.evaluate('household-eligibility', h, { orgCode: VILLAGE, asOf: surveyDate });
    if (d.outputs.inRoster === true) return h;
  }
  throw new Error('no roster household in 200 seeds');
}

describe.each(dialects())('附件3 roster as of a date on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const june: string[] = [];
  const juneData: Json[] = [];
  // The app's clock: the system's, unless a test dates an action.
  let now: string | undefined;
  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadSurveyPlugins(source);
    a = await testApp(t, {
      ...pluginAppOptions(loaded),
      form: survey,
      clock: () => now ?? new Date().toISOString(),
    });
    juneData.push(await rosterHousehold('1958-07-01', '2021-06-10'));
    juneData.push(await rosterHousehold('1961-02-03', '2021-06-20'));
    for (const h of juneData) june.push(await submitSurvey(a, h));
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const report = async (query: string, user: 'pingchangStaff' | 'bazhouStaff' = 'pingchangStaff') => {
    const r = await a.call(user, 'GET', `/api/reports/low-income-roster?format=json${query}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { notes: unknown[]; rows: { kind: string; cells: Json }[] };
  };
  const roster = async (query: string) => (await report(query)).rows.filter((r) => r.kind === 'data');
  const ids = (rows: { cells: Json }[]) => rows.map((r) => String(r.cells.idNumber)).sort();

  it('leaves out a survey dated after the as-of date, and says which date in the header', async () => {
    const july = await rosterHousehold('1963-05-05', '2021-07-10');
    await submitSurvey(a, july);
    const asOf = await report('&asOf=2021-06-30');
    expect(JSON.stringify(asOf.notes)).toContain('截至 2021-06-30');
    expect(JSON.stringify(asOf.notes)).toContain('As of 2021-06-30');
    const onJune = ids(asOf.rows.filter((r) => r.kind === 'data'));
    expect(onJune).toHaveLength(2);
    expect(onJune).not.toContain(july.headIdNumber);
    // The same roster as of today (no date given) has the July family too.
    expect(ids(await roster(''))).toContain(july.headIdNumber);
    // The period's end is the default as-of date.
    expect(ids(await roster('&period=2021-06'))).toEqual(onJune);
  });

  it('prints the 2021-06-30 roster identically after later surveys and a raised standard', async () => {
    const before = await roster('&asOf=2021-06-30');
    expect(before).toHaveLength(2);
    // A standard raised after the date, far above these families' incomes: as of today they are
    // 低保 candidates, not on the 附件3 roster.
    for (const area of ['urban', 'rural'] as const)
      source.set({ name: 'dibao_standard', orgCode: '510000', area, validFrom: '2021-08-01', value: 5000 });
    const today = todayInChina(Date.now());
    const redecided = await decideAsOf(t.db, rules, {
      rulesetId: 'household-eligibility',
      submissionId: june[0] as string,
      asOf: today,
      store: true,
    });
    expect(redecided.status).toBe('decided');
    expect(ids(await roster(''))).not.toContain(before.map((r) => r.cells.idNumber).sort()[0]);
    await submitSurvey(a, await rosterHousehold('1966-09-09', '2021-07-20'));
    const after = await roster('&asOf=2021-06-30');
    expect(after).toEqual(before);
  });

  it('prints the 2021-06-30 roster identically after a re-survey and a closure dated later', async () => {
    const before = await roster('&asOf=2021-06-30');
    expect(before).toHaveLength(2);
    const [first, second] = juneData as [Json, Json];
    // A follow-up in July changes the head's name; the other family is closed (death) from August.
    const members = (first.members as Json[] | undefined)?.map((m) =>
      typeof m.idNumber === 'string' ? { ...m, age: idcardAgeOn(m.idNumber, '2021-07-15') } : m,
    );
    await submitSurvey(a, {
      ...first,
      ...(members ? { members } : {}),
      headName: '改名后',
      surveyDate: '2021-07-15',
    });
    const list = (await a.call('pingchangStaff', 'GET', '/api/registers/households/records')).json() as {
      items: Json[];
    };
    const names = (await roster('&asOf=2021-07-31')).map((r) => r.cells.name);
    expect(names).toContain('改名后');
    const closed = list.items.find((i) => String(i.key).endsWith(String(second.headIdNumber).slice(-4)));
    const bad = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${closed?.id}/status`,
      {
        status: 'closed',
        reason: 'death',
        effective: '2021-02-30',
      },
    );
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { code: string }).code).toBe('NX_ERR_REGISTERS_BAD_DATE');
    const r = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${closed?.id}/status`,
      {
        status: 'closed',
        reason: 'death',
        effective: '2021-08-01',
      },
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(await roster('&asOf=2021-06-30')).toEqual(before);
    expect(ids(await roster('&asOf=2021-08-01'))).not.toContain(second.headIdNumber);
  });

  it('lists a family transferred to another county under the county that owned it on the date', async () => {
    // A village of 巴州区 (another county of 巴中市) to move a 平昌县 family to.
    await importOrgUnits(t.db, [
      { code: '511902100', name: '江北街道', parent: '511902', level: 'township' },
      { code: '511902100201', name: '江北村', parent: '511902100', level: 'village' },
    ]);
    const family = await rosterHousehold('1964-04-04', '2021-06-25');
    await submitSurvey(a, family);
    const head = String(family.headIdNumber);
    const found = await a.call('bazhongAdmin', 'POST', '/api/registers/households/search', {
      idNumber: head,
    });
    const record = (found.json() as { items: { record: Json; role: string }[] }).items.find(
      (i) => i.role === 'key',
    )?.record;
    now = '2021-07-25T02:00:00.000Z';
    const moved = await a.call(
      'bazhongAdmin',
      'POST',
      `/api/registers/households/records/${record?.id}/transfer`,
      {
        to: '511902100201',
      },
    );
    now = undefined;
    expect(moved.statusCode, moved.body).toBe(200);
    expect((moved.json() as Json).state).toBe('done');
    const rosterOf = async (user: 'pingchangStaff' | 'bazhouStaff', asOf: string) =>
      ids((await report(`&asOf=${asOf}`, user)).rows.filter((x) => x.kind === 'data'));
    // The day before the transfer completed: 平昌县's roster, not 巴州区's.
    expect(await rosterOf('pingchangStaff', '2021-07-24')).toContain(head);
    expect(await rosterOf('bazhouStaff', '2021-07-24')).not.toContain(head);
    // From its day on: the reverse.
    expect(await rosterOf('pingchangStaff', '2021-07-25')).not.toContain(head);
    expect(await rosterOf('bazhouStaff', '2021-07-25')).toContain(head);
    // Before its survey, in neither.
    expect(await rosterOf('pingchangStaff', '2021-06-24')).not.toContain(head);
    expect(await rosterOf('bazhouStaff', '2021-06-24')).not.toContain(head);
  });

  it('refuses an as-of date that is not a real calendar day', async () => {
    for (const bad of ['2021-02-30', '2021-13-01', '20210630']) {
      const r = await a.call(
        'pingchangStaff',
        'GET',
        `/api/reports/low-income-roster?format=json&asOf=${bad}`,
      );
      expect(r.statusCode, bad).toBe(400);
    }
  });
});
