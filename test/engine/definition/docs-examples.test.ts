import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadForm } from '../../../engine/definition/load-form.ts';

/** Every ```json block of docs/forms.md, so the reference cannot drift from what the loader accepts. */
const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'forms.md'), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1] ?? '') as Record<string, unknown>,
);
const fields = blocks.filter((b) => typeof b.type === 'string');
const forms = blocks.filter((b) => Array.isArray(b.sections));

describe('docs/forms.md examples', () => {
  it('has an example for every built-in field type', () => {
    const types = new Set(fields.map((f) => f.type));
    for (const t of [
      'text',
      'textarea',
      'integer',
      'number',
      'money',
      'date',
      'select',
      'multiselect',
      'boolean',
    ]) {
      expect(types, t).toContain(t);
    }
    for (const t of [
      'phone',
      'idcard',
      'orgunit',
      'photo',
      'file',
      'signature',
      'geopoint',
      'table',
      'group',
    ])
      expect(types, t).toContain(t);
  });

  it('the full form example loads', () => {
    expect(forms).toHaveLength(1);
    expect(loadForm(forms[0]).problems).toEqual([]);
  });

  it.each(fields.map((f) => [f.id, f] as const))(
    'field example %s loads (beside the other examples)',
    (_id, field) => {
      const others = new Map<unknown, Record<string, unknown>>();
      for (const f of fields) if (f.id !== field.id && !others.has(f.id)) others.set(f.id, f);
      const form = {
        id: 'docs-example',
        version: 1,
        title: { 'zh-CN': '示例', en: 'Example' },
        sections: [
          { id: 's', title: { 'zh-CN': '示例', en: 'Example' }, fields: [field, ...others.values()] },
        ],
      };
      expect(loadForm(form).problems).toEqual([]);
    },
  );
});
