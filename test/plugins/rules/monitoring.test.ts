import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import {
  addMonths,
  BUILTIN_RULESETS_DIR,
  createMemoryParameterSource,
  createRulesPlugin,
  createRulesService,
  DEMO_PARAMETERS_FILE,
  loadParameterFile,
  loadRulesetsDir,
  runMonitoring,
  setParameter,
} from '../../../plugins/rules/index.ts';
import { idcardAgeOn } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, idcardEndingInX, submitSurvey, survey, VILLAGE } from '../registers/setup.ts';

type Json = Record<string, unknown>;
type Item = {
  id: string;
  kind: string;
  kinds: string[];
  submissionId: string;
  recordId: string | null;
  orgCode: string;
  idNumber: string | null;
  before: Json;
  after: Json;
  cause: Json;
  status: string;
};

const demo = loadParameterFile(DEMO_PARAMETERS_FILE);
if (!demo.ok) throw new Error('demo parameters');
const june = createRulesService({
  rulesets: loadRulesetsDir(BUILTIN_RULESETS_DIR),
  source: createMemoryParameterSource(demo.value.filter((p) => p.validFrom <= '2021-06-30')),
});

/** A village of another county (巴州区), whose families a Pingchang standard must not touch. */
const BAZHOU_VILLAGE = '511902001201';

/** A generated household on the 附件3 roster as of its survey date (region: the head's ID number). */
async function rosterHousehold(
  birth: string,
  surveyDate: string,
  orgCode: string,
  from = 700,
): Promise<Json> {
  const head = idcardEndingInX(birth, orgCode.slice(0, 6));
  for (let seed = from; seed < from + 300; seed++) {
    const base = householdData(seed);
    const members = (base.members as Json[] | undefined)?.map((m) =>
      typeof m.idNumber === 'string' ? { ...m, age: idcardAgeOn(m.idNumber, surveyDate) } : m,
    );
    const h = { ...base, ...(members ? { members } : {}), headIdNumber: head, headSex: 'male', surveyDate };
    const d = await june.evaluate('household-eligibility', h, { orgCode, asOf: surveyDate });
    if (d.outputs.inRoster === true && d.outputs.hardshipType === '低保边缘户') return h;
  }
  throw new Error('no roster household in 300 seeds');
}

describe.each(dialects())('dynamic monitoring on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const rules = createRulesPlugin();
  const pingchang: string[] = [];
  let bazhou = '';
  let bazhouData: Json = {};

  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const r = await a.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await a.token(user as 'admin')}` },
      ...(body === undefined ? {} : { payload: body as Json }),
    });
    return { status: r.statusCode, body: r.body, json: () => r.json() as Json };
  };
  const changes = async (user: string, query = '') => {
    const r = await call(
      user,
      'GET',
      `/api/monitoring/changes?${query.includes('status=') ? '' : 'status=all'}${query}`,
    );
    expect(r.status, r.body).toBe(200);
    const items = (r.json() as { items: Item[] }).items;
    // Every family surveyed in 2021 is overdue for a re-visit by now: those items are tested apart.
    return query.includes('kind=revisit') ? items : items.filter((i) => i.kind !== 'revisit');
  };
  const decisionsOf = async (submissionId: string) =>
    (
      await t.db
        .withTables<{ rule_decisions: { submission_id: string; id: string } }>()
        .selectFrom('rule_decisions')
        .select('id')
        .where('submission_id', '=', submissionId)
        .execute()
    ).length;
  const raise = async (area: 'urban' | 'rural', value = 5000) => {
    const r = await call('admin', 'PUT', '/api/parameters/dibao_standard', {
      orgCode: '511923',
      area,
      validFrom: '2021-08-01',
      value,
      note: '平昌县提标（测试）',
    });
    expect(r.status, r.body).toBe(201);
  };
  const roster = async () => {
    const r = await call('admin', 'GET', '/api/reports/low-income-roster?format=json');
    expect(r.status, r.body).toBe(200);
    return (r.json() as { rows: { kind: string; cells: Json }[] }).rows
      .filter((x) => x.kind === 'data')
      .map((x) => String(x.cells.idNumber));
  };

  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadPlugins(
      {
        plugins: [
          {
            use: 'rules',
            config: {
              evaluateOnSubmit: [{ form: 'household-survey', ruleset: 'household-eligibility' }],
              monitoring: { intervalMs: 0, batchSize: 1 },
            },
          },
          'registers',
          'report',
        ],
      },
      {
        engineVersion: '0.1.0',
        builtins: { ...builtinPlugins, rules: rules },
        logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      },
    );
    a = await testApp(t, { ...pluginAppOptions(loaded), form: survey });
    await importOrgUnits(t.db, [
      { code: '511902001', name: '江北街道', parent: '511902', level: 'township' },
      { code: BAZHOU_VILLAGE, name: '回风村', parent: '511902001', level: 'village' },
    ]);
    const svc = rules.serviceFor(t.db);
    for (const p of demo.value) await setParameter(t.db, p, { actor: null }, svc.catalog);
    // The standards stored before any family: their jobs find nobody to re-decide.
    const first = await runMonitoring(t.db, svc, { register: 'households', revisitsEveryMs: 0 });
    expect(first.ran.every((j) => j.status === 'done' && j.done === 0)).toBe(true);

    pingchang.push(await submitSurvey(a, await rosterHousehold('1958-07-01', '2021-06-10', VILLAGE)));
    pingchang.push(await submitSurvey(a, await rosterHousehold('1961-02-03', '2021-06-20', VILLAGE, 760)));
    bazhouData = await rosterHousehold('1963-05-05', '2021-06-12', BAZHOU_VILLAGE);
    bazhou = await submitSurvey(a, bazhouData, { user: 'admin', orgUnit: BAZHOU_VILLAGE });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('re-decides exactly the county whose standard was raised, in resumable batches, and lists the changes', async () => {
    const listed = await roster();
    expect(listed).toHaveLength(3);
    await raise('urban');
    await raise('rural');
    // One batch only (batch size 1): the first job is left part done and says so.
    const partial = await call('admin', 'POST', '/api/monitoring/run', { maxBatches: 1 });
    expect(partial.status, partial.body).toBe(200);
    const run1 = partial.json() as { queued: Json[]; ran: { status: string; done: number; total: number }[] };
    expect(run1.queued).toHaveLength(2);
    expect(run1.ran[0]).toMatchObject({ status: 'running', done: 1, total: 2 });
    // Resumed (by another process as far as the job knows): each family is decided once per job.
    const svc = rules.serviceFor(t.db);
    const both = await Promise.all([
      runMonitoring(t.db, svc, { register: 'households', batchSize: 1, revisitsEveryMs: 0 }),
      runMonitoring(t.db, svc, { register: 'households', batchSize: 1, revisitsEveryMs: 0 }),
    ]);
    const jobs = (await call('admin', 'GET', '/api/monitoring/jobs')).json() as {
      items: { status: string; done: number; total: number; orgCode: string; cause: Json }[];
    };
    const mine = jobs.items.filter((j) => j.orgCode === '511923' && j.cause.validFrom === '2021-08-01');
    expect(mine).toHaveLength(2);
    for (const j of mine) expect(j).toMatchObject({ status: 'done', done: 2, total: 2 });
    expect(both.flatMap((r) => r.ran).every((j) => j.status === 'done')).toBe(true);
    // Submit's decision plus one re-decision (under the area's own raised standard), never more.
    for (const id of pingchang) expect(await decisionsOf(id)).toBe(2);
    expect(await decisionsOf(bazhou)).toBe(1);

    const items = await changes('pingchangStaff');
    expect(items.map((i) => i.submissionId).sort()).toEqual([...pingchang].sort());
    for (const i of items) {
      expect(i.kind).toBe('left');
      expect(i.kinds).toEqual(['left', 'candidate', 'entitlement']);
      expect(i.before).toMatchObject({ inRoster: true, hardshipType: '低保边缘户', dibaoCandidate: false });
      expect(i.after).toMatchObject({ inRoster: false, dibaoCandidate: true });
      expect(i.cause).toMatchObject({
        type: 'standard',
        parameter: 'dibao_standard',
        validFrom: '2021-08-01',
        value: 5000,
      });
      expect(i.cause.series).toMatch(/^dibao_standard@511923\/(urban|rural)$/);
    }
    expect(await changes('bazhouStaff')).toEqual([]);
    // The village sees its own items, ID numbers masked without pii.
    const village = await changes('villageStaff');
    expect(village).toHaveLength(2);
    expect(village[0]?.idNumber).toMatch(/\*{10}/);
    // The roster follows: the Pingchang families have left it, the Bazhou one stays.
    expect(await roster()).toEqual([bazhouData.headIdNumber]);
    const summary = (await call('pingchangStaff', 'GET', '/api/monitoring/changes/summary')).json() as {
      items: Json[];
    };
    expect(summary.items.filter((i) => i.kind !== 'revisit')).toEqual([
      { orgCode: VILLAGE, kind: 'left', open: 2 },
    ]);
  });

  it("closes an item with an action, audited, once, and only in the closer's subtree", async () => {
    const [item] = await changes('villageStaff');
    if (!item) throw new Error('no item');
    expect(
      (await call('bazhouStaff', 'POST', `/api/monitoring/changes/${item.id}/close`, { action: 'revisited' }))
        .status,
    ).toBe(404);
    const bad = await call('villageStaff', 'POST', `/api/monitoring/changes/${item.id}/close`, {
      action: 'ignored',
    });
    expect(bad.status).toBe(400);
    const ok = await call('villageStaff', 'POST', `/api/monitoring/changes/${item.id}/close`, {
      action: 'revisited',
      note: '已入户核实，转低保申请',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'closed', action: 'revisited' });
    const again = await call('villageStaff', 'POST', `/api/monitoring/changes/${item.id}/close`, {
      action: 'confirmed',
    });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ code: 'NX_ERR_RULES_CHANGE_CLOSED' });
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'monitoring_change')
      .execute();
    expect(audit).toEqual([{ action: 'monitoring.close', entity_id: item.id }]);
    expect(await changes('villageStaff', '&status=open')).toHaveLength(1);
  });

  it('a withdrawn standard re-decides again: the families rejoin the roster', async () => {
    for (const area of ['urban', 'rural'] as const) {
      const r = await call('admin', 'POST', '/api/parameters/dibao_standard/withdraw', {
        orgCode: '511923',
        area,
        validFrom: '2021-08-01',
      });
      expect(r.status, r.body).toBe(200);
    }
    await runMonitoring(t.db, rules.serviceFor(t.db), { register: 'households', revisitsEveryMs: 0 });
    const joined = (await changes('pingchangStaff', '&kind=joined')).filter(
      (i) => i.cause.withdrawn === true,
    );
    expect(joined.map((i) => i.submissionId).sort()).toEqual([...pingchang].sort());
    expect((await roster()).sort()).toHaveLength(3);
  });

  it('a re-survey that changes the decision becomes an item; re-visits follow the declared intervals', async () => {
    // The Bazhou family surveyed again with a large income: it leaves the roster.
    await submitSurvey(
      a,
      { ...bazhouData, surveyDate: '2021-09-01', headAnnualIncome: 500000 },
      {
        user: 'admin',
        orgUnit: BAZHOU_VILLAGE,
      },
    );
    const run = await runMonitoring(t.db, rules.serviceFor(t.db), {
      register: 'households',
      revisitsEveryMs: 0,
    });
    expect(run.resurveys).toBe(1);
    const [item] = await changes('bazhouStaff', '&kind=left');
    expect(item?.cause).toMatchObject({ type: 'survey', previousSubmissionId: bazhou });
    // The item names the register record its survey entered (the pages link the household and a re-survey).
    const entered = await t.db
      .withTables<{ register_versions: { submission_id: string | null; record_id: string } }>()
      .selectFrom('register_versions')
      .select('record_id')
      .where('submission_id', '=', item?.submissionId ?? '')
      .executeTakeFirstOrThrow();
    expect(item?.recordId).toBe(entered.record_id);
    // 低保边缘户 are re-surveyed every 12 months by default: the Pingchang families (surveyed in
    // June 2021) are due on 2022-06-10 / 06-20, overdue a month later.
    const due = (
      await call('pingchangStaff', 'GET', '/api/monitoring/revisits?on=2022-06-01&withinDays=30')
    ).json() as {
      items: {
        state: string;
        dueDate: string;
        category: string;
        intervalMonths: number;
        recordId: unknown;
      }[];
    };
    expect(due.items.every((i) => typeof i.recordId === 'string')).toBe(true);
    expect(due.items.map((i) => [i.state, i.dueDate, i.category, i.intervalMonths])).toEqual([
      ['due', '2022-06-10', '低保边缘户', 12],
      ['due', '2022-06-20', '低保边缘户', 12],
    ]);
    // The county shortens the interval (a declared parameter, checked like any standard).
    const bad = await call('admin', 'PUT', '/api/parameters/resurvey_months_marginal', {
      orgCode: '511923',
      validFrom: '2021-01-01',
      value: 0,
    });
    expect(bad.status).toBe(400);
    const set = await call('admin', 'PUT', '/api/parameters/resurvey_months_marginal', {
      orgCode: '511923',
      validFrom: '2021-01-01',
      value: 6,
    });
    expect(set.status, set.body).toBe(201);
    const overdue = (
      await call('pingchangStaff', 'GET', '/api/monitoring/revisits?on=2022-01-01&state=overdue')
    ).json() as {
      items: { dueDate: string }[];
    };
    expect(overdue.items.map((i) => i.dueDate)).toEqual(['2021-12-10', '2021-12-20']);
    expect(addMonths('2021-08-31', 6)).toBe('2022-02-28');
    // The run turns overdue families into re-visit items, once.
    const items = await changes('pingchangStaff', '&kind=revisit');
    expect(items).toHaveLength(2);
    await runMonitoring(t.db, rules.serviceFor(t.db), { register: 'households', revisitsEveryMs: 0 });
    expect(await changes('pingchangStaff', '&kind=revisit')).toHaveLength(2);
  });
});
