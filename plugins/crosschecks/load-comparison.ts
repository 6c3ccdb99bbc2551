import { checkDefinition, type DefinitionChecks } from '../../engine/entry/definition.ts';
import { childPointer, type LoadResult, type Problem, problem, text } from '../../engine/entry/plugin.ts';
import { collectVars, type OperationRegistry } from '../../engine/entry/runtime.ts';
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
  return checkDefinition(ComparisonDefinition, json, opts, comparisonChecks);
}

function comparisonChecks(def: ComparisonDefinition, { add, rule }: DefinitionChecks): void {
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
    const benefits = r.needs?.includes('benefits') === true;
    for (const path of rule(r.when, when) ?? []) {
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
