import { text } from '../i18n.ts';
import { collectVars } from '../logic/references.ts';
import type { OperationRegistry } from '../logic/types.ts';
import { isRecord } from './form-outline.ts';
import { childPointer, type Problem, problem } from './problem.ts';
import { didYouMean } from './suggest.ts';

/**
 * Checks of one JSON Logic rule against what it may read and call. Generic on purpose: forms,
 * workflows, rulesets and reports pass their own set of names.
 */
export interface RuleScope {
  /** Names a top-level `{"var": "name…"}` may start with (field ids, for a form). */
  readonly names: ReadonlySet<string>;
  /** Columns a `{"var": "row.x"}` may read; absent where there is no current row. */
  readonly row?: ReadonlySet<string> | undefined;
  readonly operations: OperationRegistry;
  readonly file?: string | undefined;
}

/** Unknown operations, wrong argument counts and unknown names of one rule. */
export function ruleProblems(rule: unknown, pointer: string, scope: RuleScope): Problem[] {
  return [
    ...ruleOperationProblems(rule, pointer, scope.operations, scope.file),
    ...ruleReferenceProblems(rule, pointer, scope),
  ];
}

/** The top-level names a rule reads (`a.b` → `a`), leaving out `row.` and `ctx.` paths. */
export function referencedNames(rule: unknown, operations?: OperationRegistry): string[] {
  const out = new Set<string>();
  for (const path of collectVars(rule, operations)) {
    if (path === '' || path.startsWith('ctx.') || path.startsWith('row.')) continue;
    out.add(path.split('.')[0] ?? path);
  }
  return [...out];
}

/** The columns a rule reads through `row.` paths. */
export function referencedRowColumns(rule: unknown, operations?: OperationRegistry): string[] {
  const out = new Set<string>();
  for (const path of collectVars(rule, operations)) {
    if (path.startsWith('row.')) out.add(path.slice(4).split('.')[0] ?? '');
  }
  return [...out];
}

/**
 * Walks every operation of a rule, including those inside map/filter item scopes. JSON Logic
 * treats an object with exactly one key as an operation; other objects are data.
 */
export function ruleOperationProblems(
  rule: unknown,
  pointer: string,
  operations: OperationRegistry,
  file?: string,
): Problem[] {
  const problems: Problem[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, x] of node.entries()) walk(x, childPointer(at, i));
      return;
    }
    if (!isRecord(node)) return;
    const keys = Object.keys(node);
    if (keys.length !== 1) return;
    const op = keys[0] ?? '';
    const args = node[op];
    const opPointer = childPointer(at, op);
    const def = operations.get(op);
    if (!def) {
      const guess = didYouMean(op, operations.names());
      problems.push(
        problem(
          'NX_ERR_DEF_UNKNOWN_OP',
          opPointer,
          text(`未知运算 "${op}"`, `Unknown operation "${op}"`),
          guess
            ? text(`是否应为 "${guess}"？`, `Did you mean "${guess}"?`)
            : text(
                '运算须为标准 JSON Logic 运算或已注册的自定义运算（见 docs/forms.md）',
                'Use a standard JSON Logic operation or a registered custom one (see docs/forms.md)',
              ),
          { file, params: { operation: op, ...(guess ? { suggestion: guess } : {}) } },
        ),
      );
    } else if (def.arity) {
      const n = Array.isArray(args) ? args.length : 1;
      const [min, max] = def.arity;
      if (n < min || n > max) {
        const range =
          min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `${min}–${max}`;
        problems.push(
          problem(
            'NX_ERR_DEF_ARITY',
            opPointer,
            text(
              `运算 "${op}" 需要 ${range} 个参数，实际 ${n} 个`,
              `Operation "${op}" takes ${range} argument(s), got ${n}`,
            ),
            text(`按 ${range} 个参数改写`, `Give it ${range} argument(s)`),
            { file, params: { operation: op, min, max, actual: n } },
          ),
        );
      }
    }
    // Arguments may nest rules at any depth, even a computed `var` path.
    walk(args, opPointer);
  };
  walk(rule, pointer);
  return problems;
}

/** Unknown names reported per rule at most: each is located by a walk of the rule. */
export const MAX_REFERENCE_PROBLEMS = 20;

/**
 * `var` paths naming nothing in scope: unknown names, `row.` outside a table, unknown columns.
 * At most MAX_REFERENCE_PROBLEMS per rule, so a rule listing 10,000 unknown names (`missing`
 * takes constant keys) costs a bounded number of walks to locate them.
 */
export function ruleReferenceProblems(rule: unknown, pointer: string, scope: RuleScope): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const path of collectVars(rule, scope.operations)) {
    if (problems.length >= MAX_REFERENCE_PROBLEMS) break;
    if (path === '' || path.startsWith('ctx.') || path === 'ctx' || seen.has(path)) continue;
    seen.add(path);
    const at = varPointer(rule, path, pointer);
    if (path.startsWith('row.') || path === 'row') {
      const col = path.slice(4).split('.')[0] ?? '';
      if (!scope.row) {
        problems.push(
          problem(
            'NX_ERR_DEF_UNKNOWN_FIELD',
            at,
            text(
              `"${path}" 只能用在表格列的规则中`,
              `"${path}" can only be used in the rules of a table column`,
            ),
            text(
              '此处不在表格行内：直接用字段标识读取，如 {"var":"字段"}',
              'There is no current row here: read the field by its id, e.g. {"var":"fieldId"}',
            ),
            { file: scope.file, params: { path } },
          ),
        );
      } else if (!scope.row.has(col)) {
        problems.push(unknownName(path, col, scope.row, at, scope.file, true));
      }
      continue;
    }
    const name = path.split('.')[0] ?? path;
    if (!scope.names.has(name)) problems.push(unknownName(path, name, scope.names, at, scope.file, false));
  }
  return problems;
}

function unknownName(
  path: string,
  name: string,
  known: ReadonlySet<string>,
  pointer: string,
  file: string | undefined,
  column: boolean,
): Problem {
  const guess = didYouMean(name, known);
  const what = column ? ['表格列', 'column of this table'] : ['字段', 'field'];
  const fix = guess
    ? text(
        `是否应为 "${column ? `row.${guess}` : guess}"？`,
        `Did you mean "${column ? `row.${guess}` : guess}"?`,
      )
    : text(
        `没有名为 "${name}" 的${what[0]}；上下文值请写 "ctx.${name}"`,
        `There is no ${what[1]} "${name}"; context values are read as "ctx.${name}"`,
      );
  return problem(
    'NX_ERR_DEF_UNKNOWN_FIELD',
    pointer,
    text(`规则引用了不存在的${what[0]} "${path}"`, `The rule reads an unknown ${what[1]} "${path}"`),
    fix,
    { file, params: { path, name, ...(guess ? { suggestion: guess } : {}) } },
  );
}

/** Pointer of the first `{"var": path}` in a rule, so the message lands on the very spot. */
export function varPointer(rule: unknown, path: string, base: string): string {
  const find = (node: unknown, at: string): string | undefined => {
    if (Array.isArray(node)) {
      for (const [i, x] of node.entries()) {
        const hit = find(x, childPointer(at, i));
        if (hit) return hit;
      }
      return undefined;
    }
    if (!isRecord(node)) return undefined;
    const keys = Object.keys(node);
    if (keys.length !== 1) return undefined;
    const op = keys[0] ?? '';
    const args = node[op];
    if (op === 'var') {
      const p = Array.isArray(args) ? args[0] : args;
      if (String(p) === path) return childPointer(at, 'var');
    }
    return find(args, childPointer(at, op));
  };
  return find(rule, base) ?? base;
}
