import fc from 'fast-check';

/**
 * Arbitraries (fast-check) for definitions and submissions an attacker with an administrator's
 * or a field worker's account could send: random field types and options, patterns taken from a
 * pool of hostile and broken ones, and random JSON Logic rules with loops over data and large
 * constant arrays.
 */

const L = (s: string) => ({ 'zh-CN': s, en: s });

export const HOSTILE_PATTERNS = [
  '^(a+)+$',
  '(a|aa)+$',
  '^(\\w+\\s?)*$',
  '(a)\\1',
  'x(?=y)',
  '(?<!a)b',
  '[',
  '^\\p{Script=Han}+$',
  '^\\d{6}$',
  '[\\p{Han}]{1000}[\\p{Han}]{1000}[\\p{Han}]{1000}',
];

const ids = ['f0', 'f1', 'f2', 'f3', 'rows'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...ids, '', 'ctx.today').map((v) => ({ var: v })),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('a', 'ab', '', 'other'),
  fc.boolean(),
  fc.constantFrom(5, 200, 3000).map((n) => range(n)),
);

const OPS = [
  'and',
  'or',
  'if',
  '==',
  '<',
  '+',
  '!',
  'cat',
  'in',
  'merge',
  'map',
  'filter',
  'all',
  'some',
  'none',
  'reduce',
  'count',
  'sum',
  'substr',
  'missing',
] as const;

/** A JSON Logic rule of bounded depth over the fields f0…f3 and the table `rows`. */
export const ruleArb: fc.Arbitrary<unknown> = fc.letrec<{ rule: unknown }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(fc.constantFrom(...OPS), fc.array(tie('rule'), { minLength: 1, maxLength: 3 }))
      .map(([op, args]) =>
        op === 'reduce'
          ? { reduce: [args[0], { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'] }
          : { [op]: args },
      ),
  ),
})).rule;

const fieldArb = (id: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record(
      {
        type: fc.constantFrom('text', 'textarea', 'integer', 'number', 'money', 'date', 'select', 'boolean'),
        pattern: fc.oneof(fc.constantFrom(...HOSTILE_PATTERNS), fc.string({ maxLength: 12 })),
        required: fc.boolean(),
        visibleIf: ruleArb,
        calculate: ruleArb,
        constraint: ruleArb,
        use: fc.array(fc.constantFrom('pattern', 'required', 'visibleIf', 'calculate', 'constraint'), {
          maxLength: 3,
        }),
      },
      { requiredKeys: ['type', 'use'] },
    )
    .map((r) => {
      const f: Record<string, unknown> = { id, type: r.type, label: L(id) };
      if (r.type === 'select')
        f.options = [
          { value: 'a', label: L('a') },
          { value: 'b', label: L('b') },
        ];
      for (const u of r.use) {
        if (u === 'pattern' && (r.type === 'text' || r.type === 'textarea')) f.pattern = r.pattern;
        if (u === 'required') f.required = r.required;
        if (u === 'visibleIf' && r.visibleIf !== undefined) f.visibleIf = r.visibleIf;
        if (u === 'calculate' && r.calculate !== undefined) f.calculate = r.calculate;
        if (u === 'constraint' && r.constraint !== undefined)
          f.constraints = [{ rule: r.constraint, message: L('no') }];
      }
      return f;
    });

/** A random form: up to four fields and a table, each maybe with a pattern and random rules. */
export const formArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.tuple(fieldArb('f0'), fieldArb('f1'), fieldArb('f2'), fieldArb('f3')),
    fc.option(fieldArb('n'), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
  )
  .map(([n, fields, column, maxRows]) => {
    const list: Record<string, unknown>[] = fields.slice(0, n);
    if (column) {
      list.push({
        id: 'rows',
        type: 'table',
        label: L('rows'),
        columns: [column],
        ...(maxRows === undefined ? {} : { maxRows }),
      });
    }
    return {
      id: 'random-form',
      version: 1,
      title: L('random'),
      sections: [{ id: 'main', title: L('main'), fields: list }],
    };
  });

/** Values a client could send for a field: hostile strings, numbers, dates, long arrays. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(`${'a'.repeat(48)}b`, 'a'.repeat(49), '张三', '2021-02-30', '2024-02-29', 'b', ''),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1500, 20).map((n) => range(n).map((i) => ({ n: i }))),
);

/** A submission for `formArb`'s forms. */
export const submissionArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { f0: valueArb, f1: valueArb, f2: valueArb, f3: valueArb, rows: valueArb },
  { requiredKeys: [] },
);

/** Overlay operations on the household form's fields, valid or not. */
export const overlayOperationArb = (fields: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...fields), fc.constantFrom(...HOSTILE_PATTERNS))
      .map(([field, pattern]) => ({ op: 'tighten', field, pattern })),
    fc.tuple(fc.constantFrom(...fields), ruleArb).map(([field, rule]) => ({
      op: 'tighten',
      field,
      constraint: { rule, message: L('no') },
    })),
    fc.tuple(fc.constantFrom(...fields), ruleArb).map(([after, visibleIf]) => ({
      op: 'addField',
      after,
      field: { id: 'extra', type: 'text', label: L('extra'), visibleIf },
    })),
    fc.constantFrom(...fields).map((field) => ({ op: 'hideField', field })),
    fc.jsonValue({ maxDepth: 2 }),
  );
