import type { FormDefinition } from '../definition/form-schema.ts';
import { NxError } from '../errors/nx-error.ts';
import { withLogicBudget } from '../logic/budget.ts';
import { todayInChina } from '../logic/dates.ts';
import { defaultOperationRegistry } from '../logic/registry.ts';
import { truthy } from '../logic/truthy.ts';
import type { OperationRegistry } from '../logic/types.ts';
import { trimmed } from './field-types/common.ts';
import { createFieldTypeRegistry, type FieldTypeRegistry } from './field-types/registry.ts';
import type { CheckFail, FieldCheckEnv } from './field-types/types.ts';
import { checkError, valueError } from './messages.ts';
import { type BaseSlot, type CompiledConstraint, type FieldSlot, planForm, type TableInfo } from './plan.ts';
import type { CompiledForm, ValidateContext, ValidationError, ValidationResult } from './types.ts';

/**
 * Compiles a form definition once into a validator. `validate(data, ctx)` coerces the values,
 * clears hidden fields, fills computed fields in dependency order, then checks required fields,
 * limits and constraints. Bad data never throws: it becomes errors `{ path, code, message, params }`.
 * A definition should come through the loader first, which reports its problems one by one;
 * here an unknown operation or field type throws an NxError.
 *
 * Semantics worth knowing: an invalid value is left out of `data` (its error says why); an empty
 * field's constraints are not run (a required empty field reports REQUIRED instead, except in
 * draft mode); form-level constraints run in every mode; table rows that are not objects are
 * reported and skipped; a table with more rows than its `maxRows` (1,000 when not given) is
 * refused as a whole without checking its rows; at most MAX_ERRORS errors are returned, the last
 * one counting the others; every rule of one validation shares one evaluation budget, and a
 * rule that exceeds it is reported as NX_ERR_LOGIC_BUDGET_EXCEEDED / _RESULT_TOO_LARGE. Rules read the data as normalised so far, in dependency order worked out
 * from their constant `var` paths, so a computed path (`{"var":{"cat":…}}`) may see a field that
 * is not filled in yet.
 *
 * @example compileForm(def).validate({ headName: '张三' }, { today: '2026-06-01' })
 */
export function compileForm(
  def: FormDefinition,
  opts: { operations?: OperationRegistry; fieldTypes?: FieldTypeRegistry } = {},
): CompiledForm {
  const plan = planForm(def, {
    operations: opts.operations ?? defaultOperationRegistry(),
    fieldTypes: opts.fieldTypes ?? createFieldTypeRegistry(),
  });
  const { fields, valueOrder, containers, constraints } = plan;
  const n = fields.length;
  // Per-call scratch, reused: validation is synchronous and never re-enters itself.
  const state = new Uint8Array(n); // bit 1: visible, bit 2: value error
  const containerState = new Uint8Array(containers.length); // 0 unknown, 1 visible, 2 hidden
  const rowState = new Map<number, Uint8Array>();
  for (const f of fields) if (f.table) rowState.set(f.index, new Uint8Array(64 * f.table.checkOrder.length));

  // Rules only read the environment while they run, so one per compiled form is enough.
  const sharedEnv: { data: unknown; row: unknown; ctx: ValidateContext } = {
    data: null,
    row: undefined,
    ctx: {},
  };
  const sharedCheckEnv: { today: string } = { today: '' };
  const VISIBLE = 1;
  const FAILED = 2;
  const HAS = 4;

  /**
   * Rules over JSON data do not throw, but a plugin's operation might: one guard around the
   * whole run (not one per field) turns that into an error instead of an exception.
   */
  function validate(data: unknown, context?: ValidateContext): ValidationResult {
    try {
      return capErrors(withLogicBudget(() => run(data, context)));
    } catch (e) {
      sharedEnv.data = null;
      sharedEnv.row = undefined;
      const limit = e instanceof NxError && LOGIC_LIMITS.has(e.code) ? e.errors?.[0] : undefined;
      if (limit !== undefined) return { ok: false, data: {}, errors: [limit] };
      const reason = e instanceof Error ? e.message : String(e);
      return { ok: false, data: {}, errors: [valueError('', 'NX_ERR_VALUE_RULE_FAILED', { reason })] };
    }
  }

  function run(data: unknown, context?: ValidateContext): ValidationResult {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return { ok: false, data: {}, errors: [valueError('', 'NX_ERR_VALUE_NOT_OBJECT')] };
    }
    const input = data as Record<string, unknown>;
    const plain = Object.getPrototypeOf(input) === Object.prototype;
    const today = typeof context?.today === 'string' ? context.today : todayInChina();
    const ctx: ValidateContext = context?.today === today ? context : { ...context, today };
    const draft = ctx.mode === 'draft';
    const out: Record<string, unknown> = {};
    const errors: ValidationError[] = [];
    const env = sharedEnv;
    env.data = out;
    env.row = undefined;
    env.ctx = ctx;
    const checkEnv = sharedCheckEnv;
    checkEnv.today = today;
    state.fill(0);
    containerState.fill(0);

    // Values, in dependency order: visibility first, then the computed or coerced value.
    for (let k = 0; k < valueOrder.length; k++) {
      const f = valueOrder[k] as FieldSlot;
      if (!isVisible(f, env)) continue;
      state[f.index] = VISIBLE;
      if (f.table !== null) {
        state[f.index] = valueOfTable(f, f.table, input, plain, out, env, checkEnv, errors);
        continue;
      }
      const raw = rawOf(f, input, plain, env);
      if (isEmpty(raw)) continue;
      const r = (f.check as NonNullable<BaseSlot['check']>)(raw, checkEnv);
      if ((r as CheckFail).code !== undefined) {
        errors.push(checkError(f.path, r as CheckFail));
        state[f.index] = VISIBLE | FAILED;
      } else {
        out[f.id] = (r as { value: unknown }).value;
        state[f.index] = VISIBLE | HAS;
      }
    }

    // Checks, in document order, on the final data.
    for (let i = 0; i < n; i++) {
      const st = state[i] as number;
      if (st !== VISIBLE && st !== (VISIBLE | HAS)) continue;
      const f = fields[i] as FieldSlot;
      if (st === VISIBLE) {
        if (!draft && isRequired(f, env)) errors.push(valueError(f.path, 'NX_ERR_VALUE_REQUIRED'));
        if (f.table !== null && !draft && f.table.minRows > 0 && !isRequired(f, env)) {
          errors.push(valueError(f.path, 'NX_ERR_VALUE_MIN_ROWS', { minRows: f.table.minRows }));
        }
        continue;
      }
      if (f.table !== null)
        checkTable(f, f.table, out[f.id] as Record<string, unknown>[], env, draft, errors);
      runConstraints(f.constraints, f.path, env, errors);
    }
    runConstraints(constraints, '', env, errors);
    env.data = null; // do not keep the submission alive between calls
    return { ok: errors.length === 0, data: out, errors };
  }

  function isVisible(f: FieldSlot, env: { data: unknown; row: unknown; ctx: ValidateContext }): boolean {
    const cs = f.containers;
    for (let c = 0; c < cs.length; c++) {
      const ci = cs[c] as number;
      let s = containerState[ci];
      if (s === 0) {
        s = truthy((containers[ci] as (e: typeof env) => unknown)(env)) ? 1 : 2;
        containerState[ci] = s;
      }
      if (s === 2) return false;
    }
    return f.visible === null || truthy(f.visible(env));
  }

  function rowFlags(f: FieldSlot, size: number): Uint8Array {
    let buf = rowState.get(f.index) as Uint8Array;
    if (buf.length < size) {
      buf = new Uint8Array(size * 2);
      rowState.set(f.index, buf);
    }
    buf.fill(0, 0, size);
    return buf;
  }

  /** Coerces and computes a table's rows; returns the table's state bits (HAS when it has rows). */
  function valueOfTable(
    f: FieldSlot,
    t: TableInfo,
    input: Record<string, unknown>,
    plain: boolean,
    out: Record<string, unknown>,
    env: { data: unknown; row: unknown; ctx: ValidateContext },
    checkEnv: FieldCheckEnv,
    errors: ValidationError[],
  ): number {
    let raw = own(input, f, plain);
    if ((raw === undefined || raw === null) && f.hasDefault) raw = f.defaultValue;
    if (raw === undefined || raw === null) return VISIBLE;
    if (!Array.isArray(raw)) {
      errors.push(valueError(f.path, 'NX_ERR_VALUE_TYPE', { expected: 'rows' }));
      return VISIBLE | FAILED;
    }
    const rows = raw.length;
    if (rows === 0) return VISIBLE;
    if (rows > t.maxRows) {
      // Refused whole: checking rows past the limit would only be work for an attacker.
      errors.push(valueError(f.path, 'NX_ERR_VALUE_MAX_ROWS', { maxRows: t.maxRows }));
      return VISIBLE | FAILED;
    }
    const cols = t.checkOrder.length;
    const flags = rowFlags(f, rows * cols);
    const outRows = new Array<Record<string, unknown>>(rows);
    for (let r = 0; r < rows; r++) {
      const rawRow = raw[r];
      const outRow: Record<string, unknown> = {};
      outRows[r] = outRow;
      if (rawRow === null || typeof rawRow !== 'object' || Array.isArray(rawRow)) {
        errors.push(valueError(`${f.path}/${r}`, 'NX_ERR_VALUE_TYPE', { expected: 'row' }));
        continue; // its flags stay 0: nothing in it is checked
      }
      env.row = outRow;
      for (let k = 0; k < t.valueOrder.length; k++) {
        const c = t.valueOrder[k] as BaseSlot & { index: number };
        if (c.visible !== null && !truthy(c.visible(env))) continue;
        const at = r * cols + c.index;
        flags[at] = VISIBLE;
        const v = rawOf(
          c,
          rawRow as Record<string, unknown>,
          Object.getPrototypeOf(rawRow) === Object.prototype,
          env,
        );
        if (isEmpty(v)) continue;
        const res = (c.check as NonNullable<BaseSlot['check']>)(v, checkEnv);
        if ((res as CheckFail).code !== undefined) {
          errors.push(checkError(`${f.path}/${r}/${c.id}`, res as CheckFail));
          flags[at] = VISIBLE | FAILED;
        } else {
          outRow[c.id] = (res as { value: unknown }).value;
          flags[at] = VISIBLE | HAS;
        }
      }
    }
    env.row = undefined;
    out[f.id] = outRows;
    return VISIBLE | HAS;
  }

  function checkTable(
    f: FieldSlot,
    t: TableInfo,
    rows: Record<string, unknown>[],
    env: { data: unknown; row: unknown; ctx: ValidateContext },
    draft: boolean,
    errors: ValidationError[],
  ): void {
    if (rows.length < t.minRows && !draft) {
      errors.push(valueError(f.path, 'NX_ERR_VALUE_MIN_ROWS', { minRows: t.minRows }));
    }
    const flags = rowState.get(f.index) as Uint8Array;
    const cols = t.checkOrder.length;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Record<string, unknown>;
      env.row = row;
      for (let k = 0; k < cols; k++) {
        const st = flags[r * cols + k];
        if (st !== VISIBLE && st !== (VISIBLE | HAS)) continue;
        const c = t.checkOrder[k] as BaseSlot;
        if (st === VISIBLE) {
          if (!draft && isRequired(c, env))
            errors.push(valueError(`${f.path}/${r}/${c.id}`, 'NX_ERR_VALUE_REQUIRED'));
          continue;
        }
        if (c.constraints.length > 0) runConstraints(c.constraints, `${f.path}/${r}/${c.id}`, env, errors);
      }
    }
    env.row = undefined;
  }

  return { definition: def, validate };
}

/** Errors returned by one validation at most; the rest are counted in a last error. */
export const MAX_ERRORS = 100;

const LOGIC_LIMITS = new Set(['NX_ERR_LOGIC_BUDGET_EXCEEDED', 'NX_ERR_LOGIC_RESULT_TOO_LARGE']);

function capErrors(r: ValidationResult): ValidationResult {
  const n = r.errors.length;
  if (n <= MAX_ERRORS) return r;
  const errors = r.errors.slice(0, MAX_ERRORS);
  errors.push(valueError('', 'NX_ERR_VALUE_TOO_MANY_ERRORS', { shown: MAX_ERRORS, omitted: n - MAX_ERRORS }));
  return { ...r, errors };
}

function rawOf(
  f: BaseSlot,
  input: Record<string, unknown>,
  plain: boolean,
  env: { data: unknown; row: unknown; ctx: ValidateContext },
): unknown {
  if (f.calc !== null) {
    const v = f.calc(env);
    // A division by zero in a calculation leaves the field empty instead of storing NaN/Infinity.
    return typeof v === 'number' && !Number.isFinite(v) ? undefined : v;
  }
  let raw = own(input, f, plain);
  if ((raw === undefined || raw === null) && f.hasDefault) raw = f.defaultValue;
  return raw;
}

/**
 * An own property's value; inherited ones (`toString` …) are not the submission's. The ownership
 * test is only needed when something could be inherited: a key that Object.prototype has, or an
 * object with another prototype than Object.prototype (JSON data never has one).
 */
function own(input: Record<string, unknown>, f: BaseSlot, plain: boolean): unknown {
  const v = input[f.id];
  if (v === undefined || (plain && !f.inheritable)) return v;
  return Object.hasOwn(input, f.id) ? v : undefined;
}

function isRequired(f: BaseSlot, env: { data: unknown; row: unknown; ctx: ValidateContext }): boolean {
  return f.required || (f.requiredIf !== null && truthy(f.requiredIf(env)));
}

/** Empty means not given: undefined, null, blank text or no ticks. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.length === 0 || trimmed(v).length === 0;
  return Array.isArray(v) && v.length === 0;
}

function runConstraints(
  list: readonly CompiledConstraint[],
  path: string,
  env: { data: unknown; row: unknown; ctx: ValidateContext },
  errors: ValidationError[],
): void {
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as CompiledConstraint;
    if (!truthy(c.rule(env))) errors.push({ path, code: c.code, message: c.message, params: {} });
  }
}
