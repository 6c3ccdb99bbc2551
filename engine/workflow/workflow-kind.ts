import type { DefinitionKind, NameReference, Reference } from '../definition/kind.ts';
import { childPointer } from '../definition/problem.ts';
import type { EffectRegistry } from './effects.ts';
import { formFieldIndex } from './form-index.ts';
import { loadWorkflow } from './load-workflow.ts';
import { WorkflowDefinition, workflowJsonSchema } from './workflow-schema.ts';

/**
 * Workflows as a definition kind, checked against the effects that exist. Names: `states` and
 * `actions`. References: the form it runs on (its guards may read only that form's fields), and
 * the definitions its effects' parameters name (an effect declares which, e.g. `rules.evaluate`'s
 * `ruleset`); the form must hold the `inputs` such a definition reads.
 */
export function workflowKind(effects?: EffectRegistry): DefinitionKind<WorkflowDefinition> {
  return {
    name: 'workflow',
    folder: 'workflows',
    title: { 'zh-CN': '工作流', en: 'workflow' },
    schema: WorkflowDefinition,
    jsonSchema: workflowJsonSchema,
    load: (json, ctx) => loadWorkflow(json, { ...ctx, ...(effects ? { effects } : {}) }),
    idOf: (wf) => wf.id,
    names: (wf) => ({
      states: Object.keys(wf.states),
      actions: [...new Set(wf.transitions.map((t) => t.action))],
    }),
    references(wf, view) {
      const refs: Reference[] = [];
      const inputs: NameReference[] = [];
      wf.transitions.forEach((t, i) => {
        (t.effects ?? []).forEach((e, j) => {
          for (const [param, kind] of Object.entries(effects?.get(e.name)?.references ?? {})) {
            const id = e.with?.[param];
            if (typeof id !== 'string') continue;
            const pointer = childPointer('/transitions', i, 'effects', j, 'with', param);
            refs.push({ kind, id, pointer });
            for (const name of view.names(kind, id, 'inputs') ?? [])
              inputs.push({ namespace: 'fields', name, pointer });
          }
        });
      });
      return [{ kind: 'form', id: wf.form, pointer: '/form', names: inputs }, ...refs];
    },
    check(wf, view, ctx) {
      const form = view.get('form', wf.form);
      if (form === undefined) return [];
      // Guards may read only the fields of the form the workflow runs on.
      return loadWorkflow(wf, { ...ctx, ...(effects ? { effects } : {}), forms: formFieldIndex([form]) })
        .problems;
    },
  };
}
