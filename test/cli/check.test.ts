import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFormPath, submissionOf } from '../../cli/commands/check.ts';
import { fieldAt, validForm } from '../engine/definition/form-factory.ts';
import { runMain } from './run-main.ts';

const FIXTURES = 'test/fixtures/submissions/household-survey';
const dir = mkdtempSync(join(tmpdir(), 'nx-check-'));
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const miniForm = write('mini.json', validForm());
const ID = '11010519491231002X'; // GB 11643 example number: born 1949-12-31, female
const household = {
  name: '李秀英',
  idNumber: ID,
  health: 'good',
  size: 2,
  members: [{ memberName: '王强', income: 1200 }],
};

describe('nuanxin check', () => {
  it('prints { ok, errors, data } with --json, the data normalised and computed', async () => {
    const r = await runMain([
      'check',
      miniForm,
      write('ok.json', household),
      '--json',
      '--date',
      '2021-06-01',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.errors).toEqual([]);
    expect(out.data.age).toBe(71);
    expect(out.data.totalIncome).toBe(1200);
    expect(out.data.members[0].monthly).toBe(100);
  });

  it('--date sets ctx.today', async () => {
    const data = write('date.json', household);
    const later = JSON.parse(
      (await runMain(['check', miniForm, data, '--json', '--date', '2030-01-01'])).stdout,
    );
    expect(later.data.age).toBe(80);
  });

  it('exits 1 and lists the errors when the data is not valid', async () => {
    const wrong = write('wrong.json', { ...household, size: 5, name: undefined });
    const json = await runMain(['check', miniForm, wrong, '--json', '--date', '2021-06-01']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.ok).toBe(false);
    // The size rule is a form-level constraint: its error belongs to the whole form (path '').
    expect(out.errors.map((e: { path: string }) => e.path).sort()).toEqual(['', '/name']);
    const text = await runMain(['check', miniForm, wrong, '--date', '2021-06-01']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ 2 处错误 \/ 2 error\(s\)/);
    expect(text.stdout).toMatch(/^\/name {2}NX_ERR_VALUE_REQUIRED {2}/m);
    expect(text.stdout).toContain('家庭人口应等于成员数加户主');
  });

  it('--draft skips required checks', async () => {
    const draft = write('draft.json', { health: 'good' });
    const submit = await runMain(['check', miniForm, draft, '--json', '--date', '2021-06-01']);
    expect(JSON.parse(submit.stdout).errors.map((e: { code: string }) => e.code)).toContain(
      'NX_ERR_VALUE_REQUIRED',
    );
    const r = await runMain(['check', miniForm, draft, '--json', '--date', '2021-06-01', '--draft']);
    expect(JSON.parse(r.stdout).errors.map((e: { code: string }) => e.code)).not.toContain(
      'NX_ERR_VALUE_REQUIRED',
    );
  });

  it('resolves a form id in forms/ and reads a fixture envelope { data, context }', async () => {
    const fixture = join(FIXTURES, 'invalid-phone.json');
    const expected = JSON.parse(readFileSync(fixture, 'utf8')).expect;
    const r = await runMain(['check', 'household-survey', fixture, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.errors.map((e: { path: string; code: string }) => ({ path: e.path, code: e.code }))).toEqual(
      expected.errors,
    );
  });

  it('refuses a form with definition problems, printing them', async () => {
    const broken = validForm();
    fieldAt(broken, 0, 0).type = 'txet';
    const r = await runMain(['check', write('broken-form.json', broken), write('any.json', household)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(':/sections/0/fields/0/type  NX_ERR_DEF_UNKNOWN_TYPE');
  });

  it('reports an unknown form id, a bad --date and a data file with a syntax error', async () => {
    const missing = await runMain(['check', 'no-such-form', write('x.json', {})]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('forms/no-such-form.json')]);
    const badDate = await runMain(['check', miniForm, write('y.json', {}), '--date', '2021-02-30']);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('--date');
    const syntax = await runMain(['check', miniForm, write('z.json', '{"name": }')]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toContain('NX_ERR_DEF_JSON_SYNTAX');
  });

  it('unwraps an envelope only when it is one', () => {
    expect(submissionOf({ data: { a: 1 }, context: { today: '2021-01-01' } }, new Set())).toEqual({
      data: { a: 1 },
      context: { today: '2021-01-01' },
    });
    expect(submissionOf({ data: { a: 1 }, other: 2 }, new Set())).toEqual({
      data: { data: { a: 1 }, other: 2 },
      context: {},
    });
    expect(submissionOf({ data: { a: 1 } }, new Set(['data']))).toEqual({
      data: { data: { a: 1 } },
      context: {},
    });
    expect(resolveFormPath('household-survey')).toBe(join('forms', 'household-survey.json'));
    expect(resolveFormPath('x/y.json')).toBe('x/y.json');
  });
});
