import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../engine/definition/load-form.ts';
import type { Problem } from '../../../engine/definition/problem.ts';
import { codes } from '../../../engine/errors/codes.ts';
import { createOperationRegistry } from '../../../engine/logic/registry.ts';
import { createFieldTypeRegistry } from '../../../engine/runtime/field-types/registry.ts';
import { fieldAt, type Json, validForm } from './form-factory.ts';

const problemsOf = (form: Json, opts?: Parameters<typeof loadForm>[1]): Problem[] => {
  const r = loadForm(form, opts);
  return r.ok ? [] : r.problems;
};
const pairs = (ps: Problem[]) => ps.map((p) => [p.code, p.pointer]);

/** Applies one mistake to the valid form and returns its problems. */
const broken = (mutate: (f: Json) => void, opts?: Parameters<typeof loadForm>[1]) => {
  const f = validForm();
  mutate(f);
  return problemsOf(f, opts);
};

describe('loadForm', () => {
  it('accepts a valid form and returns it typed', () => {
    const r = loadForm(validForm());
    expect(r.problems).toEqual([]);
    expect(r.ok && r.value.id).toBe('household-mini');
  });

  it('reports an unknown field type and lists the known ones in the hint', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 0).type = 'txet';
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_UNKNOWN_TYPE', '/sections/0/fields/0/type']]);
    expect(ps[0]?.hint.en).toContain('Did you mean "text"?');
    expect(ps[0]?.hint['zh-CN']).toContain('idcard');
  });

  it('reports a wrong property against the field type it names, not as union noise', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 3).display = 'radi';
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_NOT_ALLOWED', '/sections/0/fields/3/display']]);
    expect(ps[0]?.hint.en).toContain('"radio"');
  });

  it('reports schema violations with their own codes', () => {
    const ps = broken((f) => {
      delete (fieldAt(f, 0, 0).label as Json).en;
      fieldAt(f, 0, 1).lable = 'x';
      f.version = 0;
      f.id = 'Household Mini';
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_PATTERN', '/id'],
      ['NX_ERR_DEF_MISSING_PROPERTY', '/sections/0/fields/0/label'],
      ['NX_ERR_DEF_UNKNOWN_PROPERTY', '/sections/0/fields/1/lable'],
      ['NX_ERR_DEF_OUT_OF_RANGE', '/version'],
    ]);
    expect(ps[2]?.hint.en).toBe('Did you mean "label"?');
  });

  it('reports a field id used twice, even inside a group', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 0, 0).id = 'name';
    });
    expect(pairs(ps)).toContainEqual(['NX_ERR_DEF_DUPLICATE_ID', '/sections/1/fields/0/fields/0/id']);
    expect(ps.find((p) => p.code === 'NX_ERR_DEF_DUPLICATE_ID')?.hint.en).toContain('/sections/0/fields/0');
  });

  it('reports a column id used twice within one table, but allows a column to share a field id', () => {
    const twice = broken((f) => {
      fieldAt(f, 1, 0, 0, 1).id = 'memberName';
    });
    expect(pairs(twice)).toContainEqual([
      'NX_ERR_DEF_DUPLICATE_ID',
      '/sections/1/fields/0/fields/0/columns/1/id',
    ]);
    const shared = broken((f) => {
      fieldAt(f, 1, 0, 0, 0).id = 'name';
    });
    expect(shared).toEqual([]);
  });

  it('reports a section id used twice and a section rule naming an unknown field', () => {
    const ps = broken((f) => {
      const sections = f.sections as Json[];
      (sections[1] as Json).id = 'head';
      (sections[1] as Json).visibleIf = { '>': [{ var: 'sise' }, 1] };
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_DUPLICATE_ID', '/sections/1/id'],
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/1/visibleIf/>/0/var'],
    ]);
    expect(ps[1]?.hint.en).toBe('Did you mean "size"?');
  });

  it('does not let a rule read a group, which holds no data', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 4).visibleIf = { var: 'membersGroup' };
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/4/visibleIf/var']]);
  });

  it('reports a rule naming an unknown field, at the var, with a suggestion', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 4).visibleIf = { '==': [{ var: 'helth' }, 'ill'] };
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/4/visibleIf/==/0/var']]);
    expect(ps[0]?.hint.en).toBe('Did you mean "health"?');
  });

  it('checks requiredIf, constraints and form constraints too, and allows ctx.*', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 0).requiredIf = { var: 'nobody' };
      fieldAt(f, 0, 0).constraints = [
        { rule: { '<=': [{ var: 'ctx.today' }, { var: 'ghost' }] }, message: { 'zh-CN': '错', en: 'Wrong' } },
      ];
      (f.constraints as Json[]).push({ rule: { var: 'phantom' }, message: { 'zh-CN': '错', en: 'Wrong' } });
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/constraints/1/rule/var'],
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/0/constraints/0/rule/<=/1/var'],
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/0/requiredIf/var'],
    ]);
  });

  it('requires row.x to be a column of the enclosing table', () => {
    const wrongColumn = broken((f) => {
      fieldAt(f, 1, 0, 0, 2).calculate = { '/': [{ var: 'row.incme' }, 12] };
    });
    expect(pairs(wrongColumn)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/1/fields/0/fields/0/columns/2/calculate/~1/0/var'],
    ]);
    expect(wrongColumn[0]?.hint.en).toBe('Did you mean "row.income"?');
    const outsideTable = broken((f) => {
      fieldAt(f, 0, 4).visibleIf = { var: 'row.income' };
    });
    expect(pairs(outsideTable)).toEqual([['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/4/visibleIf/var']]);
  });

  it('does not treat reads inside a map/filter item scope as field names', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 1).calculate = {
        sum: [
          { map: [{ filter: [{ var: 'members' }, { '>': [{ var: 'income' }, 0] }] }, { var: 'income' }] },
        ],
      };
    });
    expect(ps).toEqual([]);
  });

  it('reports an unknown operation, and one with the wrong number of arguments', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 4).visibleIf = { and: [{ idcard_agee: [{ var: 'idNumber' }] }, { round: [1, 2, 3] }] };
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_OP', '/sections/0/fields/4/visibleIf/and/0/idcard_agee'],
      ['NX_ERR_DEF_ARITY', '/sections/0/fields/4/visibleIf/and/1/round'],
    ]);
    expect(ps[0]?.hint.en).toContain('idcard_age');
  });

  it('accepts an operation a plugin registered', () => {
    const operations = createOperationRegistry();
    operations.register({ name: 'dibao_line', arity: [0, 1], compile: () => () => 700 });
    const mutate = (f: Json) => {
      fieldAt(f, 0, 4).visibleIf = { '<': [{ var: 'totalIncome' }, { dibao_line: [] }] };
    };
    expect(pairs(broken(mutate))).toEqual([
      ['NX_ERR_DEF_UNKNOWN_OP', '/sections/0/fields/4/visibleIf/</1/dibao_line'],
    ]);
    expect(broken(mutate, { operations })).toEqual([]);
  });

  it('reports a calculation cycle naming it a → b → a', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 2).calculate = { '+': [{ var: 'totalIncome' }, 1] };
      fieldAt(f, 1, 1).calculate = { '*': [{ var: 'size' }, 100] };
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_CALC_CYCLE', '/sections/1/fields/1/calculate']]);
    expect(ps[0]?.params?.cycle).toEqual(['totalIncome', 'size', 'totalIncome']);
    expect(ps[0]?.message.en).toContain('totalIncome → size → totalIncome');
  });

  it('finds a cycle that runs through a table column and a sum over it', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 0, 0, 1).calculate = { '+': [{ var: 'totalIncome' }, 0] };
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_CALC_CYCLE', '/sections/1/fields/0/fields/0/columns/1/calculate'],
    ]);
    expect(ps[0]?.params?.cycle).toEqual(['members.income', 'totalIncome', 'members', 'members.income']);
  });

  it('reports a field calculated from itself', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 2).calculate = { '+': [{ var: 'size' }, 1] };
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_CALC_CYCLE', '/sections/1/fields/2/calculate']]);
    expect(ps[0]?.params?.cycle).toEqual(['size', 'size']);
  });

  it('reports duplicate option values (1 and "1" collide)', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 3).options = [
        { value: 1, label: { 'zh-CN': '一', en: 'One' } },
        { value: 'good', label: { 'zh-CN': '好', en: 'Good' } },
        { value: '1', label: { 'zh-CN': '一', en: 'One' } },
      ];
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_DUPLICATE_OPTION', '/sections/0/fields/3/options/2/value']]);
  });

  it('reports a pattern that is not a valid regular expression', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 0).pattern = '^[\\u4e00-\\u9fa5+$';
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_BAD_REGEX', '/sections/0/fields/0/pattern']]);
  });

  it.each([
    ['min', 'max', (f: Json) => fieldAt(f, 1, 2), 5, 4, '/sections/1/fields/2/min'],
    ['minLength', 'maxLength', (f: Json) => fieldAt(f, 0, 0), 30, 10, '/sections/0/fields/0/minLength'],
    ['minRows', 'maxRows', (f: Json) => fieldAt(f, 1, 0, 0), 9, 3, '/sections/1/fields/0/fields/0/minRows'],
    [
      'min',
      'max',
      (f: Json) => fieldAt(f, 1, 0, 0, 1),
      100,
      10,
      '/sections/1/fields/0/fields/0/columns/1/min',
    ],
  ] as const)('reports %s above %s', (lo, hi, pick, low, high, pointer) => {
    const ps = broken((f) => {
      const field = pick(f);
      field[lo] = low;
      field[hi] = high;
    });
    expect(pairs(ps)).toEqual([['NX_ERR_DEF_MIN_ABOVE_MAX', pointer]]);
  });

  it('reports minItems above maxItems of tick boxes and a date min above its max', () => {
    const ps = broken((f) => {
      const fields = (f.sections as Json[])[1]?.fields as Json[];
      fields.push({
        id: 'causes',
        type: 'multiselect',
        label: { 'zh-CN': '致贫原因', en: 'Causes of poverty' },
        options: [
          { value: 'illness', label: { 'zh-CN': '因病', en: 'Illness' } },
          { value: 'disaster', label: { 'zh-CN': '因灾', en: 'Disaster' } },
        ],
        minItems: 2,
        maxItems: 1,
      });
      fields.push({
        id: 'visited',
        type: 'date',
        label: { 'zh-CN': '走访日期', en: 'Visit date' },
        min: '2021-12-03',
        max: '2021-06-03',
      });
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_MIN_ABOVE_MAX', '/sections/1/fields/3/minItems'],
      ['NX_ERR_DEF_MIN_ABOVE_MAX', '/sections/1/fields/4/min'],
    ]);
  });

  it('reports a default that fails its own type or options', () => {
    const ps = broken((f) => {
      fieldAt(f, 0, 3).default = 'excellent';
      fieldAt(f, 1, 2).default = 0;
      fieldAt(f, 0, 0).default = 42;
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_BAD_DEFAULT', '/sections/0/fields/0/default'],
      ['NX_ERR_DEF_BAD_DEFAULT', '/sections/0/fields/3/default'],
      ['NX_ERR_DEF_BAD_DEFAULT', '/sections/1/fields/2/default'],
    ]);
    expect(ps[2]?.message.en).toContain('below min 1');
  });

  it('reports a calculate on a table or a group, once each', () => {
    const ps = broken((f) => {
      fieldAt(f, 1, 0).calculate = 1;
      fieldAt(f, 1, 0, 0).calculate = { var: 'size' };
    });
    expect(pairs(ps)).toEqual([
      ['NX_ERR_DEF_CALC_NOT_ALLOWED', '/sections/1/fields/0/calculate'],
      ['NX_ERR_DEF_CALC_NOT_ALLOWED', '/sections/1/fields/0/fields/0/calculate'],
    ]);
  });

  it('accepts a field type a plugin registered, and checks its common properties', () => {
    const fieldTypes = createFieldTypeRegistry().fork();
    fieldTypes.register({
      name: 'inkpad',
      options: Type.Object({
        pad: Type.Optional(Type.Union([Type.Literal('ink'), Type.Literal('fingerprint')])),
      }),
      compile: () => (raw) => ({ value: raw }),
    });
    const sig = {
      id: 'sign',
      type: 'inkpad',
      label: { 'zh-CN': '户主签字', en: 'Signature' },
      pad: 'ink',
    };
    const fieldsOf = (f: Json) => ((f.sections as Json[])[1] as Json).fields as Json[];
    const add = (f: Json) => fieldsOf(f).push(structuredClone(sig));
    expect(pairs(broken(add))).toEqual([['NX_ERR_DEF_UNKNOWN_TYPE', '/sections/1/fields/3/type']]);
    expect(broken(add, { fieldTypes })).toEqual([]);
    const badLabel = broken(
      (f) => {
        add(f);
        (fieldsOf(f)[3] as Json).label = 'x';
      },
      { fieldTypes },
    );
    expect(pairs(badLabel)).toEqual([['NX_ERR_DEF_WRONG_TYPE', '/sections/1/fields/3/label']]);
    const badOption = broken(
      (f) => {
        add(f);
        (fieldsOf(f)[3] as Json).pad = 'pen';
        (fieldsOf(f)[3] as Json).colour = 'blue';
      },
      { fieldTypes },
    );
    expect(pairs(badOption)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_PROPERTY', '/sections/1/fields/3/colour'],
      ['NX_ERR_DEF_NOT_ALLOWED', '/sections/1/fields/3/pad'],
    ]);
  });

  it('returns every problem of a definition with many, each with file, code, message and hint', () => {
    const ps = broken(
      (f) => {
        fieldAt(f, 0, 0).type = 'txet';
        fieldAt(f, 0, 4).id = 'health';
        fieldAt(f, 0, 3).options = [
          { value: 'a', label: { 'zh-CN': '甲', en: 'A' } },
          { value: 'a', label: { 'zh-CN': '乙', en: 'B' } },
        ];
        fieldAt(f, 0, 3).default = 'a';
        fieldAt(f, 0, 2).calculate = { idcard_agee: [{ var: 'idNumbr' }] };
        fieldAt(f, 1, 2).calculate = { '+': [{ var: 'totalIncome' }, 1] };
        fieldAt(f, 1, 1).calculate = { '+': [{ var: 'size' }, 1] };
        fieldAt(f, 0, 1).pattern = '(';
        fieldAt(f, 1, 2).min = 40;
      },
      { file: 'forms/household-mini.json' },
    );
    expect(new Set(ps.map((p) => p.code))).toEqual(
      new Set([
        'NX_ERR_DEF_UNKNOWN_TYPE',
        'NX_ERR_DEF_DUPLICATE_ID',
        'NX_ERR_DEF_DUPLICATE_OPTION',
        'NX_ERR_DEF_UNKNOWN_OP',
        'NX_ERR_DEF_UNKNOWN_FIELD',
        'NX_ERR_DEF_CALC_CYCLE',
        'NX_ERR_DEF_UNKNOWN_PROPERTY',
        'NX_ERR_DEF_MIN_ABOVE_MAX',
      ]),
    );
    // idcard field has no `pattern`: the schema says so rather than a regex error.
    expect(pairs(ps)).toContainEqual(['NX_ERR_DEF_UNKNOWN_PROPERTY', '/sections/0/fields/1/pattern']);
    for (const p of ps) {
      expect(p.file).toBe('forms/household-mini.json');
      expect(codes[p.code], p.code).toBeDefined();
      expect(p.pointer).toMatch(/^(\/[^/]+)+$/);
      for (const t of [p.message, p.hint]) {
        expect(t['zh-CN'].length).toBeGreaterThan(0);
        expect(t.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('reports the structure problem of something that is not a form at all', () => {
    expect(pairs(problemsOf([] as unknown as Json))).toEqual([['NX_ERR_DEF_WRONG_TYPE', '']]);
    expect(pairs(problemsOf({}))).toEqual([
      ['NX_ERR_DEF_MISSING_PROPERTY', ''],
      ['NX_ERR_DEF_MISSING_PROPERTY', ''],
      ['NX_ERR_DEF_MISSING_PROPERTY', ''],
      ['NX_ERR_DEF_MISSING_PROPERTY', ''],
    ]);
  });
});
