import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, maskIdNumber, type OrgUnit } from '../../../engine/index.ts';
import {
  collectRows,
  createDecisionProvider,
  csvField,
  listReport,
  reportServiceFromConfig,
  writeCsv,
} from '../../../plugins/report/index.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { demoRulesService, insertSubmission, reportRulesOver, seedOrgUnits } from './seed-data.ts';

const rules = demoRulesService();
const service = reportServiceFromConfig({});
const AS_OF = '2021-06-30';

for (const dialect of dialects()) {
  describe(`附件3 roster and public notice (${dialect.name})`, () => {
    let t: TestDatabase;
    let bazhong: OrgUnit;
    let chengdu: OrgUnit;
    const households: { id: string; org: string; data: Record<string, unknown> }[] = [];
    const ctx = () => ({
      ...service.context(t.db),
      decisions: createDecisionProvider({ db: t.db, rules: reportRulesOver(rules) }),
      now: () => '2021-07-05T00:00:00Z',
    });
    beforeAll(async () => {
      t = await dialect.open();
      await seedOrgUnits(t.db);
      const orgs = ['511923102201', '511902', '510104'];
      for (let i = 0; i < 60; i++) {
        const data = makeHousehold(1000 + i) as unknown as Record<string, unknown>;
        const org = orgs[i % orgs.length] as string;
        const id = await insertSubmission(t.db, {
          formId: 'household-survey',
          orgCode: org,
          data,
          createdAt: `2021-06-0${(i % 9) + 1}T00:00:00.000Z`,
        });
        households.push({ id, org, data });
      }
      bazhong = (await getOrgUnit(t.db, '511900')) as OrgUnit;
      chengdu = (await getOrgUnit(t.db, '510100')) as OrgUnit;
    }, 60_000);
    afterAll(() => t.destroy());

    /** What the rules say, household by household, independently of the report. */
    async function expectedInRoster(underPath: string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (const h of households) {
        if (!underPath.some((p) => h.org.startsWith(p))) continue;
        const d = await rules.evaluate('household-eligibility', h.data, { orgCode: h.org, asOf: AS_OF });
        if (d.outputs.inRoster === true) out.add(h.data.headIdNumber as string);
      }
      return out;
    }

    it('contains exactly the families the rules put on the roster, in the seed’s 11 columns', async () => {
      const table = await listReport(ctx(), service.get('low-income-roster'), {
        org: bazhong,
        period: '2021-06',
        viewer: { pii: true },
      });
      expect(table.columns.map((c) => c.label['zh-CN'])).toEqual([
        '序号',
        '姓名',
        '性别',
        '身份证号码',
        '家庭人口',
        '户籍所在地',
        '家庭人均收入',
        '致贫原因',
        '城市/农村',
        '联系方式',
        '困难类型',
      ]);
      const rows = await collectRows(table);
      const data = rows.filter((r) => r.kind === 'data');
      const expected = await expectedInRoster(['5119']);
      expect(expected.size).toBeGreaterThan(0);
      expect(new Set(data.map((r) => r.cells.idNumber))).toEqual(expected);
      expect(data.map((r) => r.cells.seq)).toEqual(data.map((_, i) => i + 1));
      expect(data.every((r) => r.cells.sex === '男' || r.cells.sex === '女')).toBe(true);
      const total = rows.at(-1);
      expect(total?.kind).toBe('total');
      expect(total?.cells.householdSize).toBe(
        data.reduce((a, r) => a + (r.cells.householdSize as number), 0),
      );
    });

    it('a subtree: Chengdu’s roster holds only Chengdu families', async () => {
      const rows = await collectRows(
        await listReport(ctx(), service.get('low-income-roster'), {
          org: chengdu,
          period: '2021-06',
          viewer: { pii: true },
        }),
      );
      const ids = new Set(rows.filter((r) => r.kind === 'data').map((r) => r.cells.idNumber));
      expect(ids).toEqual(await expectedInRoster(['5101']));
    });

    it('masks ID numbers and phones without pii, shows them whole with it', async () => {
      const req = { org: bazhong, period: '2021-06' };
      const masked = (
        await collectRows(
          await listReport(ctx(), service.get('low-income-roster'), { ...req, viewer: { pii: false } }),
        )
      ).filter((r) => r.kind === 'data');
      const whole = (
        await collectRows(
          await listReport(ctx(), service.get('low-income-roster'), { ...req, viewer: { pii: true } }),
        )
      ).filter((r) => r.kind === 'data');
      expect(masked.length).toBe(whole.length);
      masked.forEach((m, i) => {
        const w = whole[i];
        expect(w?.cells.idNumber).toMatch(/^\d{17}[\dX]$/);
        expect(m.cells.idNumber).toBe(maskIdNumber(w?.cells.idNumber as string));
        expect(m.cells.contact).toMatch(/^\d{3}\*+\d{4}$/);
        expect(m.cells.name).toBe(w?.cells.name);
      });
    });

    it('the public notice lists cases in their notice period or approved, never a rejected family or one that did not apply, and always masks ID numbers', async () => {
      const path = (org: string) =>
        org === '511902' ? '/510000/511900/511902/' : '/510000/511900/511923/511923102/511923102201/';
      // Households the payment-list test below leaves alone (i % 4 === 3): half in notice, half rejected.
      const spare = households.filter((h, i) => h.org.startsWith('5119') && i % 4 === 3);
      const inNotice = spare.filter((_, i) => i % 2 === 0);
      const rejected = spare.filter((_, i) => i % 2 === 1);
      for (const [h, state] of [
        ...inNotice.map((h) => [h, 'public_notice'] as const),
        ...rejected.map((h) => [h, 'rejected'] as const),
      ]) {
        const at = '2021-06-20T00:00:00.000Z';
        await t.db
          .withTables<{ workflow_instances: Record<string, unknown> }>()
          .insertInto('workflow_instances')
          .values({
            id: `wf-notice-${h.id}`,
            submission_id: h.id,
            workflow_id: 'assistance-application',
            workflow_version: 1,
            state,
            submitter_id: 'test',
            org_code: h.org,
            org_path: path(h.org),
            entered_at: at,
            approvals: '[]',
            version: 1,
            deadline_at: null,
            timer_due_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      const rows = await collectRows(
        await listReport(ctx(), service.get('public-notice'), {
          org: bazhong,
          period: '2021-06',
          viewer: { pii: true },
        }),
      );
      const data = rows.filter((r) => r.kind === 'data');
      expect(data.length).toBeGreaterThan(0);
      const noticeIds = new Set(inNotice.map((h) => maskIdNumber(h.data.headIdNumber as string)));
      const rejectedIds = new Set(rejected.map((h) => maskIdNumber(h.data.headIdNumber as string)));
      for (const r of data) {
        expect(r.cells.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
        expect(['低保', '易致贫返贫户', '低保边缘户', '支出型困难户']).toContain(r.cells.assistanceType);
        expect(noticeIds.has(r.cells.idNumber as string)).toBe(true);
        expect(rejectedIds.has(r.cells.idNumber as string)).toBe(false);
      }
    });

    it('the payment list holds the cases the county approved, with subtotals per county and a total', async () => {
      const approved = households.filter((h, i) => h.org.startsWith('5119') && i % 4 === 0);
      const pending = households.filter((h, i) => h.org.startsWith('5119') && i % 4 === 1);
      const path = (org: string) =>
        org === '511902' ? '/510000/511900/511902/' : '/510000/511900/511923/511923102/511923102201/';
      for (const [h, state, at] of [
        ...approved.map(
          (h, i) =>
            [
              h,
              ['finance_allocation', 'bank_disbursement', 'disbursed'][i % 3] as string,
              '2021-06-20T00:00:00.000Z',
            ] as const,
        ),
        ...pending.map((h) => [h, 'township_review', '2021-06-20T00:00:00.000Z'] as const),
        // Approved only after the period: not paid for June.
        ...households
          .filter((h, i) => h.org.startsWith('5119') && i % 4 === 2)
          .map((h) => [h, 'disbursed', '2021-07-02T00:00:00.000Z'] as const),
      ]) {
        await t.db
          .withTables<{ workflow_instances: Record<string, unknown> }>()
          .insertInto('workflow_instances')
          .values({
            id: `wf-${h.id}`,
            submission_id: h.id,
            workflow_id: 'assistance-application',
            workflow_version: 1,
            state,
            submitter_id: 'test',
            org_code: h.org,
            org_path: path(h.org),
            entered_at: at,
            approvals: '[]',
            version: 1,
            deadline_at: null,
            timer_due_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      const rows = await collectRows(
        await listReport(ctx(), service.get('payment-list'), {
          org: bazhong,
          period: '2021-06',
          viewer: { pii: true },
        }),
      );
      const data = rows.filter((r) => r.kind === 'data');
      expect(new Set(data.map((r) => r.cells.idNumber))).toEqual(
        new Set(approved.map((h) => h.data.headIdNumber)),
      );
      const subtotals = rows.filter((r) => r.kind === 'subtotal');
      expect(subtotals.map((r) => r.cells.seq)).toEqual(['巴州区小计', '平昌县小计']);
      const money = (xs: typeof rows) =>
        Math.round(xs.reduce((a, r) => a + ((r.cells.monthlyAmount as number) ?? 0), 0) * 100) / 100;
      for (const s of subtotals) {
        const county = s.cells.seq === '巴州区小计' ? '巴州区' : '平昌县';
        expect(s.cells.monthlyAmount).toBe(money(data.filter((r) => r.cells.county === county)));
      }
      expect(rows.at(-1)?.cells.monthlyAmount).toBe(money(data));
    });

    it('CSV guards against formula injection and quotes per RFC 4180', async () => {
      expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
      expect(csvField('+1')).toBe("'+1");
      expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
      expect(csvField('-2')).toBe("'-2");
      expect(csvField(-2)).toBe('-2');
      expect(csvField('a,b')).toBe('"a,b"');
      expect(csvField('line\nbreak')).toBe('"line\nbreak"');
      const table = await listReport(ctx(), service.get('low-income-roster'), {
        org: bazhong,
        period: '2021-06',
        viewer: { pii: false },
      });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const n = await writeCsv(table, out);
      out.end();
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text.startsWith('\uFEFF序号,姓名,性别,身份证号码')).toBe(true);
      expect(text.split('\r\n').filter(Boolean).length).toBe(n + 1);
    });
  });
}
