import { describe, expect, it } from 'vitest';
import type { TableField } from '../../engine/definition/form-schema.ts';
import { makeRoster } from '../factories/roster.ts';
import { fieldIds, loadSeedForm, readForm, seedFormBasics } from './seed-forms.ts';

const ID = 'low-income-roster';

describe('forms/low-income-roster.json (附件3)', () => {
  const { definition, problems } = loadSeedForm(ID);

  it('loads with no problems', () => {
    expect(problems).toEqual([]);
    expect(definition.id).toBe(ID);
    expect((readForm(ID) as { $schema: string }).$schema).toBe('../schemas/form.schema.json');
  });

  it('has the seed columns (序号 being the row number) and the three hardship types of its notes', () => {
    expect(fieldIds(definition)).toEqual([
      'reportingUnit',
      'fillDate',
      'families',
      'families.name',
      'families.sex',
      'families.idNumber',
      'families.householdSize',
      'families.registeredResidence',
      'families.perCapitaIncome',
      'families.povertyCause',
      'families.areaType',
      'families.contact',
      'families.hardshipType',
    ]);
    const families = definition.sections
      .flatMap((s) => s.fields)
      .find((f) => f.id === 'families') as TableField;
    expect(families.help?.['zh-CN']).toContain('序号');
    const hardship = families.columns.find((c) => c.id === 'hardshipType') as {
      options: { value: string; label: { 'zh-CN': string } }[];
    };
    expect(hardship.options.map((o) => [o.value, o.label['zh-CN'].replace(/（.*）$/, '')])).toEqual([
      ['at_risk', '易致贫返贫户'],
      ['marginal', '低保边缘户'],
      ['expense', '支出型困难户'],
    ]);
    // The three notes of the seed are in the help texts.
    const helps = JSON.stringify(readForm(ID));
    for (const note of ['说明：1.', '2.“家庭人均收入”', '3.“困难类型”']) expect(helps).toContain(note);
  });

  const form = seedFormBasics(ID);

  it('accepts rosters built from generated households', () => {
    for (let seed = 100; seed < 120; seed++) {
      const r = form.validate(makeRoster(seed, 50), { today: '2021-06-01' });
      expect(r.errors).toEqual([]);
    }
  });
});
