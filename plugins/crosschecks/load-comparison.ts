import { definitionLimitProblems, schemaProblems } from '../../engine/entry/definition.ts';
import {
  childPointer,
  type LoadResult,
  loaded,
  NxError,
  type Problem,
  problem,
  rejected,
  text,
} from '../../engine/entry/plugin.ts';
import { collectVars, compileLogic, type OperationRegistry } from '../../engine/entry/runtime.ts';
import { ComparisonDefinition } from './comparison-schema.ts';
import type { ListDefinition } from './list-schema.ts';

/** The register columns every record has besides its properties. */
export const REGISTER_FIELDS = ['status', 'statusReason', 'key', 'ownerOrgCode'] as const;

/**
 * Checks a comparison on its own: the schema, unique rule ids, every `when` compiling within the
 * logic limits, and every `var` starting with a name a rule may read (`matched`, `match.role`,
 * `list.`, `register.`, `benefits.active` where declared, `ctx.`). Which list columns and
 * register properties exist is checked against those definitions (`comparisonProblems`).
 */
export function loadComparison(
  json: unknown,
  opts: { file?: string; operations?: OperationRegistry } = {},
): LoadResult<ComparisonDefinition> {
  const file = opts.file;
  const limits = definitionLimitProblems(json, file);
  if (limits.length > 0) return rejected(limits);
  const shape = schemaProblems(ComparisonDefinition, json, file);
  if (shape.length > 0) return rejected(shape);
  const def = json as ComparisonDefinition;
  const problems: Problem[] = [];
  const add = (code: string, pointer: string, zh: string, en: string, hintZh: string, hintEn: string) =>
    problems.push(problem(code, pointer, text(zh, en), text(hintZh, hintEn), { file }));
  const seen = new Map<string, number>();
  def.rules.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) {
      add(
        'NX_ERR_CROSSCHECKS_DUPLICATE_ID',
        childPointer('/rules', i, 'id'),
        `规则编号“${r.id}”已在 /rules/${first} 使用`,
        `Rule id "${r.id}" is already used at /rules/${first}`,
        '每条规则使用不同的编号（问题按规则编号去重）',
        'Give every rule its own id (findings are kept per rule id)',
      );
    } else seen.set(r.id, i);
    const when = childPointer('/rules', i, 'when');
    try {
      compileLogic(r.when, opts.operations);
    } catch (e) {
      if (!(e instanceof NxError)) throw e;
      const d = e.errors?.[0];
      problems.push(
        problem(e.code, when + (d?.path ?? ''), e.messageText, text('修正该处规则', 'Fix the rule there'), {
          file,
        }),
      );
      return;
    }
    const benefits = r.needs?.includes('benefits') === true;
    for (const path of collectVars(r.when, opts.operations)) {
      const root = path.split('.')[0] ?? '';
      const ok =
        path === 'matched' ||
        path === 'match.role' ||
        ((root === 'list' || root === 'register' || root === 'ctx') && path.includes('.')) ||
        (path === 'benefits.active' && benefits);
      if (!ok) {
        add(
          'NX_ERR_CROSSCHECKS_UNKNOWN_NAME',
          when,
          `规则读取了“${path}”`,
          `The rule reads "${path}"`,
          path.startsWith('benefits.')
            ? '读取 benefits.active 的规则须声明 needs: ["benefits"]'
            : '可读取：matched、match.role、list.<列>、register.<属性>、benefits.active、ctx.today',
          path.startsWith('benefits.')
            ? 'A rule reading benefits.active must declare needs: ["benefits"]'
            : 'A rule may read matched, match.role, list.<column>, register.<property>, benefits.active, ctx.today',
        );
      }
    }
  });
  return problems.length > 0 ? rejected(problems) : loaded(def);
}

/** The names of `list.` and `register.` paths in a comparison that its list and register lack. */
export function comparisonProblems(
  def: ComparisonDefinition,
  list: ListDefinition | undefined,
  registerProperties: readonly string[] | undefined,
  opts: { file?: string; operations?: OperationRegistry } = {},
): Problem[] {
  const problems: Problem[] = [];
  const columns = new Set(list?.columns.map((c) => c.id));
  const props = new Set([...(registerProperties ?? []), ...REGISTER_FIELDS]);
  def.rules.forEach((r, i) => {
    const paths: [string, string][] = [
      ...collectVars(r.when, opts.operations).map(
        (p) => [p, childPointer('/rules', i, 'when')] as [string, string],
      ),
      ...r.compare.map((p, j) => [p, childPointer('/rules', i, 'compare', j)] as [string, string]),
    ];
    for (const [path, pointer] of paths) {
      const [root, name = ''] = path.split('.');
      const missing =
        (root === 'list' && list !== undefined && !columns.has(name)) ||
        (root === 'register' && registerProperties !== undefined && !props.has(name));
      if (!missing) continue;
      const known = root === 'list' ? [...columns] : [...props];
      problems.push(
        problem(
          'NX_ERR_CROSSCHECKS_UNKNOWN_NAME',
          pointer,
          text(`“${path}”不存在`, `"${path}" does not exist`),
          text(`可用：${known.join(', ')}`, `Known: ${known.join(', ')}`),
          { file: opts.file },
        ),
      );
    }
  });
  return problems;
}
