import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, type OrgUnit } from '../../../engine/entry/server.ts';
import { NxError } from '../../../engine/index.ts';
import { collectRows, listReport, reportServiceFromConfig } from '../../../plugins/report/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRulesService, insertSubmission, reportRulesOver, seedOrgUnits } from './seed-data.ts';

const rules = reportRulesOver(demoRulesService());

for (const dialect of dialects()) {
  describe(`one logic budget per report request (${dialect.name})`, () => {
    let t: TestDatabase;
    let bazhong: OrgUnit;
    beforeAll(async () => {
      t = await dialect.open();
      await seedOrgUnits(t.db);
      for (let i = 0; i < 40; i++) {
        await insertSubmission(t.db, {
          formId: 'household-survey',
          orgCode: '511923102201',
          data: makeHousehold(3000 + i) as unknown as Record<string, unknown>,
          createdAt: '2021-06-01T00:00:00.000Z',
        });
      }
      bazhong = (await getOrgUnit(t.db, '511900')) as OrgUnit;
    }, 60_000);
    afterAll(() => t.destroy());

    const roster = async (maxLogicSteps?: number) => {
      const service = reportServiceFromConfig(maxLogicSteps ? { maxLogicSteps } : {}, rules);
      const ctx = { ...service.context(t.db), now: () => '2021-07-05T00:00:00Z' };
      const req = { org: bazhong, period: '2021-06', viewer: { pii: true } };
      return collectRows(await listReport(ctx, service.get('low-income-roster'), req));
    };

    it('a roster within the budget is made whole', async () => {
      const rows = await roster();
      expect(rows.filter((r) => r.kind === 'data').length).toBeGreaterThan(0);
    });

    it('a roster over more rows than its budget allows stops with a coded error naming the request', async () => {
      // Every evaluation costs a step at least: 40 households × (decision + filter) exceed 60 steps.
      const err = await roster(60).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NxError);
      expect((err as NxError).code).toBe('NX_ERR_LOGIC_BUDGET_EXCEEDED');
      expect((err as NxError).statusCode).toBe(422);
      expect((err as NxError).errors?.[0]?.params).toEqual({ maxSteps: 60, scope: 'request' });
    });

    it('each request has its own budget: the next request of a service starts afresh', async () => {
      const service = reportServiceFromConfig({ maxLogicSteps: 100_000 }, rules);
      const req = { org: bazhong, period: '2021-06', viewer: { pii: true } };
      const run = async () =>
        collectRows(
          await listReport(
            { ...service.context(t.db), now: () => '2021-07-05T00:00:00Z' },
            service.get('low-income-roster'),
            req,
          ),
        );
      const first = await run();
      expect(await run()).toEqual(first);
      const a = service.context(t.db).logicBudget;
      const b = service.context(t.db).logicBudget;
      expect(a).not.toBe(b);
    });
  });
}
