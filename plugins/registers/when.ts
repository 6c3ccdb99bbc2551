import { NxError, type Problem, problem, text } from '../../engine/entry/plugin.ts';
import { collectVars, compileLogic, truthy } from '../../engine/entry/runtime.ts';
import type { FormBinding } from './register-schema.ts';

/**
 * A binding's `when`: the rule saying which saves write the register. A JSON Logic rule over
 * `{ status, data }` (the save's status and the submission's data), or the short form
 * `{ "status": ["submitted"] }` of the first definitions, read as
 * `{ "in": [{ "var": "status" }, ["submitted"]] }`.
 */

export type EntersWhen = (status: string | undefined, data: Readonly<Record<string, unknown>>) => boolean;

const isShortForm = (w: unknown): w is { status: string[] } =>
  typeof w === 'object' &&
  w !== null &&
  !Array.isArray(w) &&
  Object.keys(w).length === 1 &&
  Array.isArray((w as { status?: unknown }).status) &&
  ((w as { status: unknown[] }).status as unknown[]).every((s) => typeof s === 'string' && s !== '');

/** The rule a `when` stands for (the short form rewritten). */
export function whenRule(when: unknown): unknown {
  return isShortForm(when) ? { in: [{ var: 'status' }, when.status] } : when;
}

/** Compiles a binding's `when` once; the predicate never throws (a failing rule does not write). */
export function entersWhen(binding: Pick<FormBinding, 'when'>): EntersWhen {
  const rule = compileLogic(whenRule(binding.when));
  return (status, data) => {
    if (status === undefined) return false;
    try {
      return truthy(rule({ data: { status, data } }));
    } catch {
      return false;
    }
  };
}

/** Problems of a binding's `when` (pointer `…/when…`): not JSON Logic, or reading something else than status and data. */
export function whenProblems(when: unknown, pointer: string, file: string | undefined): Problem[] {
  if (when === undefined || when === null || typeof when !== 'object' || Array.isArray(when)) {
    return [
      problem(
        'NX_ERR_REGISTERS_BAD_WHEN',
        pointer,
        text(
          'when 须为 JSON Logic 规则（如只在提交时写入）',
          'when must be a JSON Logic rule (e.g. only when submitted)',
        ),
        text(
          '例如 {"in": [{"var": "status"}, ["submitted"]]}',
          'For example {"in": [{"var": "status"}, ["submitted"]]}',
        ),
        { file },
      ),
    ];
  }
  const rule = whenRule(when);
  try {
    compileLogic(rule);
  } catch (e) {
    if (!(e instanceof NxError)) throw e;
    return [
      problem(
        e.code,
        pointer + (e.errors?.[0]?.path ?? ''),
        e.messageText,
        text('修正此处的规则', 'Fix the rule here'),
        {
          file,
        },
      ),
    ];
  }
  const out: Problem[] = [];
  for (const path of collectVars(rule)) {
    const root = path.split('.')[0] ?? '';
    if (root === 'status' || root === 'data') continue;
    out.push(
      problem(
        'NX_ERR_REGISTERS_BAD_WHEN',
        pointer,
        text(
          `规则读取了“${path}”，when 只能读取 status 与 data.*`,
          `The rule reads "${path}"; when reads only status and data.*`,
        ),
        text(`改为 data.${path}`, `Write data.${path}`),
        { file },
      ),
    );
  }
  return out;
}
