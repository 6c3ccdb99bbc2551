import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, migratePlugins, type OrgUnit } from '../../../engine/entry/server.ts';
import {
  collectRows,
  createDecisionProvider,
  listReport,
  reportServiceFromConfig,
} from '../../../plugins/report/index.ts';
import {
  latestDecisions,
  latestOutputs,
  RULES_MIGRATIONS,
  rulesDb,
  saveDecision,
} from '../../../plugins/rules/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRulesService, insertSubmission, reportRulesOver, seedOrgUnits } from './seed-data.ts';

const rules = demoRulesService();
const service = reportServiceFromConfig({});

for (const dialect of dialects()) {
  describe(`roster from stored rules decisions (${dialect.name})`, () => {
    let t: TestDatabase;
    let pingchang: OrgUnit;
    const ids: string[] = [];
    beforeAll(async () => {
      t = await dialect.open();
      await migratePlugins(t.db, { migrations: [{ pluginName: 'rules', migrations: RULES_MIGRATIONS }] });
      await seedOrgUnits(t.db);
      for (let i = 0; i < 3; i++) {
        ids.push(
          await insertSubmission(t.db, {
            formId: 'household-survey',
            orgCode: '511923102201',
            data: makeHousehold(500 + i) as unknown as Record<string, unknown>,
            createdAt: '2021-06-01T00:00:00.000Z',
          }),
        );
      }
      pingchang = (await getOrgUnit(t.db, '511923')) as OrgUnit;
    }, 60_000);
    afterAll(() => t.destroy());

    it('the latest stored decision decides; a later "not on the roster" removes a family', async () => {
      const base = await rules.evaluate(
        'household-eligibility',
        makeHousehold(500) as unknown as Record<string, unknown>,
        { orgCode: '511923102201', asOf: '2021-06-30' },
      );
      const on = { ...base, outputs: { ...base.outputs, inRoster: true, hardshipType: '低保边缘户' } };
      const off = { ...base, outputs: { ...base.outputs, inRoster: false, hardshipType: null } };
      await saveDecision(t.db, { submissionId: ids[0] as string, decision: on });
      await saveDecision(t.db, { submissionId: ids[1] as string, decision: on });
      await new Promise((r) => setTimeout(r, 5));
      await saveDecision(t.db, { submissionId: ids[1] as string, decision: off });
      // Stored decisions only: the third family, never decided, is not evaluated here.
      const ctx = {
        ...service.context(t.db),
        decisions: createDecisionProvider({ db: t.db, rules: reportRulesOver() }),
      };
      const rows = await collectRows(
        await listReport(ctx, service.get('low-income-roster'), {
          org: pingchang,
          period: '2021-06',
          viewer: { pii: true },
        }),
      );
      const data = rows.filter((r) => r.kind === 'data');
      expect(data).toHaveLength(1);
      expect(data[0]?.cells.hardshipType).toBe('低保边缘户');
    });

    it('latestOutputs reads the same current decision as the rules plugin’s latestDecisions', async () => {
      // Rows written out of order, with equal times: the newest by (created_at, id) is current.
      const row = (id: string, submission: string, createdAt: string, tag: string) => ({
        id,
        submission_id: submission,
        ruleset_id: 'order-check',
        as_of: '2021-06-30',
        org_code: '511923102201',
        outputs: JSON.stringify({ tag }),
        explanation: '{}',
        created_at: createdAt,
        created_by: null,
      });
      const [a, b, c] = ids as [string, string, string];
      await rulesDb(t.db)
        .insertInto('rule_decisions')
        .values([
          row('dec_b', a, '2021-06-02T00:00:00.000Z', 'a-latest'),
          row('dec_a', a, '2021-06-02T00:00:00.000Z', 'a-same-time-lower-id'),
          row('dec_c', a, '2021-06-01T00:00:00.000Z', 'a-older'),
          row('dec_z', b, '2021-06-01T00:00:00.000Z', 'b-older-higher-id'),
          row('dec_y', b, '2021-06-03T00:00:00.000Z', 'b-latest'),
        ])
        .execute();
      const outputs = await latestOutputs(t.db, [a, b, c, a], 'order-check');
      const stored = await latestDecisions(t.db, [a, b, c], 'order-check');
      expect(Object.fromEntries(outputs)).toEqual({ [a]: { tag: 'a-latest' }, [b]: { tag: 'b-latest' } });
      expect(Object.fromEntries(outputs)).toEqual(
        Object.fromEntries([...stored].map(([id, d]) => [id, d.outputs])),
      );
    });
  });
}
