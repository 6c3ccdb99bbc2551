import { definitionLimitProblems } from '../definition/json-limits.ts';
import {
  childPointer,
  type LoadResult,
  type Problem,
  problem,
  rejected,
  sortProblems,
} from '../definition/problem.ts';
import { schemaProblems } from '../definition/schema-problems.ts';
import { didYouMean } from '../definition/suggest.ts';
import { text } from '../i18n.ts';
import type { OperationRegistry } from '../logic/types.ts';
import type { EffectRegistry } from './effects.ts';
import { workflowProblems } from './workflow-problems.ts';
import {
  ORG_LEVELS,
  StateDefinition,
  StateId,
  type WorkflowDefinition,
  WorkflowOutline,
} from './workflow-schema.ts';

export interface LoadWorkflowOptions {
  /** File name, attached to every problem. */
  readonly file?: string;
  /**
   * Effects that exist (a registry or their names). An effect a transition names that is not
   * here is a load error — a missing plugin is found when the workflow loads, not when a case
   * reaches the step. Absent: no effects are known.
   */
  readonly effects?: EffectRegistry | readonly string[];
  /** Known forms: form id → its field ids. Given: the form must exist and guards may read only its fields. */
  readonly forms?: Readonly<Record<string, readonly string[]>>;
  /** Roles that exist; the store's six by default. */
  readonly roles?: readonly string[];
  /** Operations guards may use (a plugin's operations included). */
  readonly operations?: OperationRegistry;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a workflow definition and returns it, or every problem found, each with a JSON pointer,
 * a stable code and a hint: the shape (TypeBox schema), then the meaning — unknown states, roles,
 * levels, effects and fields; unreachable states and dead ends; duplicate actions; bad durations.
 *
 * @example loadWorkflow(JSON.parse(src), { file: 'workflows/x.json', effects: registry })
 */
export function loadWorkflow(json: unknown, opts: LoadWorkflowOptions = {}): LoadResult<WorkflowDefinition> {
  const file = opts.file;
  const limits = definitionLimitProblems(json, file);
  if (limits.length > 0) return rejected(limits);
  const levelProblems = unknownLevels(json, file);
  const covered = new Set(levelProblems.map((p) => p.pointer));
  const shape = [...schemaProblems(WorkflowOutline, json, file), ...stateShapeProblems(json, file)].filter(
    (p) => !covered.has(p.pointer),
  );
  if (levelProblems.length + shape.length > 0) return rejected(sortProblems([...levelProblems, ...shape]));
  const def = json as WorkflowDefinition;
  const problems = workflowProblems(def, opts);
  return problems.length > 0 ? rejected(sortProblems(problems)) : { ok: true, value: def, problems: [] };
}

/** Levels are a closed list; name the list (and a likely typo) rather than "not allowed". */
function unknownLevels(json: unknown, file: string | undefined): Problem[] {
  const out: Problem[] = [];
  if (!isRecord(json) || !Array.isArray(json.transitions)) return out;
  for (const [i, t] of json.transitions.entries()) {
    if (!isRecord(t) || !Array.isArray(t.by)) continue;
    for (const [j, b] of t.by.entries()) {
      if (!isRecord(b) || typeof b.level !== 'string' || (ORG_LEVELS as readonly string[]).includes(b.level))
        continue;
      const guess = didYouMean(b.level, ORG_LEVELS);
      out.push(
        problem(
          'NX_ERR_WF_UNKNOWN_LEVEL',
          `/transitions/${i}/by/${j}/level`,
          text(`未知行政层级 "${b.level}"`, `Unknown org level "${b.level}"`),
          text(
            `${guess ? `是否应为 "${guess}"？` : ''}层级：${ORG_LEVELS.join(', ')}（相对于案件所在单位）`,
            `${guess ? `Did you mean "${guess}"? ` : ''}Levels: ${ORG_LEVELS.join(', ')} (relative to the case's unit)`,
          ),
          { file, params: { level: b.level, ...(guess ? { suggestion: guess } : {}) } },
        ),
      );
    }
  }
  return out;
}

/** Each state's id and body, checked on their own so pointers land inside the state. */
function stateShapeProblems(json: unknown, file: string | undefined): Problem[] {
  if (!isRecord(json) || !isRecord(json.states)) return [];
  const out: Problem[] = [];
  for (const [id, body] of Object.entries(json.states)) {
    const at = childPointer('/states', id);
    out.push(...schemaProblems(StateId, id, file).map((p) => ({ ...p, pointer: at })));
    out.push(...schemaProblems(StateDefinition, body, file).map((p) => ({ ...p, pointer: at + p.pointer })));
  }
  return out;
}
