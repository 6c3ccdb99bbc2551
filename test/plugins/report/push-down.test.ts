import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit } from '../../../engine/org/org-units.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { loadRegisters, registersService } from '../../../plugins/registers/index.ts';
import type { ReportContext } from '../../../plugins/report/context.ts';
import { createDecisionProvider } from '../../../plugins/report/decisions.ts';
import { seedForm } from '../../../plugins/report/index.ts';
import { loadReportFile } from '../../../plugins/report/load-report.ts';
import { decisionTests } from '../../../plugins/report/push-down.ts';
import { listDecisionJoin } from '../../../plugins/report/register-join.ts';
import type { ReportRegisters } from '../../../plugins/report/registers-port.ts';
import type { ReportDefinition } from '../../../plugins/report/report-schema.ts';
import { buildTable } from '../../../plugins/report/run-report.ts';
import {
  BUILTIN_RULESETS_DIR,
  createDecisionsAsOf,
  createMemoryParameterSource,
  createRulesService,
  DEMO_PARAMETERS_FILE,
  loadParameterFile,
  loadRulesetsDir,
} from '../../../plugins/rules/index.ts';
import { decisionJoin, TYPED_OUTPUTS } from '../../../plugins/rules/store/decision-join.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, submitSurvey, survey, VILLAGE } from '../registers/setup.ts';
import { loadSurveyPlugins } from './survey-plugins.ts';

type Json = Record<string, unknown>;

const demo = loadParameterFile(DEMO_PARAMETERS_FILE);
if (!demo.ok) throw new Error('demo parameters');
const source = createMemoryParameterSource(demo.value.filter((p) => p.validFrom <= '2021-06-30'));
const rules = createRulesService({ rulesets: loadRulesetsDir(BUILTIN_RULESETS_DIR), source });
const roster = loadReportFile(
  join(import.meta.dirname, '../../../plugins/report/reports/low-income-roster.json'),
);
if (!roster.ok) throw new Error('low-income-roster');

describe('decisionTests (what a filter says of decision outputs)', () => {
  it('takes the operands of a top-level and that test one output, and nothing else', () => {
    expect(decisionTests({ var: 'decision.inRoster' })).toEqual([{ output: 'inRoster', test: 'truthy' }]);
    expect(
      decisionTests({
        and: [
          { '!': { var: 'decision.dibaoCandidate' } },
          { '!!': [{ var: ['decision.inRoster'] }] },
          { '==': ['低保边缘户', { var: 'decision.hardshipType' }] },
          { '>': [{ var: 'data.householdSize' }, 2] },
          { or: [{ var: 'decision.inRoster' }, true] },
        ],
      }),
    ).toEqual([
      { output: 'dibaoCandidate', test: 'falsy' },
      { output: 'inRoster', test: 'truthy' },
      { output: 'hardshipType', test: 'equals', value: '低保边缘户' },
    ]);
    // A default, an `or`, a nested path: nothing every kept row must pass.
    expect(decisionTests({ var: ['decision.inRoster', true] })).toEqual([]);
    expect(decisionTests({ or: [{ var: 'decision.inRoster' }, { var: 'data.x' }] })).toEqual([]);
    expect(decisionTests({ var: 'decision.a.b' })).toEqual([]);
  });

  it('says what it can in SQL only for outputs with a typed column, exactly', () => {
    const j = decisionJoin({
      ruleset: 'household-eligibility',
      asOf: '2021-06-30',
      tests: [
        { output: 'inRoster', test: 'truthy' },
        { output: 'assetsPass', test: 'truthy' },
        { output: 'perCapitaMonthlyIncome', test: 'truthy' },
        { output: 'inRoster', test: 'equals', value: 1 },
        { output: 'hardshipType', test: 'equals', value: '低保边缘户' },
      ],
    });
    expect(j.pushed).toEqual([
      { output: 'inRoster', test: 'truthy' },
      { output: 'hardshipType', test: 'equals', value: '低保边缘户' },
    ]);
  });
});

describe.each(dialects())('a roster filter said in the register query on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const counted = { records: 0 };
  /** Head's ID number per submission; the families with a not-boolean and with no decision. */
  const heads = new Map<string, string>();
  let notBoolean = '';
  let undecided = '';
  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadSurveyPlugins(source);
    a = await testApp(t, {
      ...pluginAppOptions(loaded),
      form: survey,
      clock: () => '2021-06-25T02:00:00.000Z',
    });
    // Families on the roster and off it, each decided on submit.
    for (let seed = 700, on = 0, off = 0; seed < 1200 && (on < 4 || off < 5); seed++) {
      const h = householdData(seed);
      const d = await rules.evaluate('household-eligibility', h, {
        orgCode: VILLAGE,
        asOf: String(h.surveyDate),
      });
      if (d.outputs.inRoster === true ? on++ >= 4 : off++ >= 5) continue;
      heads.set(await submitSurvey(a, h), String(h.headIdNumber));
    }
    const decisions = await t.db
      .withTables<{ rule_decisions: { submission_id: string; outputs: string; in_roster: number | null } }>()
      .selectFrom('rule_decisions')
      .select(['submission_id', 'outputs', 'in_roster'])
      .execute();
    const off = decisions.filter((d) => d.in_roster === 0).map((d) => d.submission_id);
    expect(off.length).toBeGreaterThanOrEqual(3);
    expect(decisions.filter((d) => d.in_roster === 1).length).toBeGreaterThanOrEqual(3);
    const rdb = t.db.withTables<{ rule_decisions: Json }>();
    // A newer decision whose inRoster is not a boolean (no typed column value): the filter's
    // truthiness keeps it, so SQL must not drop it.
    const [first, second] = off as [string, string];
    notBoolean = heads.get(first) ?? '';
    undecided = heads.get(second) ?? '';
    const row = (await rdb
      .selectFrom('rule_decisions')
      .selectAll()
      .where('submission_id', '=', first)
      .executeTakeFirstOrThrow()) as Json;
    const outputs = { ...(JSON.parse(String(row.outputs)) as Json), inRoster: 'yes' };
    await rdb
      .insertInto('rule_decisions')
      .values({
        ...row,
        id: 'dec-zz-not-boolean',
        created_at: '2099-01-01T00:00:00.000Z',
        outputs: JSON.stringify(outputs),
        in_roster: null,
      })
      .execute();
    // A family with no stored decision: decided on its survey when the roster is made.
    await rdb.deleteFrom('rule_decisions').where('submission_id', '=', second).execute();
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const registers = registersService(loadRegisters(), async () => {});
  const counting: ReportRegisters = {
    recordsAsOf(db, q) {
      const pages = registers.recordsAsOf(db, q);
      if (!pages) return undefined;
      return (async function* () {
        for await (const page of pages) {
          counted.records += page.length;
          yield page;
        }
      })();
    },
  };
  const context = (withJoin: boolean): ReportContext => ({
    db: t.db,
    decisions: createDecisionProvider({
      db: t.db,
      rules: { decisionsAsOf: createDecisionsAsOf(() => rules) },
    }),
    forms: async (id: string) => seedForm(id),
    now: () => '2021-07-01T00:00:00.000Z',
    registers: counting,
    ...(withJoin ? { decisionJoin } : {}),
  });
  const list = async (def: ReportDefinition, withJoin: boolean) => {
    const org = await getOrgUnit(t.db, '511923');
    if (!org) throw new Error('511923');
    counted.records = 0;
    const table = await buildTable(context(withJoin), def, { period: '2021-06', org, viewer: { pii: true } });
    const rows: Json[] = [];
    for await (const r of table.rows) rows.push({ kind: r.kind, ...r.cells });
    return { rows, read: counted.records };
  };

  it('stores each output that has a typed column in it, as the catalogue says', async () => {
    const rows = (await t.db
      .withTables<{ rule_decisions: Json }>()
      .selectFrom('rule_decisions')
      .selectAll()
      .where('id', '<>', 'dec-zz-not-boolean')
      .execute()) as Json[];
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) {
      const o = JSON.parse(String(r.outputs)) as Json;
      for (const [output, typed] of Object.entries(TYPED_OUTPUTS)) {
        const v = o[output];
        const want =
          typed.kind === 'flag'
            ? typeof v === 'boolean'
              ? Number(v)
              : null
            : typed.kind === 'text'
              ? typeof v === 'string'
                ? v
                : null
              : typeof v === 'number'
                ? Math.round(v * 100)
                : null;
        expect(
          r[typed.column] === null ? null : typed.kind === 'text' ? r[typed.column] : Number(r[typed.column]),
          `${output}`,
        ).toEqual(want);
      }
    }
  });

  const filters: [string, unknown, string[]][] = [
    ['on the roster', { var: 'decision.inRoster' }, ['inRoster']],
    ['off the roster', { '!': { var: 'decision.inRoster' } }, ['inRoster']],
    [
      'on the roster and marginal',
      { and: [{ var: 'decision.inRoster' }, { '===': [{ var: 'decision.hardshipType' }, '低保边缘户'] }] },
      ['inRoster', 'hardshipType'],
    ],
    // No typed column: nothing said in SQL, the filter alone decides (over every record).
    ['passes the asset test', { var: 'decision.assetsPass' }, []],
    ['with an income', { var: 'decision.perCapitaMonthlyIncome' }, []],
  ];
  it.each(filters)(
    'lists the same rows with the filter said in SQL or not: %s',
    async (_, filter, pushed) => {
      const def: ReportDefinition = { ...roster.value, filter };
      const j = listDecisionJoin(context(true), def, '2021-06-30');
      expect(j?.pushed.map((p) => p.output)).toEqual(pushed);
      const joined = await list(def, true);
      const perPage = await list(def, false);
      expect(joined.rows).toEqual(perPage.rows);
      expect(joined.rows.filter((r) => r.kind === 'data').length).toBeGreaterThan(0);
      if (pushed.length > 0) expect(joined.read).toBeLessThan(perPage.read);
      else expect(joined.read).toBe(perPage.read);
    },
  );

  it('keeps a decision whose output is not a boolean, and decides a family without one', async () => {
    const idsOf = (rows: Json[]) => rows.filter((r) => r.kind === 'data').map((r) => String(r.idNumber));
    const on = await list(roster.value, true);
    const off = await list({ ...roster.value, filter: { '!': { var: 'decision.inRoster' } } }, true);
    // "yes" is truthy: the family is on the roster, though its typed column is empty.
    expect(idsOf(on.rows)).toContain(notBoolean);
    expect(idsOf(off.rows)).not.toContain(notBoolean);
    // Decided on its survey when the list is made (off the roster, as it was on submit).
    expect(idsOf(off.rows)).toContain(undecided);
    expect(idsOf(on.rows)).not.toContain(undecided);
  });
});
