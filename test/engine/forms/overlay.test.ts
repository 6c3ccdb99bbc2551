import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../engine/definition/load-form.ts';
import { applyOverlay } from '../../../engine/forms/apply-overlay.ts';
import { loadOverlay } from '../../../engine/forms/load-overlay.ts';
import { locateField } from '../../../engine/forms/locate-field.ts';
import type { FormOverlay } from '../../../engine/forms/overlay-schema.ts';
import { householdForm } from '../../helpers/forms.ts';

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const base = householdForm();

const apply = (operations: FormOverlay['operations']) => applyOverlay(base, { form: base.id, operations });

describe('applyOverlay', () => {
  it('the fixture is itself a valid form', () => {
    expect(loadForm(base).problems).toEqual([]);
  });

  it('adds a field after another, into a section, and a column into a table, without changing the base', () => {
    const r = apply([
      {
        op: 'addField',
        after: 'headName',
        field: { id: 'nickname', type: 'text', label: t('曾用名', 'Former name') },
      },
      { op: 'addField', into: 'family', field: { id: 'notes', type: 'textarea', label: t('备注', 'Notes') } },
      { op: 'addField', into: 'members', field: { id: 'age', type: 'integer', label: t('年龄', 'Age') } },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.sections[0]?.fields.map((f) => f.id).slice(0, 2)).toEqual(['headName', 'nickname']);
    expect(r.value.sections[1]?.fields.map((f) => f.id)).toEqual(['members', 'notes']);
    expect(locateField(r.value, 'members.age')?.field.type).toBe('integer');
    expect(locateField(base, 'nickname')).toBeUndefined();
  });

  it('hides, relabels, changes options and calculations', () => {
    const r = apply([
      { op: 'hideField', field: 'phone' },
      { op: 'relabel', field: 'members.name', label: t('成员姓名', 'Member name') },
      { op: 'relabel', field: 'family', label: t('共同生活成员', 'Household members') },
      { op: 'setOptions', field: 'health', options: [{ value: 'ok', label: t('良好', 'Good') }] },
      { op: 'setCalculation', field: 'householdSize', calculate: { '+': [1, 1] } },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(locateField(r.value, 'phone')?.field).toMatchObject({ visibleIf: false });
    expect(locateField(r.value, 'members.name')?.field.label.en).toBe('Member name');
    expect(r.value.sections[1]?.title.en).toBe('Household members');
    expect(locateField(r.value, 'health')?.field).toMatchObject({ options: [{ value: 'ok' }] });
    expect(locateField(r.value, 'householdSize')?.field).toMatchObject({ calculate: { '+': [1, 1] } });
  });

  it('tightens checks but refuses to loosen them', () => {
    const ok = apply([
      { op: 'tighten', field: 'householdSize', min: 2, max: 10 },
      { op: 'tighten', field: 'phone', required: true },
      { op: 'tighten', constraint: { rule: true, message: t('总是通过', 'Always passes') } },
    ]);
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(locateField(ok.value, 'householdSize')?.field).toMatchObject({ min: 2, max: 10 });
      expect(locateField(ok.value, 'phone')?.field).toMatchObject({ required: true });
      expect(ok.value.constraints).toHaveLength(1);
    }
    const loose = apply([{ op: 'tighten', field: 'householdSize', max: 30 }]);
    expect(loose.ok).toBe(false);
    expect(loose.problems[0]).toMatchObject({
      code: 'NX_ERR_OVERLAY_NOT_TIGHTER',
      pointer: '/operations/0/max',
    });
  });

  it('points at the operation that names an unknown field or a taken id', () => {
    const r = apply([
      { op: 'hideField', field: 'nope' },
      { op: 'addField', after: 'phone', field: { id: 'headName', type: 'text', label: t('重复', 'Dup') } },
    ]);
    expect(r.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_OVERLAY_FIELD_UNKNOWN', '/operations/0/field'],
      ['NX_ERR_OVERLAY_FIELD_EXISTS', '/operations/1/field/id'],
    ]);
  });

  it('refuses an overlay of another form', () => {
    expect(
      applyOverlay(base, { form: 'other', operations: [{ op: 'hideField', field: 'phone' }] }).problems[0]
        ?.code,
    ).toBe('NX_ERR_OVERLAY_FORM_MISMATCH');
  });
});

describe('loadOverlay', () => {
  it('checks the overlay shape', () => {
    const r = loadOverlay({ form: base.id, operations: [{ op: 'explode' }] }, base);
    expect(r.ok).toBe(false);
    expect(r.problems[0]?.pointer.startsWith('/operations/0')).toBe(true);
  });

  it('reports a broken added field at its place in the overlay', () => {
    const r = loadOverlay(
      {
        form: base.id,
        operations: [
          { op: 'hideField', field: 'phone' },
          {
            op: 'addField',
            after: 'health',
            field: { id: 'kind', type: 'select', label: t('类别', 'Kind'), options: [] },
          },
        ],
      },
      base,
    );
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.pointer.startsWith('/operations/1/field'))).toBe(true);
  });

  it('returns the overlay and the resulting form when all is well', () => {
    const r = loadOverlay({ form: base.id, operations: [{ op: 'hideField', field: 'phone' }] }, base);
    expect(r.ok).toBe(true);
    if (r.ok) expect(locateField(r.value.result, 'phone')?.field).toMatchObject({ visibleIf: false });
  });
});

describe('loadOverlay: patterns', () => {
  it('refuses a backtracking pattern, pointing into the overlay operation that sets it', () => {
    const tighten = loadOverlay(
      { form: base.id, operations: [{ op: 'tighten', field: 'headName', pattern: '^(\\p{Han})\\1$' }] },
      base,
    );
    expect(tighten.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_DEF_REGEX_UNSUPPORTED', '/operations/0'],
    ]);
    const added = loadOverlay(
      {
        form: base.id,
        operations: [
          {
            op: 'addField',
            after: 'headName',
            field: { id: 'alias', type: 'text', label: t('别名', 'Alias'), pattern: '^(?=a)a+$' },
          },
        ],
      },
      base,
    );
    expect(added.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_DEF_REGEX_UNSUPPORTED', '/operations/0/field/pattern'],
    ]);
  });
});
