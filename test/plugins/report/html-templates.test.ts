import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit, type OrgUnit } from '../../../engine/entry/server.ts';
import { text } from '../../../engine/index.ts';
import {
  BUILTIN_TEMPLATES_DIR,
  documentContext,
  fromArray,
  type ReportTable,
  renderTableHtml,
  reportServiceFromConfig,
  TemplateStore,
} from '../../../plugins/report/index.ts';
import type { ProvidedSource } from '../../../plugins/report/provided-source.ts';
import { makeHousehold } from '../../factories/household.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { insertSubmission, pluginReportRules, seedOrgUnits } from './seed-data.ts';

const table = (label: string, cell: string): ReportTable => ({
  id: 't',
  title: text('统计表', 'Table'),
  notes: [text('说明', 'Note')],
  columns: [
    { id: 'unit', label: text('单位', 'Unit'), format: 'text', total: false },
    { id: 'n', label: text(label, 'n'), format: 'integer', total: true },
    { id: 'm', label: text('金额', 'm'), format: 'money', total: true },
  ],
  groups: [{ label: text('分组', 'Group'), start: 1, span: 2 }],
  rows: fromArray([
    { kind: 'data', cells: { unit: cell, n: 1200, m: 3.5 } },
    { kind: 'total', cells: { unit: '合计', n: 1200, m: 3.5 } },
  ]),
});

describe('HTML through Handlebars templates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nx-templates-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('escapes a label and a cell containing <script>', async () => {
    const html = await renderTableHtml(
      table('<script>alert(1)</script>', '<img src=x onerror=alert(2)>'),
      new TemplateStore(),
      {
        orgPath: '/510000/',
      },
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('colspan="2"');
    expect(html).toContain('rowspan="2"');
    expect(html).toContain('1,200');
    expect(html).toContain('3.50');
  });

  it('no built-in template prints unescaped output; a template that does is refused', () => {
    for (const f of ['table', 'household-survey', 'family-notice']) {
      expect(readFileSync(join(BUILTIN_TEMPLATES_DIR, `${f}.hbs`), 'utf8')).not.toMatch(/\{\{\{|\{\{&/);
    }
    writeFileSync(join(dir, 'raw.hbs'), '<p>{{{title}}}</p>');
    expect(() => new TemplateStore([dir]).render('raw', '/510000/', { title: 'x' })).toThrow(/unescaped/);
  });

  it('a template override for one city changes that city’s output only (nearest ancestor wins)', async () => {
    mkdirSync(join(dir, '511900'), { recursive: true });
    mkdirSync(join(dir, '511923'), { recursive: true });
    writeFileSync(join(dir, '511900', 'table.hbs'), '<h1>巴中市样式 {{title}}</h1>');
    writeFileSync(join(dir, '511923', 'table.hbs'), '<h1>平昌县样式 {{title}}</h1>');
    const store = new TemplateStore([dir, BUILTIN_TEMPLATES_DIR]);
    const bazhong = await renderTableHtml(table('人数', 'a'), store, { orgPath: '/510000/511900/' });
    const bazhou = await renderTableHtml(table('人数', 'a'), store, { orgPath: '/510000/511900/511902/' });
    const pingchang = await renderTableHtml(table('人数', 'a'), store, {
      orgPath: '/510000/511900/511923/511923102/',
    });
    const chengdu = await renderTableHtml(table('人数', 'a'), store, { orgPath: '/510000/510100/' });
    const plain = await renderTableHtml(table('人数', 'a'), new TemplateStore(), {
      orgPath: '/510000/510100/',
    });
    expect(bazhong).toBe('<h1>巴中市样式 统计表</h1>');
    expect(bazhou).toBe(bazhong);
    expect(pingchang).toBe('<h1>平昌县样式 统计表</h1>');
    expect(chengdu).toBe(plain);
    expect(chengdu).toContain('<table>');
  });
});

const rules = await pluginReportRules();

for (const dialect of dialects().slice(0, 1)) {
  describe('printable documents', () => {
    let t: TestDatabase;
    let village: OrgUnit;
    let id: string;
    const service = reportServiceFromConfig({}, rules);
    const household = makeHousehold(77, { headName: '<b>王</b>五' } as never) as unknown as Record<
      string,
      unknown
    >;
    beforeAll(async () => {
      t = await dialect.open();
      await seedOrgUnits(t.db);
      id = await insertSubmission(t.db, {
        formId: 'household-survey',
        orgCode: '511923102201',
        data: household,
        createdAt: '2021-06-01T00:00:00.000Z',
      });
      village = (await getOrgUnit(t.db, '511923102201')) as OrgUnit;
    });
    afterAll(() => t.destroy());

    it('the blank household survey has every section, empty table rows, signature and fingerprint boxes', async () => {
      const def = service.get('household-survey-print');
      const ctx = await documentContext(service.context(t.db), def, { org: village, viewer: { pii: false } });
      const html = service.templates.render('household-survey', village.path, ctx);
      expect(html).toContain('农村低收入群众入户调查表');
      expect(html).toContain('入户调查人员签字');
      expect(html).toContain('困难户签字（指模）');
      expect(html).toContain('class="finger"');
      expect(html).toContain('家庭成员基本信息');
      expect(ctx.blank).toBe(true);
    });

    it('the filled survey shows the data escaped and the ID number masked without pii', async () => {
      const def = service.get('household-survey-print');
      const ctx = await documentContext(service.context(t.db), def, {
        org: village,
        viewer: { pii: false },
        submission: id,
      });
      const html = service.templates.render('household-survey', village.path, ctx);
      expect(html).toContain('&lt;b&gt;王&lt;/b&gt;五');
      const idNumber = household.headIdNumber as string;
      expect(html).not.toContain(idNumber);
      expect(html).toContain(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    });

    it('the family notice lists the lines a plugin provides for the family, with the hotline; none, no notice', async () => {
      const def = service.get('family-notice');
      const asked: { household?: string | undefined; orgPath: string }[] = [];
      const source = (lines: Record<string, unknown>[]): ProvidedSource => ({
        name: 'benefits.family',
        async *items(_db, q) {
          asked.push({ household: q.household, orgPath: q.orgPath });
          yield lines.map((data, n) => ({ id: `b${n}`, orgCode: village.code, orgPath: village.path, data }));
        },
      });
      const req = { org: village, viewer: { pii: true }, submission: id, period: '2021-06' };
      const received = source([{ item: '最低生活保障（低保）', amount: '123.40 元/月' }]);
      const ctx = await documentContext(
        { ...service.context(t.db), sources: () => received, contacts: { '511923': '0827-1234567' } },
        def,
        req,
      );
      const html = service.templates.render('family-notice', village.path, ctx);
      expect(html).toContain('&lt;b&gt;王&lt;/b&gt;五 户');
      expect(html).toContain('白衣村');
      expect(html).toContain('最低生活保障（低保）');
      expect(html).toContain('123.40 元/月');
      expect(html).toContain('截至 2021-06-30');
      // The county's hotline (nearest unit above the family), as the seed asks to publish it.
      expect(html).toContain('咨询和投诉举报电话：0827-1234567');
      // The source is asked for this family, within the caller's subtree.
      expect(asked).toEqual([{ household: household.headIdNumber, orgPath: village.path }]);
      // A family that receives nothing gets no notice at all, not one made up from a rule's suggestion.
      await expect(
        documentContext({ ...service.context(t.db), sources: () => source([]) }, def, req),
      ).rejects.toMatchObject({ code: 'NX_ERR_REPORT_NOTHING_TO_NOTIFY' });
    });

    it('a submission outside the caller’s subtree is not found', async () => {
      const chengdu = (await getOrgUnit(t.db, '510100')) as OrgUnit;
      await expect(
        documentContext(service.context(t.db), service.get('household-survey-print'), {
          org: chengdu,
          viewer: { pii: true },
          submission: id,
        }),
      ).rejects.toMatchObject({ code: 'NX_ERR_REPORT_NOT_FOUND' });
    });
  });
}
