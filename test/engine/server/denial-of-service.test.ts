import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../engine/definition/json-limits.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { field, form, L } from '../runtime/form-factory.ts';

/** Generous: each request below takes milliseconds; without the defences they take minutes. */
const BOUND_MS = 5000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A body nested `depth` levels deep, written out as text (no recursive stringify). */
const deepData = (depth: number) => `{"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

/** A form an administrator could publish today: a backtracking pattern and a cubic rule. */
const hostileForm = () =>
  form(
    [
      field('name', 'text', { pattern: '^(a+)+$' }),
      field('rows', 'table', { columns: [field('n', 'integer')] }),
      field('score', 'integer', {
        // rows × 5,000 × 10,000 comparisons: minutes of work without a budget.
        calculate: {
          count: [{ var: 'rows' }, { all: [{ merge: [range(5000)] }, { in: [{ var: '' }, range(10_000)] }] }],
        },
      }),
      field('label', 'text', {
        // Doubles a string once per row: 2^1000 characters without a size limit.
        calculate: {
          reduce: [{ var: 'rows' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'],
        },
      }),
    ],
    { id: 'hostile-form', title: L('恶意表单', 'Hostile form') },
  );

describe.each(dialects())('denial-of-service defences over HTTP on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t);
    const created = await a.call('admin', 'POST', '/api/forms', hostileForm());
    expect(created.statusCode, created.body).toBe(201);
    expect((await a.call('admin', 'POST', '/api/forms/hostile-form/publish')).statusCode).toBe(200);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const submit = (data: unknown) =>
    a.call('pingchangStaff', 'POST', '/api/forms/hostile-form/submissions', { data, status: 'submitted' });

  it('answers a hostile pattern and a hostile rule within a bound while another user is served', async () => {
    const timed = async <T>(p: Promise<T>) => {
      const t0 = performance.now();
      const value = await p;
      return { value, ms: performance.now() - t0 };
    };
    const rows = range(1000).map((n) => ({ n }));
    const [pattern, rule, other] = await Promise.all([
      timed(submit({ name: `${'a'.repeat(48)}b` })),
      timed(submit({ name: 'aaaa', rows })),
      timed(a.call('chengduStaff', 'GET', '/api/forms/test-household/submissions')),
    ]);
    expect(pattern.value.statusCode).toBe(422);
    expect((pattern.value.json() as { errors: { path: string; code: string }[] }).errors).toEqual([
      expect.objectContaining({ path: '/name', code: 'NX_ERR_VALUE_PATTERN' }),
    ]);
    expect(rule.value.statusCode).toBe(422);
    const ruleErrors = (rule.value.json() as { errors: { path: string; code: string }[] }).errors;
    expect(ruleErrors.map((e) => e.code)).toEqual([
      expect.stringMatching(/^NX_ERR_LOGIC_(BUDGET_EXCEEDED|RESULT_TOO_LARGE)$/),
    ]);
    expect(other.value.statusCode).toBe(200);
    for (const r of [pattern, rule, other]) expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it('refuses a body nested 10,000 levels with 400 and a code, also when it would be hashed', async () => {
    const variants: Record<string, string>[] = [{}, { 'idempotency-key': 'deep-1' }];
    for (const headers of variants) {
      const r = await a.call(
        'pingchangStaff',
        'POST',
        '/api/forms/test-household/submissions',
        deepData(10_000),
        {
          'content-type': 'application/json',
          ...headers,
        },
      );
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json() as { code: string; errors: { path: string; params: unknown }[] };
      expect(body.code).toBe('NX_ERR_HTTP_BODY_TOO_DEEP');
      expect(body.errors[0]?.params).toEqual({ maxDepth: MAX_JSON_DEPTH });
      expect(body.errors[0]?.path).toMatch(/^\/data(\/a)+$/);
    }
    const deepForm = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const r = await a.call('admin', 'POST', '/api/forms', deepForm, { 'content-type': 'application/json' });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { code: string }).code).toBe('NX_ERR_HTTP_BODY_TOO_DEEP');
    // Right at the limit, the body is read and judged on its content.
    const atLimit = await a.call(
      'pingchangStaff',
      'POST',
      '/api/forms/test-household/submissions',
      deepData(MAX_JSON_DEPTH - 2),
      { 'content-type': 'application/json' },
    );
    expect(atLimit.statusCode).not.toBe(400);
    expect(atLimit.statusCode).toBeLessThan(500);
  });

  it('refuses a definition with an oversized array literal, pointing at it', async () => {
    const def = form([field('x', 'integer', { visibleIf: { in: [{ var: 'x' }, range(150_000)] } })], {
      id: 'big-array',
    });
    const r = await a.call('admin', 'POST', '/api/forms', def);
    expect(r.statusCode).toBe(422);
    const body = r.json() as { code: string; errors: { path: string; code: string }[] };
    expect(body.code).toBe('NX_ERR_FORM_INVALID');
    expect(body.errors.map((e) => [e.code, e.path])).toEqual([
      ['NX_ERR_DEF_ARRAY_TOO_LONG', '/sections/0/fields/0/visibleIf/in/1'],
    ]);
  });

  it('refuses impossible dates in query strings with 400 and a pointer', async () => {
    for (const q of ['createdFrom=2021-02-30', 'createdTo=2021-13-01', 'createdFrom=yesterday']) {
      const r = await a.call('pingchangStaff', 'GET', `/api/forms/test-household/submissions?${q}`);
      expect(r.statusCode, q).toBe(400);
      const body = r.json() as { code: string; errors: { path: string }[] };
      expect(body.code).toBe('NX_ERR_HTTP_BAD_REQUEST');
      expect(body.errors[0]?.path).toMatch(/^\/querystring\/created(From|To)$/);
    }
    for (const q of ['createdFrom=2024-02-29', 'createdTo=2021-05-01T00:00:00Z']) {
      expect(
        (await a.call('pingchangStaff', 'GET', `/api/forms/test-household/submissions?${q}`)).statusCode,
      ).toBe(200);
    }
  });
});
