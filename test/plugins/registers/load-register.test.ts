import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  entersWhen,
  formsOfDir,
  loadRegister,
  loadRegisters,
  normaliseKey,
} from '../../../plugins/registers/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const shipped = JSON.parse(readFileSync(join(ROOT, 'registers', 'households.json'), 'utf8')) as Record<
  string,
  unknown
>;
const forms = formsOfDir(join(ROOT, 'forms'));
const clone = () =>
  structuredClone(shipped) as Record<string, unknown> & { forms: Record<string, unknown>[] };

describe('register definitions', () => {
  it('loads the shipped households register bound to the household survey', () => {
    const defs = loadRegisters();
    expect(defs.map((d) => d.id)).toEqual(['households']);
    expect(defs[0]?.forms[0]?.form).toBe('household-survey');
  });

  it('points at a bound field the form does not have, and at one of the wrong type', () => {
    const def = clone();
    const binding = def.forms[0] as { properties: Record<string, string>; key: string };
    binding.properties.headName = 'noSuchField';
    binding.properties.householdSize = 'headName';
    binding.key = 'phone';
    const r = loadRegister(def, { forms });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.pointer, p.code])).toEqual(
      expect.arrayContaining([
        ['/forms/0/properties/headName', 'NX_ERR_REGISTERS_UNKNOWN_FIELD'],
        ['/forms/0/properties/householdSize', 'NX_ERR_REGISTERS_FIELD_TYPE'],
        ['/forms/0/key', 'NX_ERR_REGISTERS_FIELD_TYPE'],
      ]),
    );
    for (const p of r.problems) {
      expect(p.message['zh-CN'].length).toBeGreaterThan(0);
      expect(p.hint.en.length).toBeGreaterThan(0);
    }
  });

  it('refuses a reserved property id, a missing active status and an unknown form', () => {
    const def = clone();
    (def.properties as { id: string }[])[0] = { ...(def.properties as object[])[0], id: 'key' } as {
      id: string;
    };
    def.statuses = [{ id: 'closed', label: { 'zh-CN': '注销', en: 'Closed' } }];
    (def.forms[0] as { form: string }).form = 'household-surveys';
    const r = loadRegister(def, { forms });
    expect(r.problems.map((p) => [p.pointer, p.code])).toEqual(
      expect.arrayContaining([
        ['/properties/0/id', 'NX_ERR_REGISTERS_DUPLICATE_ID'],
        ['/statuses', 'NX_ERR_REGISTERS_BAD_STATUS'],
        ['/forms/0/form', 'NX_ERR_REGISTERS_UNKNOWN_FORM'],
      ]),
    );
  });

  it('reads when as a JSON Logic rule over status and data, the short form too, and points at a bad one', () => {
    const rule = {
      and: [{ in: [{ var: 'status' }, ['submitted']] }, { '>': [{ var: 'data.householdSize' }, 0] }],
    };
    const enters = entersWhen({ when: rule });
    expect(enters('submitted', { householdSize: 3 })).toBe(true);
    expect(enters('submitted', { householdSize: 0 })).toBe(false);
    expect(enters('draft', { householdSize: 3 })).toBe(false);
    const short = entersWhen({ when: { status: ['submitted', 'approved'] } });
    expect([short('approved', {}), short('draft', {}), short(undefined, {})]).toEqual([true, false, false]);

    const ok = clone();
    (ok.forms[0] as { when: unknown }).when = { status: ['submitted'] };
    expect(loadRegister(ok, { forms }).ok).toBe(true);

    const bad = clone();
    (bad.forms[0] as { when: unknown }).when = { and: [{ no_such_op: [1] }] };
    const r = loadRegister(bad, { forms });
    expect(r.ok).toBe(false);
    expect(r.problems[0]?.pointer.startsWith('/forms/0/when')).toBe(true);

    const reads = clone();
    (reads.forms[0] as { when: unknown }).when = { '==': [{ var: 'ctx.today' }, '2021-06-30'] };
    expect(loadRegister(reads, { forms }).problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/forms/0/when', 'NX_ERR_REGISTERS_BAD_WHEN'],
    ]);
    const notRule = clone();
    (notRule.forms[0] as { when: unknown }).when = 'submitted';
    expect(loadRegister(notRule, { forms }).problems.map((p) => p.code)).toEqual([
      'NX_ERR_REGISTERS_BAD_WHEN',
    ]);
  });

  it('refuses an id that would not be a plain SQL identifier, with the schema pointer', () => {
    const def = clone();
    def.id = 'house"holds; drop table x';
    const r = loadRegister(def, { forms });
    expect(r.ok).toBe(false);
    expect(r.problems[0]?.pointer).toBe('/id');
  });

  it('reads an ID number case-insensitively in its check character and refuses malformed ones', () => {
    expect(normaliseKey('idcard', ' 51192319600315123x ')).toBe('51192319600315123X');
    expect(normaliseKey('idcard', '5119231960031512')).toBeUndefined();
    expect(normaliseKey('text', '  a ')).toBe('a');
    expect(normaliseKey('text', '   ')).toBeUndefined();
  });
});
