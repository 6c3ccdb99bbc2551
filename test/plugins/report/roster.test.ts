import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, maskIdNumber, type OrgUnit } from '../../../engine/entry/server.ts';
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

    // The public notice and the payment list read applications and benefits:
    // test/plugins/benefits/application-flow.test.ts walks real cases through the server.

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
