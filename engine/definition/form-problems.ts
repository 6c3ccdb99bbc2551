import { text } from '../i18n.ts';
import type { OperationRegistry } from '../logic/types.ts';
import { findCycles } from './cycles.ts';
import { dataFields, type FieldEntry, type FormOutline, isRecord } from './form-outline.ts';
import { childPointer, type Problem, problem } from './problem.ts';
import { referencedNames, referencedRowColumns, ruleProblems } from './rule-problems.ts';

/**
 * Checks that span a form: duplicate ids, rules that read unknown fields or call unknown
 * operations, and cycles among calculated fields.
 */

/** Ids must be unique among all fields of the form (groups included), columns within their table, sections among sections. */
export function duplicateIdProblems(outline: FormOutline, file?: string): Problem[] {
  const out: Problem[] = [];
  const check = (items: readonly { id: string | undefined; pointer: string }[], what: [string, string]) => {
    const first = new Map<string, string>();
    for (const item of items) {
      if (item.id === undefined) continue;
      const earlier = first.get(item.id);
      if (earlier === undefined) {
        first.set(item.id, item.pointer);
        continue;
      }
      out.push(
        problem(
          'NX_ERR_DEF_DUPLICATE_ID',
          childPointer(item.pointer, 'id'),
          text(`${what[0]}标识 "${item.id}" 重复`, `Duplicate ${what[1]} id "${item.id}"`),
          text(`已在 ${earlier} 使用；改用新的标识`, `Already used at ${earlier}; choose another id`),
          { file, params: { id: item.id, first: earlier } },
        ),
      );
    }
  };
  check(outline.sections, ['分节', 'section']);
  check(
    outline.fields.filter((f) => !f.table),
    ['字段', 'field'],
  );
  for (const cols of outline.columns.values()) check(cols, ['列', 'column']);
  return out;
}

/** Where a field's rules live, for the rule checks and the dependency graph. */
function fieldRules(f: FieldEntry): { pointer: string; rule: unknown }[] {
  const rules: { pointer: string; rule: unknown }[] = [];
  for (const key of ['visibleIf', 'requiredIf', 'calculate'] as const) {
    if (f.raw[key] !== undefined) rules.push({ pointer: childPointer(f.pointer, key), rule: f.raw[key] });
  }
  rules.push(...constraintRules(f.raw.constraints, childPointer(f.pointer, 'constraints')));
  return rules;
}

function constraintRules(list: unknown, base: string): { pointer: string; rule: unknown }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c, i) =>
    isRecord(c) && c.rule !== undefined ? [{ pointer: childPointer(base, i, 'rule'), rule: c.rule }] : [],
  );
}

/** Every rule of a form with its pointer, and the field it belongs to (none for sections and the form). */
export function formRules(
  def: unknown,
  outline: FormOutline,
): { pointer: string; rule: unknown; field?: FieldEntry }[] {
  const rules: { pointer: string; rule: unknown; field?: FieldEntry }[] = [];
  for (const s of outline.sections) {
    if (s.raw.visibleIf !== undefined)
      rules.push({ pointer: childPointer(s.pointer, 'visibleIf'), rule: s.raw.visibleIf });
  }
  for (const f of outline.fields) rules.push(...fieldRules(f).map((r) => ({ ...r, field: f })));
  if (isRecord(def)) rules.push(...constraintRules(def.constraints, '/constraints'));
  return rules;
}

const idsOf = (entries: readonly FieldEntry[]): Set<string> =>
  new Set(entries.flatMap((e) => (e.id === undefined ? [] : [e.id])));

/**
 * Every rule of the form checked against the field ids it may read. A column's rules (and the
 * table's own) may also read `row.<column>` of that table; everything may read `ctx.*`.
 */
export function formRuleProblems(
  def: unknown,
  outline: FormOutline,
  operations: OperationRegistry,
  file?: string,
): Problem[] {
  const names = idsOf(dataFields(outline));
  const out: Problem[] = [];
  for (const { pointer, rule, field } of formRules(def, outline)) {
    const table = field?.table ?? (field?.type === 'table' ? field : undefined);
    const row = table ? idsOf(outline.columns.get(table) ?? []) : undefined;
    out.push(...ruleProblems(rule, pointer, { names, row, operations, file }));
  }
  return out;
}

/**
 * The calculation graph: a calculated field depends on the fields its `calculate` reads; a
 * calculated column (`table.column`) on the row's columns and on fields; a table on its
 * calculated columns (a sum over the table reads them). Only cycles through `calculate` matter:
 * other rules are evaluated after all calculations.
 */
export function calculationGraph(
  outline: FormOutline,
  operations?: OperationRegistry,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const nodeOf = (f: FieldEntry): string | undefined =>
    f.id === undefined ? undefined : f.table ? `${f.table.id ?? '?'}.${f.id}` : f.id;
  for (const f of outline.fields) {
    const node = nodeOf(f);
    if (node === undefined) continue;
    if (f.raw.calculate !== undefined && f.type !== 'table' && f.type !== 'group') {
      const deps = referencedNames(f.raw.calculate, operations);
      if (f.table)
        deps.push(
          ...referencedRowColumns(f.raw.calculate, operations).map((c) => `${f.table?.id ?? '?'}.${c}`),
        );
      graph.set(node, deps);
    }
    if (f.type === 'table') {
      const calculated = (outline.columns.get(f) ?? []).filter((c) => c.raw.calculate !== undefined);
      graph.set(
        node,
        calculated.flatMap((c) => nodeOf(c) ?? []),
      );
    }
  }
  return graph;
}

/** Cycles among calculated fields, each reported once at the `calculate` of its first field. */
export function calcCycleProblems(
  outline: FormOutline,
  operations?: OperationRegistry,
  file?: string,
): Problem[] {
  const graph = calculationGraph(outline, operations);
  const pointers = new Map<string, string>();
  for (const f of outline.fields) {
    if (f.id === undefined || f.raw.calculate === undefined) continue;
    pointers.set(f.table ? `${f.table.id ?? '?'}.${f.id}` : f.id, childPointer(f.pointer, 'calculate'));
  }
  return findCycles(graph).map((found) => {
    // Start the story at a calculated field rather than at a table that merely sums it.
    const open = found.slice(0, -1);
    const k = Math.max(
      0,
      open.findIndex((n) => pointers.has(n)),
    );
    const cycle = [...open.slice(k), ...open.slice(0, k), open[k] ?? ''];
    const at = cycle[0] ?? '';
    const shown = cycle.join(' → ');
    return problem(
      'NX_ERR_DEF_CALC_CYCLE',
      pointers.get(at) ?? '',
      text(`计算字段循环依赖：${shown}`, `Calculated fields form a cycle: ${shown}`),
      text(
        '去掉环上某个 calculate 对下一个字段的引用，使计算能按先后顺序进行',
        'Remove one of the references along the cycle so the calculations can run in order',
      ),
      { file, params: { cycle } },
    );
  });
}
