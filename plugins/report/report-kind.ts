import {
  childPointer,
  type DefinitionKind,
  type NameReference,
  type Reference,
} from '../../engine/entry/plugin.ts';
import { collectVars } from '../../engine/entry/runtime.ts';
import { loadReport } from './load-report.ts';
import { ReportDefinition } from './report-schema.ts';

/**
 * Report definitions as a kind (`reports/*.json`). References: the source form (and the
 * fields, table and columns the report reads of it), the ruleset of its decisions (and the
 * outputs read as `decision.x`; the form must hold the fields that ruleset reads) and the
 * workflow whose states filter the list (each state must exist in it).
 */
export function reportKind(dir?: string): DefinitionKind<ReportDefinition> {
  return {
    name: 'report',
    folder: 'reports',
    title: { 'zh-CN': '报表', en: 'report' },
    schema: ReportDefinition,
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) => loadReport(json, ctx),
    idOf: (r) => r.id,
    references: (r, view) => reportReferences(r, view.names.bind(view)),
  };
}

type Names = (kind: string, id: string, namespace: string) => readonly string[] | undefined;

function reportReferences(r: ReportDefinition, names: Names): Reference[] {
  const src = r.source;
  const form: NameReference[] = [];
  const outputs: NameReference[] = [];
  const columnsOf = src.rows ? `columns/${src.rows}` : undefined;
  const field = (name: string, pointer: string) => form.push({ namespace: 'fields', name, pointer });
  /** A path read by an item: `row.x` (a column of the table rows) or a field. */
  const item = (path: string, pointer: string) => {
    const [root, rest] = path.split('.');
    if (root === 'row' && rest && columnsOf) form.push({ namespace: columnsOf, name: rest, pointer });
    else if (root && root !== 'row' && root !== 'ctx') field(root, pointer);
  };
  /** A path read by a list row: `data.x` (a field) or `decision.x` (an output of the ruleset). */
  const listed = (path: string, pointer: string) => {
    const [root, rest] = path.split('.');
    if (!rest) return;
    if (root === 'data') field(rest, pointer);
    if (root === 'decision') outputs.push({ namespace: 'outputs', name: rest, pointer });
  };
  const reads = (rule: unknown, pointer: string, each: (path: string, pointer: string) => void) => {
    for (const path of collectVars(rule)) each(path, pointer);
  };

  if (src.rows) form.push({ namespace: 'tables', name: src.rows, pointer: '/source/rows' });
  if (src.periodField) field(src.periodField, '/source/periodField');
  if (r.groupBy?.orgField) item(r.groupBy.orgField, '/groupBy/orgField');
  r.measures?.forEach((m, i) => {
    if (m.field) item(m.field, childPointer('/measures', i, 'field'));
  });
  r.columns?.forEach((c, i) => {
    reads(c.value, childPointer('/columns', i, 'value'), listed);
    if (c.options && !src.rows) field(c.options, childPointer('/columns', i, 'options'));
  });
  if (r.filter !== undefined) reads(r.filter, '/filter', r.kind === 'list' ? listed : item);

  // A provided source (another plugin's items) has no form whose fields could be checked.
  const refs: Reference[] = src.form
    ? [{ kind: 'form', id: src.form, pointer: '/source/form', names: form }]
    : [];
  if (src.decisions) {
    const pointer = '/source/decisions/ruleset';
    const id = src.decisions.ruleset;
    // With further rulesets, each output read is checked against the first that declares it.
    const also = src.decisions.alsoRulesets ?? [];
    const owner = (name: string) =>
      [id, ...also].find((r) => names('ruleset', r, 'outputs')?.includes(name)) ?? id;
    refs.push({ kind: 'ruleset', id, pointer, names: outputs.filter((o) => owner(o.name) === id) });
    also.forEach((other, i) => {
      const read = outputs.filter((o) => owner(o.name) === other);
      refs.push({
        kind: 'ruleset',
        id: other,
        pointer: childPointer('/source/decisions/alsoRulesets', i),
        names: read,
      });
    });
    // The form decided on must hold what the ruleset reads, or every decision is made on blanks.
    const decidedOn = src.decisions.decidedOn;
    if (decidedOn === undefined)
      for (const name of names('ruleset', id, 'inputs') ?? []) field(name, pointer);
    else
      refs.push({
        kind: 'form',
        id: decidedOn,
        pointer: '/source/decisions/decidedOn',
        names: (names('ruleset', id, 'inputs') ?? []).map((name) => ({ namespace: 'fields', name, pointer })),
      });
  }
  if (src.workflow) {
    const states = src.workflow.states.map((name, i) => ({
      namespace: 'states',
      name,
      pointer: childPointer('/source/workflow/states', i),
    }));
    refs.push({ kind: 'workflow', id: src.workflow.id, pointer: '/source/workflow/id', names: states });
  }
  return refs;
}
