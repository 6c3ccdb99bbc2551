import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, migratePlugins } from '../../../engine/entry/server.ts';
import { loadPlugins } from '../../../engine/index.ts';

import {
  type BenefitsService,
  changeBenefit,
  createBenefit,
  type NewBenefit,
} from '../../../plugins/benefits/index.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const COUNTY = '/510000/511900/511923/';
const VILLAGE_PATH = `${COUNTY}511923102/511923102201/`;

const base = (over: Partial<NewBenefit> = {}): NewBenefit => ({
  householdKey: '511923196003150011',
  headName: '王秀英',
  orgCode: '511923102201',
  orgPath: VILLAGE_PATH,
  type: 'dibao',
  amountCents: 20330,
  startMonth: '2021-08',
  nextReviewOn: '2022-08-01',
  applicationId: 'app-1',
  caseId: 'case-1',
  decisionId: 'dec-1',
  reason: '审批通过',
  actor: 'pingchangReviewer',
  now: '2021-08-10T02:00:00.000Z',
  ...over,
});

for (const dialect of dialects()) {
  describe(`benefits service (${dialect.name})`, () => {
    let t: TestDatabase;
    let svc: BenefitsService;
    beforeAll(async () => {
      t = await dialect.open();
      const loaded = await loadPlugins(
        { plugins: ['rules', 'registers', 'report', 'benefits'] },
        {
          engineVersion: '0.1.0',
          builtins: builtinPlugins,
          logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        },
      );
      await migratePlugins(t.db, loaded);
      svc = loaded.services.get('benefits') as BenefitsService;
    });
    afterAll(async () => t.destroy());

    it('answers past months from the changes: adjust, suspend, resume, stop; one-offs in their month only', async () => {
      const b = await createBenefit(t.db, base());
      const one = await createBenefit(
        t.db,
        base({ type: 'linshi', amountCents: 150000, startMonth: '2021-09', applicationId: 'app-2' }),
      );
      const now = '2021-10-05T02:00:00.000Z';
      await changeBenefit(t.db, b.id, {
        action: 'adjust',
        amountCents: 25000,
        effectiveMonth: '2021-10',
        reason: '标准提高',
        actor: 'pingchangReviewer',
        now,
      });
      await changeBenefit(t.db, b.id, {
        action: 'suspend',
        effectiveMonth: '2021-12',
        reason: '外出务工待核实',
        actor: 'x',
        now,
      });
      await changeBenefit(t.db, b.id, {
        action: 'resume',
        effectiveMonth: '2022-02',
        reason: '核实无误',
        actor: 'x',
        now,
      });
      const stopped = await changeBenefit(t.db, b.id, {
        action: 'stop',
        effectiveMonth: '2022-05',
        reason: '收入超过标准',
        actor: 'x',
        now,
      });
      expect(stopped).toMatchObject({
        status: 'stopped',
        endMonth: '2022-04',
        amountCents: 25000,
        version: 5,
      });

      const amountIn = async (month: string) =>
        (await svc.payableForMonth(t.db, { orgPath: COUNTY, month })).map((p) => [p.type, p.amountCents]);
      expect(await amountIn('2021-07')).toEqual([]);
      expect(await amountIn('2021-08')).toEqual([['dibao', 20330]]);
      expect(await amountIn('2021-09')).toEqual([
        ['dibao', 20330],
        ['linshi', 150000],
      ]);
      expect(await amountIn('2021-10')).toEqual([['dibao', 25000]]);
      expect(await amountIn('2021-12')).toEqual([]);
      expect(await amountIn('2022-01')).toEqual([]);
      expect(await amountIn('2022-02')).toEqual([['dibao', 25000]]);
      expect(await amountIn('2022-04')).toEqual([['dibao', 25000]]);
      expect(await amountIn('2022-05')).toEqual([]);
      // Another county's path sees none of it.
      expect(
        await svc.payableForMonth(t.db, { orgPath: '/510000/511900/511902/', month: '2021-09' }),
      ).toEqual([]);

      const asOf = await svc.byHousehold(t.db, '511923196003150011', '2021-12-15');
      expect(asOf.map((x) => [x.type, x.statusAsOf, x.amountCentsAsOf])).toEqual([
        ['dibao', 'suspended', 25000],
        ['linshi', 'active', 150000],
      ]);
      expect((await svc.get(t.db, one.id))?.period).toBe('once');
      expect((await svc.changes(t.db, b.id)).map((c) => c.action)).toEqual([
        'create',
        'adjust',
        'suspend',
        'resume',
        'stop',
      ]);
      const audit = await listAudit(t.db, 'benefit', b.id);
      expect(audit.map((a) => a.action)).toContain('benefit.adjust');
    });

    it('refuses a change without a reason, an adjustment to 0, and a change before the last one', async () => {
      const b = await createBenefit(
        t.db,
        base({ applicationId: 'app-3', householdKey: '511923196003150022' }),
      );
      const req = { effectiveMonth: '2021-09', actor: 'x', now: '2021-09-01T00:00:00.000Z' };
      await expect(
        changeBenefit(t.db, b.id, { ...req, action: 'suspend', reason: ' ' }),
      ).rejects.toMatchObject({
        code: 'NX_ERR_BENEFITS_INVALID_CHANGE',
      });
      await expect(
        changeBenefit(t.db, b.id, { ...req, action: 'adjust', amountCents: 0, reason: 'r' }),
      ).rejects.toMatchObject({ code: 'NX_ERR_BENEFITS_INVALID_CHANGE' });
      await expect(
        changeBenefit(t.db, b.id, { ...req, action: 'resume', reason: 'r' }),
      ).rejects.toMatchObject({
        code: 'NX_ERR_BENEFITS_NOT_ALLOWED',
      });
      await changeBenefit(t.db, b.id, { ...req, effectiveMonth: '2021-11', action: 'suspend', reason: 'r' });
      await expect(
        changeBenefit(t.db, b.id, { ...req, effectiveMonth: '2021-10', action: 'resume', reason: 'r' }),
      ).rejects.toMatchObject({ code: 'NX_ERR_BENEFITS_INVALID_CHANGE' });
    });
  });
}
