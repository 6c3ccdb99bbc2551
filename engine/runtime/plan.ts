import type { Constraint, FormDefinition } from '../definition/form-schema.ts';
import { NxError } from '../errors/nx-error.ts';
import type { Text } from '../i18n.ts';
import { compileLogic } from '../logic/compile.ts';
import { collectVars } from '../logic/references.ts';
import type { Evaluator, OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from './field-types/registry.ts';
import type { FieldChecker, FieldSpec } from './field-types/types.ts';
import { topoOrder } from './topo-order.ts';

/**
 * The compile step of a form: every field becomes a slot holding its compiled checker and
 * rules, and the slots are put in dependency order. `validate` then only runs loops over these.
 */

export interface CompiledConstraint {
  readonly rule: Evaluator;
  readonly code: string;
  readonly message: Text;
}

/** What a top-level field and a table column have in common. */
export interface BaseSlot {
  readonly id: string;
  /** True when the id names something every object inherits (`toString` …): reads must test ownership. */
  readonly inheritable: boolean;
  readonly check: FieldChecker | null;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly calc: Evaluator | null;
  readonly visible: Evaluator | null;
  readonly required: boolean;
  readonly requiredIf: Evaluator | null;
  readonly constraints: readonly CompiledConstraint[];
}

export interface ColumnSlot extends BaseSlot {
  readonly index: number;
}

export interface FieldSlot extends BaseSlot {
  readonly index: number;
  readonly path: string;
  /** Sections and groups with a visibleIf that contain this field, outermost first. */
  readonly containers: readonly number[];
  readonly table: TableInfo | null;
}

export interface TableInfo {
  /** Columns in dependency order (for coercion and calculation). */
  readonly valueOrder: readonly ColumnSlot[];
  /** Columns in document order (for checks, so errors come out in reading order). */
  readonly checkOrder: readonly ColumnSlot[];
  readonly minRows: number;
  readonly maxRows: number;
}

export interface FormPlan {
  readonly fields: readonly FieldSlot[];
  readonly valueOrder: readonly FieldSlot[];
  readonly containers: readonly Evaluator[];
  readonly constraints: readonly CompiledConstraint[];
}

export interface PlanOptions {
  readonly operations: OperationRegistry;
  readonly fieldTypes: FieldTypeRegistry;
}

/** Rows a table holds when its definition gives no `maxRows`. */
export const DEFAULT_MAX_ROWS = 1000;

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface RawField extends FieldSpec {
  readonly required?: boolean;
  readonly requiredIf?: unknown;
  readonly visibleIf?: unknown;
  readonly calculate?: unknown;
  readonly default?: unknown;
  readonly constraints?: readonly Constraint[];
  readonly columns?: readonly RawField[];
  readonly fields?: readonly RawField[];
  readonly minRows?: number;
  readonly maxRows?: number;
}

function compileConstraints(
  list: readonly Constraint[] | undefined,
  ops: OperationRegistry,
): CompiledConstraint[] {
  return (list ?? []).map((c) => ({
    rule: compileLogic(c.rule, ops),
    code: c.code ?? 'NX_ERR_VALUE_CONSTRAINT',
    message: c.message,
  }));
}

function checkerFor(field: RawField, opts: PlanOptions): FieldChecker {
  const type = opts.fieldTypes.get(field.type);
  if (!type) {
    throw new NxError('NX_ERR_RUNTIME_UNKNOWN_TYPE', 400, {
      'zh-CN': `字段“${field.id}”的类型“${field.type}”未注册`,
      en: `Field "${field.id}" has type "${field.type}", which is not registered`,
    });
  }
  return type.compile(field);
}

function baseSlot(field: RawField, opts: PlanOptions, check: FieldChecker | null): BaseSlot {
  const ops = opts.operations;
  return {
    id: field.id,
    inheritable: field.id in Object.prototype,
    check,
    hasDefault: field.default !== undefined,
    defaultValue: field.default,
    calc: field.calculate !== undefined ? compileLogic(field.calculate, ops) : null,
    visible: field.visibleIf !== undefined ? compileLogic(field.visibleIf, ops) : null,
    required: field.required === true,
    requiredIf: field.requiredIf !== undefined ? compileLogic(field.requiredIf, ops) : null,
    constraints: compileConstraints(field.constraints, ops),
  };
}

/** Top-level field ids a rule reads (first segment of plain paths; `row.`/`ctx.` are not fields). */
function fieldReads(rules: readonly unknown[], ops: OperationRegistry, rowScope: boolean): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    if (rule === undefined) continue;
    for (const p of collectVars(rule, ops)) {
      if (p.startsWith('ctx.')) continue;
      if (p.startsWith('row.') !== rowScope) continue;
      out.push((rowScope ? p.slice(4) : p).split('.')[0] as string);
    }
  }
  return out;
}

function planTable(field: RawField, opts: PlanOptions, extraReads: string[]): TableInfo {
  const columns = field.columns ?? [];
  const slots: ColumnSlot[] = columns.map((c, index) => ({
    ...baseSlot(c, opts, checkerFor(c, opts)),
    index,
  }));
  const byId = new Map(columns.map((c, i) => [c.id, i]));
  const deps = columns.map((c) => {
    const rules = [c.visibleIf, c.calculate];
    extraReads.push(...fieldReads(rules, opts.operations, false));
    return fieldReads(rules, opts.operations, true)
      .map((id) => byId.get(id) ?? -1)
      .filter((i) => i >= 0);
  });
  return {
    valueOrder: topoOrder(columns.length, deps).map((i) => slots[i] as ColumnSlot),
    checkOrder: slots,
    minRows: typeof field.minRows === 'number' ? field.minRows : 0,
    maxRows: typeof field.maxRows === 'number' ? field.maxRows : DEFAULT_MAX_ROWS,
  };
}

export function planForm(def: FormDefinition, opts: PlanOptions): FormPlan {
  const ops = opts.operations;
  const containers: Evaluator[] = [];
  const containerRules: unknown[] = [];
  const fields: FieldSlot[] = [];
  const reads: string[][] = [];

  const visit = (list: readonly RawField[], chain: readonly number[]) => {
    for (const f of list) {
      if (f.type === 'group') {
        visit(f.fields ?? [], withContainer(chain, f.visibleIf));
        continue;
      }
      const extra: string[] = [];
      const table = f.type === 'table' ? planTable(f, opts, extra) : null;
      const check = f.type === 'table' ? null : checkerFor(f, opts);
      const index = fields.length;
      fields.push({
        ...baseSlot(f, opts, check),
        index,
        path: `/${escapePointer(f.id)}`,
        containers: chain,
        table,
      });
      const rules = [f.visibleIf, f.calculate, ...chain.map((c) => containerRules[c])];
      reads.push([...fieldReads(rules, ops, false), ...extra]);
    }
  };
  const withContainer = (chain: readonly number[], visibleIf: unknown): readonly number[] => {
    if (visibleIf === undefined) return chain;
    containers.push(compileLogic(visibleIf, ops));
    containerRules.push(visibleIf);
    return [...chain, containers.length - 1];
  };
  for (const section of def.sections) {
    visit(section.fields as unknown as readonly RawField[], withContainer([], section.visibleIf));
  }

  const byId = new Map(fields.map((f) => [f.id, f.index]));
  const deps = reads.map((ids) => ids.map((id) => byId.get(id) ?? -1).filter((i) => i >= 0));
  return {
    fields,
    valueOrder: topoOrder(fields.length, deps).map((i) => fields[i] as FieldSlot),
    containers,
    constraints: compileConstraints(def.constraints, ops),
  };
}
