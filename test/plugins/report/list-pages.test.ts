import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, maskIdNumber, migratePlugins, type OrgUnit } from '../../../engine/entry/server.ts';
import {
  collectRows,
  createDecisionProvider,
  listReport,
  type ReportDefinition,
  type ReportRow,
  reportServiceFromConfig,
} from '../../../plugins/report/index.ts';
import { RULES_MIGRATIONS, rulesDb } from '../../../plugins/rules/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRulesService, reportRulesOver, seedOrgUnits } from './seed-data.ts';

/**
 * List reports read 500 submissions per page, joined with their decisions per page; most rows
 * are read without their data, which is fetched for the rows kept. These cases check the rows
 * against a plain reading of the same tables: a subtree of exactly one page, one of a page and
 * one row, decisions whose current one was not written first, families decided by the rules
 * (no stored decision), filters that read the data (from the middle of a page on), filters
 * that keep most rows, and subtotals across pages.
 */
const rules = demoRulesService();
const service = reportServiceFromConfig({});
const RULESET = 'household-eligibility';
const AS_OF = '2021-06-30';

/** Where the households go: exactly one page under Bazhou, a page and one under Pingchang, 3 undecided under Chengdu. */
const PLACES = [
  { org: '511902', path: '/510000/511900/511902/', n: 500 },
  { org: '511923102201', path: '/510000/511900/511923/511923102/511923102201/', n: 501 },
  { org: '510104', path: '/510000/510100/510104/', n: 3 },
] as const;

interface Household {
  readonly id: string;
  readonly org: string;
  readonly path: string;
  readonly data: Record<string, unknown>;
  /** The current decision's outputs (stored, or what the rules say for the undecided). */
  decision: Record<string, unknown>;
}

for (const dialect of dialects()) {
  describe(`list reports across pages (${dialect.name})`, () => {
    let t: TestDatabase;
    const orgs: Record<string, OrgUnit> = {};
    /** In org-tree order as the database sorts (org_path, id). */
    let households: Household[] = [];
    const ctx = () => ({
      ...service.context(t.db),
      decisions: createDecisionProvider({ db: t.db, rules: reportRulesOver(rules) }),
      now: () => '2021-07-05T00:00:00Z',
    });

    beforeAll(async () => {
      t = await dialect.open();
      await migratePlugins(t.db, { migrations: [{ pluginName: 'rules', migrations: RULES_MIGRATIONS }] });
      await seedOrgUnits(t.db);
      const made: Household[] = [];
      let seed = 7000;
      for (const p of PLACES)
        for (let i = 0; i < p.n; i++) {
          const data = makeHousehold(seed++) as unknown as Record<string, unknown>;
          made.push({ id: randomUUID(), org: p.org, path: p.path, data, decision: {} });
        }
      for (let i = 0; i < made.length; i += 100) {
        await t.db
          .insertInto('submissions')
          .values(
            made.slice(i, i + 100).map((h) => ({
              id: h.id,
              form_id: 'household-survey',
              form_version: 1,
              org_code: h.org,
              org_path: h.path,
              status: 'submitted',
              data: JSON.stringify(h.data),
              version: 1,
              period: null,
              created_by: 'test',
              created_at: '2021-06-01T00:00:00.000Z',
              updated_at: '2021-06-01T00:00:00.000Z',
              deleted_at: null,
            })),
          )
          .execute();
      }
      // Stored decisions for all but Chengdu's; every 7th has an older one written after the
      // current one (which must not win), every 11th an older one written before it.
      const decisions: Record<string, unknown>[] = [];
      const row = (h: Household, n: number, createdAt: string, outputs: Record<string, unknown>) => ({
        id: `dec_${String(n).padStart(5, '0')}_${createdAt.slice(8, 10)}`,
        submission_id: h.id,
        ruleset_id: RULESET,
        as_of: AS_OF,
        org_code: h.org,
        outputs: JSON.stringify(outputs),
        explanation: '{}',
        created_at: createdAt,
        created_by: null,
      });
      made.forEach((h, n) => {
        if (h.org === '510104') return;
        h.decision = {
          inRoster: n % 3 === 0,
          hardshipType: `type-${n}`,
          perCapitaMonthlyIncome: n + 0.5,
        };
        const older = { ...h.decision, inRoster: !h.decision.inRoster, hardshipType: 'stale' };
        if (n % 11 === 0) decisions.push(row(h, n, '2021-06-02T00:00:00.000Z', older));
        decisions.push(row(h, n, '2021-06-10T00:00:00.000Z', h.decision));
        if (n % 7 === 0) decisions.push(row(h, n, '2021-06-03T00:00:00.000Z', older));
      });
      for (let i = 0; i < decisions.length; i += 100) {
        await rulesDb(t.db)
          .insertInto('rule_decisions')
          .values(decisions.slice(i, i + 100) as never)
          .execute();
      }
      for (const h of made) {
        if (h.org !== '510104') continue;
        h.decision = (await rules.evaluate(RULESET, h.data, { orgCode: h.org, asOf: AS_OF }))
          .outputs as Record<string, unknown>;
      }
      const order = await t.db
        .selectFrom('submissions')
        .select('id')
        .orderBy('org_path')
        .orderBy('id')
        .execute();
      const byId = new Map(made.map((h) => [h.id, h]));
      households = order.map((r) => byId.get(r.id) as Household);
      for (const code of ['510000', '511902', '511923', '510100'])
        orgs[code] = (await getOrgUnit(t.db, code)) as OrgUnit;
    }, 120_000);
    afterAll(() => t.destroy());

    const roster = () => service.get('low-income-roster');
    const run = async (def: ReportDefinition, org: string, pii = true): Promise<ReportRow[]> =>
      collectRows(
        await listReport(ctx(), def, { org: orgs[org] as OrgUnit, period: '2021-06', viewer: { pii } }),
      );
    /** The households under `org` that `keep` keeps (given the number the row would get), in order. */
    const expected = (org: string, keep: (h: Household, seq: number) => boolean): Household[] => {
      const out: Household[] = [];
      for (const h of households) if (h.path.includes(`/${org}/`) && keep(h, out.length + 1)) out.push(h);
      return out;
    };
    const dataRows = (rows: ReportRow[]) => rows.filter((r) => r.kind === 'data');
    const expectRoster = (rows: ReportRow[], want: Household[]) => {
      const data = dataRows(rows);
      expect(data.map((r) => r.cells.idNumber)).toEqual(want.map((h) => h.data.headIdNumber));
      expect(data.map((r) => r.cells.seq)).toEqual(want.map((_, i) => i + 1));
      expect(data.map((r) => r.cells.hardshipType)).toEqual(want.map((h) => h.decision.hardshipType ?? null));
      expect(data.map((r) => r.cells.name)).toEqual(want.map((h) => h.data.headName));
      const total = rows.at(-1);
      expect(total?.kind).toBe('total');
      expect(total?.cells.seq).toBe(`合计（${want.length}户）`);
      expect(total?.cells.householdSize).toBe(want.reduce((a, h) => a + (h.data.householdSize as number), 0));
    };

    it('the roster over both pages of the province: current decisions only, undecided families by the rules', async () => {
      const want = expected('510000', (h) => h.decision.inRoster === true);
      expect(want.length).toBeGreaterThan(300);
      expectRoster(await run(roster(), '510000'), want);
    });

    it('a subtree of exactly one page, and one of a page and one row', async () => {
      expect(households.filter((h) => h.org === '511902')).toHaveLength(500);
      expectRoster(
        await run(roster(), '511902'),
        expected('511902', (h) => h.decision.inRoster === true),
      );
      expectRoster(
        await run(roster(), '511923'),
        expected('511923', (h) => h.decision.inRoster === true),
      );
      const all = { ...roster(), filter: undefined };
      expectRoster(
        await run(all, '511902'),
        expected('511902', () => true),
      );
      expectRoster(
        await run(all, '511923'),
        expected('511923', () => true),
      );
    });

    it('a filter that reads the data for some rows only (from the middle of a page on)', async () => {
      const def = {
        ...roster(),
        filter: { or: [{ var: 'decision.inRoster' }, { '==': [{ var: 'data.headSex' }, 'female'] }] },
      };
      const want = expected('510000', (h) => h.decision.inRoster === true || h.data.headSex === 'female');
      expect(want.length).toBeGreaterThan(expected('510000', (h) => h.decision.inRoster === true).length);
      expectRoster(await run(def, '510000'), want);
    });

    it('filters that keep most rows, or that read the row number', async () => {
      const most = { ...roster(), filter: { '!': { var: 'decision.inRoster' } } };
      expectRoster(
        await run(most, '510000'),
        expected('510000', (h) => h.decision.inRoster !== true),
      );
      const first = { ...roster(), filter: { '<=': [{ var: 'seq' }, 700] } };
      expectRoster(
        await run(first, '510000'),
        expected('510000', (_, seq) => seq <= 700),
      );
    });

    it('subtotals per county across page boundaries', async () => {
      const def: ReportDefinition = {
        ...roster(),
        filter: undefined,
        layout: { total: true, subtotalBy: 'county' },
      };
      const rows = await run(def, '510000');
      const kinds = rows.map((r) => (r.kind === 'data' ? 'd' : r.kind));
      const counties = ['510104', '511902', '511923'];
      const sizes = counties.map((c) => expected(c, () => true));
      expect(kinds).toEqual([...sizes.flatMap((hs) => [...hs.map(() => 'd'), 'subtotal']), 'total']);
      const subtotals = rows.filter((r) => r.kind === 'subtotal');
      expect(subtotals.map((r) => r.cells.seq)).toEqual(['锦江区小计', '巴州区小计', '平昌县小计']);
      expect(subtotals.map((r) => r.cells.householdSize)).toEqual(
        sizes.map((hs) => hs.reduce((a, h) => a + (h.data.householdSize as number), 0)),
      );
    });

    it('masks ID numbers without pii on every page', async () => {
      const want = expected('510000', (h) => h.decision.inRoster === true);
      const data = dataRows(await run(roster(), '510000', false));
      expect(data.map((r) => r.cells.idNumber)).toEqual(
        want.map((h) => maskIdNumber(h.data.headIdNumber as string)),
      );
    });
  });
}
