import { describe, expect, it } from 'vitest';
import type { TableField } from '../../engine/definition/form-schema.ts';
import { makeVisitStatisticsBatch } from '../factories/visit-statistics.ts';
import { fieldIds, loadSeedForm, readForm, seedFormBasics } from './seed-forms.ts';

const ID = 'visit-statistics';

/** The seed's columns, left to right under its two-level header. */
const COLUMNS = [
  'county',
  'staffDispatched',
  'visits',
  'visitFunds',
  'partyVisits',
  'partyFunds',
  'veteranVisits',
  'veteranFunds',
  'included',
  'includedDibao',
  'includedTekun',
  'includedTemporary',
  'includedOther',
  'policyIssuesSolved',
  'casesSolved',
];

describe('forms/visit-statistics.json (附件1)', () => {
  const { definition, problems } = loadSeedForm(ID);

  it('loads with no problems', () => {
    expect(problems).toEqual([]);
    expect(definition.id).toBe(ID);
    expect((readForm(ID) as { $schema: string }).$schema).toBe('../schemas/form.schema.json');
  });

  it('reports on the five due dates, the 20 June one being the half-year report', () => {
    expect(definition.period).toEqual({
      kind: 'custom',
      dueDates: ['2021-06-03', '2021-06-20', '2021-09-03', '2021-12-03', '2022-01-04'],
    });
    const periodDue = definition.sections[0]?.fields.find((f) => f.id === 'periodDue') as {
      options: { value: string; label: { 'zh-CN': string } }[];
    };
    expect(periodDue.options.map((o) => o.value)).toEqual(definition.period?.dueDates);
    expect(periodDue.options.find((o) => o.value === '2021-06-20')?.label['zh-CN']).toContain(
      '上半年开展情况',
    );
  });

  it('has the header fields and exactly the seed columns, in order, with their units', () => {
    expect(fieldIds(definition)).toEqual([
      'reportingUnit',
      'periodDue',
      'fillDate',
      'filledBy',
      'phone',
      'rows',
      ...COLUMNS.map((c) => `rows.${c}`),
    ]);
    const rows = definition.sections.flatMap((s) => s.fields).find((f) => f.id === 'rows') as TableField;
    const units = Object.fromEntries(rows.columns.map((c) => [c.id, c.unit]));
    expect(units).toEqual({
      county: undefined,
      staffDispatched: '人次',
      visits: '人次',
      visitFunds: '元',
      partyVisits: '人次',
      partyFunds: '元',
      veteranVisits: '人次',
      veteranFunds: '元',
      included: '人',
      includedDibao: '人',
      includedTekun: '人',
      includedTemporary: '人',
      includedOther: '人',
      policyIssuesSolved: '个',
      casesSolved: '个',
    });
    // The upper header travels in the label of each column under it.
    const label = (id: string) => rows.columns.find((c) => c.id === id)?.label['zh-CN'];
    expect(label('visits')).toMatch(/^走访慰问低保、特困人员等特殊困难群众情况—人次数$/);
    expect(label('partyFunds')).toMatch(/^其中：生活困难的党员、老党员—支出资金（元）$/);
    expect(label('includedDibao')).toContain('通过走访发现并纳入救助范围的对象');
  });

  const form = seedFormBasics(ID);

  it('accepts 200 generated statistics tables', () => {
    for (const v of makeVisitStatisticsBatch(200, 6)) {
      const r = form.validate(v, { today: v.periodDue });
      expect(r.errors).toEqual([]);
    }
  });
});
