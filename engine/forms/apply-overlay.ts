import type { Field, FormDefinition } from '../definition/form-schema.ts';
import { type LoadResult, loaded, type Problem, problem, rejected } from '../definition/problem.ts';
import { httpCodes } from '../errors/codes-http.ts';
import { text } from '../i18n.ts';
import { locateField, locateSection } from './locate-field.ts';
import type { FormOverlay, OverlayOperation } from './overlay-schema.ts';

type OverlayCode = keyof typeof httpCodes & `NX_ERR_OVERLAY_${string}`;

/** Where each operation landed in the resulting form, so later problems can point back at it. */
export interface OverlayTrace {
  /** operation index → pointer of the field it made or changed, in the result. */
  targets: Map<number, { ref: string; added: boolean }>;
}

const fail = (code: OverlayCode, pointer: string, hint: string, hintEn: string, file?: string): Problem =>
  problem(code, pointer, httpCodes[code].message, text(hint, hintEn), { file });

/**
 * Applies an overlay to a form (pure: the input is not changed). Every operation that cannot
 * apply is reported with a pointer into the overlay (`/operations/2/field`).
 */
export function applyOverlay(
  base: FormDefinition,
  overlay: FormOverlay,
  file?: string,
): LoadResult<FormDefinition> & { trace?: OverlayTrace } {
  const def = structuredClone(base);
  const problems: Problem[] = [];
  const targets: OverlayTrace['targets'] = new Map();
  if (overlay.form !== base.id) {
    return rejected([
      fail(
        'NX_ERR_OVERLAY_FORM_MISMATCH',
        '/form',
        `基础表单为 ${base.id}`,
        `the base form is ${base.id}`,
        file,
      ),
    ]);
  }
  overlay.operations.forEach((operation, i) => {
    const p = applyOne(def, operation, `/operations/${i}`, file);
    if (p) problems.push(p);
    else if (operation.op === 'addField') targets.set(i, { ref: addedRef(operation), added: true });
    else if (operation.field) targets.set(i, { ref: operation.field, added: false });
  });
  if (problems.length > 0) return rejected(problems);
  return { ...loaded(def), trace: { targets } };
}

const addedRef = (op: Extract<OverlayOperation, { op: 'addField' }>): string => {
  const container = op.after?.includes('.') ? op.after.split('.')[0] : undefined;
  return container ? `${container}.${op.field.id}` : op.field.id;
};

function applyOne(def: FormDefinition, op: OverlayOperation, at: string, file?: string): Problem | undefined {
  const unknown = (ref: string, where = '/field') =>
    fail(
      'NX_ERR_OVERLAY_FIELD_UNKNOWN',
      `${at}${where}`,
      `表单中没有 ${ref}`,
      `the form has no ${ref}`,
      file,
    );
  switch (op.op) {
    case 'addField':
      return addField(def, op, at, file);
    case 'hideField': {
      const slot = locateField(def, op.field);
      if (!slot) return unknown(op.field);
      (slot.field as { visibleIf?: unknown }).visibleIf = false;
      return undefined;
    }
    case 'relabel': {
      const slot = locateField(def, op.field);
      if (slot) {
        slot.field.label = op.label;
        if (op.help) slot.field.help = op.help;
        return undefined;
      }
      const section = op.field.includes('.') ? undefined : locateSection(def, op.field);
      if (!section) return unknown(op.field);
      section.section.title = op.label;
      if (op.help) section.section.help = op.help;
      return undefined;
    }
    case 'setOptions': {
      const slot = locateField(def, op.field);
      if (!slot) return unknown(op.field);
      if (slot.field.type !== 'select' && slot.field.type !== 'multiselect') {
        return fail(
          'NX_ERR_OVERLAY_WRONG_TYPE',
          `${at}/op`,
          '只有单选和多选字段有选项',
          'only select fields have options',
          file,
        );
      }
      slot.field.options = op.options;
      return undefined;
    }
    case 'setCalculation': {
      const slot = locateField(def, op.field);
      if (!slot) return unknown(op.field);
      if (slot.field.type === 'group' || slot.field.type === 'table') {
        return fail(
          'NX_ERR_OVERLAY_WRONG_TYPE',
          `${at}/op`,
          '分组和表格不能计算',
          'groups and tables cannot be calculated',
          file,
        );
      }
      slot.field.calculate = op.calculate;
      return undefined;
    }
    case 'tighten':
      return tighten(def, op, at, file);
  }
}

function addField(
  def: FormDefinition,
  op: Extract<OverlayOperation, { op: 'addField' }>,
  at: string,
  file?: string,
): Problem | undefined {
  const field = structuredClone(op.field) as Field;
  if (op.after) {
    const slot = locateField(def, op.after);
    if (!slot)
      return fail(
        'NX_ERR_OVERLAY_FIELD_UNKNOWN',
        `${at}/after`,
        `表单中没有 ${op.after}`,
        `the form has no ${op.after}`,
        file,
      );
    const sibling = op.after.includes('.') ? `${op.after.split('.')[0]}.${field.id}` : field.id;
    if (locateField(def, sibling)) return exists(field.id, at, file);
    slot.container.splice(slot.index + 1, 0, field);
    return undefined;
  }
  if (locateField(def, field.id)) return exists(field.id, at, file);
  if (!op.into) {
    def.sections[def.sections.length - 1]!.fields.push(field);
    return undefined;
  }
  const section = locateSection(def, op.into);
  if (section) {
    section.section.fields.push(field);
    return undefined;
  }
  const slot = locateField(def, op.into);
  if (slot?.field.type === 'group') (slot.field.fields as Field[]).push(field);
  else if (slot?.field.type === 'table') {
    if (field.type === 'table' || field.type === 'group') {
      return fail(
        'NX_ERR_OVERLAY_WRONG_TYPE',
        `${at}/field/type`,
        '表格列只能是简单字段',
        'a table column must be a scalar field',
        file,
      );
    }
    const cols = slot.field.columns as Field[];
    if (cols.some((c) => c.id === field.id)) return exists(field.id, at, file);
    cols.push(field);
  } else {
    return fail(
      'NX_ERR_OVERLAY_FIELD_UNKNOWN',
      `${at}/into`,
      `表单中没有分节、分组或表格 ${op.into}`,
      `no section, group or table ${op.into}`,
      file,
    );
  }
  return undefined;
}

const exists = (id: string, at: string, file?: string) =>
  fail(
    'NX_ERR_OVERLAY_FIELD_EXISTS',
    `${at}/field/id`,
    `字段 ${id} 已存在，请换一个标识`,
    `field ${id} exists; choose another id`,
    file,
  );

function tighten(
  def: FormDefinition,
  op: Extract<OverlayOperation, { op: 'tighten' }>,
  at: string,
  file?: string,
): Problem | undefined {
  if (!op.field) {
    if (!op.constraint) {
      return fail(
        'NX_ERR_OVERLAY_FIELD_UNKNOWN',
        `${at}/field`,
        '表单级收紧需要 constraint',
        'a form-level tighten needs a constraint',
        file,
      );
    }
    def.constraints = [...(def.constraints ?? []), op.constraint];
    return undefined;
  }
  const slot = locateField(def, op.field);
  if (!slot)
    return fail(
      'NX_ERR_OVERLAY_FIELD_UNKNOWN',
      `${at}/field`,
      `表单中没有 ${op.field}`,
      `the form has no ${op.field}`,
      file,
    );
  const f = slot.field as Record<string, unknown>;
  const looser = (key: string, why: string, whyEn: string) =>
    fail('NX_ERR_OVERLAY_NOT_TIGHTER', `${at}/${key}`, why, whyEn, file);
  if (op.min !== undefined) {
    if (f.min !== undefined && !(compare(op.min, f.min) >= 0))
      return looser('min', `下限不能低于 ${f.min}`, `min may not go below ${f.min}`);
    f.min = op.min;
  }
  if (op.max !== undefined) {
    if (f.max !== undefined && !(compare(op.max, f.max) <= 0))
      return looser('max', `上限不能高于 ${f.max}`, `max may not go above ${f.max}`);
    f.max = op.max;
  }
  if (op.minLength !== undefined) {
    if (typeof f.minLength === 'number' && op.minLength < f.minLength)
      return looser('minLength', '最小长度不能变小', 'minLength may not shrink');
    f.minLength = op.minLength;
  }
  if (op.maxLength !== undefined) {
    if (typeof f.maxLength === 'number' && op.maxLength > f.maxLength)
      return looser('maxLength', '最大长度不能变大', 'maxLength may not grow');
    f.maxLength = op.maxLength;
  }
  if (op.pattern !== undefined) {
    if (f.pattern !== undefined && f.pattern !== op.pattern) {
      return looser(
        'pattern',
        '字段已有格式要求，请改用 constraint 追加检查',
        'the field has a pattern already; add a constraint instead',
      );
    }
    f.pattern = op.pattern;
  }
  if (op.required) f.required = true;
  if (op.constraint) f.constraints = [...((f.constraints as unknown[] | undefined) ?? []), op.constraint];
  return undefined;
}

/** Orders numbers numerically and date strings lexically; values of different kinds never compare. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number.NaN;
}
