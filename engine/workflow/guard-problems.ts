import { type Problem, problem } from '../definition/problem.ts';
import { ruleOperationProblems, ruleReferenceProblems } from '../definition/rule-problems.ts';
import { text } from '../i18n.ts';
import { compileLogic } from '../logic/compile.ts';
import type { OperationRegistry } from '../logic/types.ts';

/** A guard's operations and argument counts; with the form known, the fields it reads too. */
export function guardProblems(
  guard: unknown,
  pointer: string,
  fields: readonly string[] | undefined,
  operations: OperationRegistry,
  file: string | undefined,
): Problem[] {
  const ops = ruleOperationProblems(guard, pointer, operations, file);
  // A guard reads the submission and the context; it runs outside any table row.
  const refs =
    fields === undefined
      ? []
      : ruleReferenceProblems(guard, pointer, { names: new Set(fields), operations, file }).map((p) =>
          p.code === 'NX_ERR_DEF_UNKNOWN_FIELD' ? { ...p, code: 'NX_ERR_WF_UNKNOWN_FIELD' } : p,
        );
  if (ops.length > 0 || refs.length > 0) return [...ops, ...refs];
  try {
    compileLogic(guard, operations);
    return [];
  } catch (err) {
    const e = err as { message?: string; errors?: { path?: string }[] };
    return [
      problem(
        'NX_ERR_WF_BAD_GUARD',
        pointer + (e.errors?.[0]?.path ?? ''),
        text(
          `条件规则无法编译：${e.message ?? String(err)}`,
          `The guard does not compile: ${e.message ?? String(err)}`,
        ),
        text('按 JSON Logic 写法修改（见 docs/workflows.md）', 'Fix the JSON Logic (see docs/workflows.md)'),
        { file },
      ),
    ];
  }
}
