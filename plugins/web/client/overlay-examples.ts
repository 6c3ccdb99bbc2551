import type { Field, FormDefinition } from '../../../engine/entry/definition.ts';

type Text = { 'zh-CN': string; en: string };

/** One operation of the overlay language with an example that applies to the form at hand. */
export interface OverlayExample {
  readonly op: string;
  readonly title: Text;
  readonly overlay: { form: string; operations: unknown[] };
}

const t = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });

/** The fields of a form in document order (groups opened), each with the reference an overlay uses: `id`, or `table.column`. */
function fieldsOf(def: FormDefinition): (Field & { ref: string })[] {
  const out: (Field & { ref: string })[] = [];
  const walk = (fields: readonly Field[]) => {
    for (const f of fields) {
      out.push({ ...f, ref: f.id });
      if (f.type === 'group') walk(f.fields as Field[]);
      if (f.type === 'table')
        for (const c of f.columns) out.push({ ...c, ref: `${f.id}.${c.id}` } as Field & { ref: string });
    }
  };
  for (const s of def.sections) walk(s.fields);
  return out;
}

/**
 * An example per overlay operation, written against the form's own fields (the first field, a
 * select, a number, a calculated field — or a stand-in name where the form has none), so each can
 * be tried on the form as it is: addField, hideField, relabel, setOptions, tighten, setCalculation.
 */
export function overlayExamples(def: FormDefinition): OverlayExample[] {
  const all = fieldsOf(def).filter((f) => f.type !== 'group');
  const fields = all.filter((f) => !f.ref.includes('.'));
  const first = fields[0]?.ref ?? 'fieldId';
  const optional = fields.find((f) => !('required' in f && f.required) && f.type !== 'table')?.ref ?? first;
  const select = all.find((f) => f.type === 'select')?.ref ?? 'selectField';
  const number = fields.find((f) => f.type === 'integer' || f.type === 'number' || f.type === 'money');
  const calculated =
    fields.find((f) => 'calculate' in f && f.calculate !== undefined)?.ref ?? 'calculatedField';
  const one = (op: string, title: Text, operation: Record<string, unknown>): OverlayExample => ({
    op,
    title,
    overlay: { form: def.id, operations: [{ op, ...operation }] },
  });
  return [
    one('addField', t('在某字段后加一个字段', 'Add a field after a field'), {
      after: first,
      field: { id: 'localNote', type: 'text', label: t('本地备注', 'Local note') },
    }),
    one('hideField', t('隐藏一个字段（不显示、不必填）', 'Hide a field (never shown nor required)'), {
      field: optional,
    }),
    one('relabel', t('改字段的名称和说明', 'Change a field’s label and help'), {
      field: first,
      label: t('户主姓名（与户口簿一致）', 'Name of the head (as in the household register)'),
    }),
    one('setOptions', t('替换选择题的选项', 'Replace the options of a select field'), {
      field: select,
      options: [
        { value: 'a', label: t('选项一', 'Option one') },
        { value: 'b', label: t('选项二', 'Option two') },
      ],
    }),
    one('tighten', t('收紧检查：必填、更高下限等', 'Make a check stricter: required, a higher minimum …'), {
      field: number?.ref ?? first,
      ...(number
        ? { max: 'max' in number && typeof number.max === 'number' ? number.max : 100 }
        : { required: true }),
    }),
    one('setCalculation', t('替换计算字段的公式', 'Replace the formula of a calculated field'), {
      field: calculated,
      calculate: { '+': [{ var: first }, 0] },
    }),
  ];
}
