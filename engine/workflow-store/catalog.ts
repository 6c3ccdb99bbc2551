import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Problem } from '../definition/problem.ts';
import type { OperationRegistry } from '../logic/types.ts';
import { nowIso } from '../store/clock.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { Database } from '../store/schema.ts';
import { type CompiledWorkflow, compileWorkflow } from '../workflow/compile-workflow.ts';
import { createEffectRegistry, type EffectRegistry } from '../workflow/effects.ts';
import { loadWorkflow } from '../workflow/load-workflow.ts';
import { loadWorkflowFile } from '../workflow/load-workflow-file.ts';
import type { WorkflowDefinition } from '../workflow/workflow-schema.ts';
import { wfError } from './errors.ts';
import { withWorkflowTables } from './tables.ts';

/** The workflows a server runs: the current one per form, and every stored version for pinned cases. */
export interface WorkflowCatalog {
  /** The effects transitions run (from the loaded plugins). */
  readonly effects: EffectRegistry;
  /** The current version of the workflow that runs on this form, if any. */
  forForm(formId: string): CompiledWorkflow | undefined;
  /** A given version (cases stay on the version they started with). */
  get(id: string, version: number): CompiledWorkflow | undefined;
  /** Every known version, current and pinned. */
  all(): readonly CompiledWorkflow[];
}

export interface CatalogOptions {
  /** Folder of workflow files (`workflows/`); every `*.json` in it except JSON Schemas. */
  readonly dir?: string;
  /** Definitions given directly (tests, embedding). */
  readonly definitions?: readonly unknown[];
  /** Effects the plugins registered; a transition naming another is a start-up error. */
  readonly effects?: EffectRegistry;
  /** Operations guards may use. */
  readonly operations?: OperationRegistry;
}

const lines = (problems: readonly Problem[]) =>
  problems.map((p) => `${p.file ?? ''}${p.pointer ? `:${p.pointer}` : ''} ${p.code} ${p.message.en}`);

/** Reads and checks the definitions; any problem stops the start with every problem listed. */
function readDefinitions(opts: CatalogOptions, effects: EffectRegistry): WorkflowDefinition[] {
  const out: WorkflowDefinition[] = [];
  const problems: Problem[] = [];
  const common = { effects, ...(opts.operations ? { operations: opts.operations } : {}) };
  if (opts.dir !== undefined) {
    const files = readdirSync(opts.dir)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
      .sort();
    for (const f of files) {
      const r = loadWorkflowFile(join(opts.dir, f), common);
      if (r.ok) out.push(r.value);
      else problems.push(...r.problems);
    }
  }
  for (const json of opts.definitions ?? []) {
    const r = loadWorkflow(json, common);
    if (r.ok) out.push(r.value);
    else problems.push(...r.problems);
  }
  if (problems.length > 0) {
    throw wfError(
      'NX_ERR_WF_LOAD_FAILED',
      problems.map((p) => ({
        path: p.pointer,
        code: p.code,
        message: p.message,
        hint: p.hint,
        params: { file: p.file ?? null, ...(p.params ?? {}), line: lines([p])[0] },
      })),
    );
  }
  return out;
}

/**
 * Loads the workflows at server start: checks each against the plugins' effects (a missing
 * effect fails here, naming it), records each version in `workflow_definitions` the first time
 * it is seen, and compiles every stored version so that running cases keep their own. A file
 * whose content changed under the same version is refused: raise its `version` instead.
 */
export async function loadWorkflowCatalog(
  store: Kysely<Database>,
  opts: CatalogOptions = {},
): Promise<WorkflowCatalog> {
  const db = withWorkflowTables(store);
  const effects = opts.effects ?? createEffectRegistry();
  const current = readDefinitions(opts, effects);
  const byForm = new Map<string, CompiledWorkflow>();
  const byKey = new Map<string, CompiledWorkflow>();
  const compileOpts = opts.operations ? { operations: opts.operations } : {};

  for (const def of current) {
    const text = JSON.stringify(def);
    let stored = await db
      .selectFrom('workflow_definitions')
      .select('definition')
      .where('id', '=', def.id)
      .where('version', '=', def.version)
      .executeTakeFirst();
    if (!stored) {
      try {
        await db
          .insertInto('workflow_definitions')
          .values({ id: def.id, version: def.version, definition: text, loaded_at: nowIso() })
          .execute();
        stored = { definition: text };
      } catch (err) {
        // Another server process stored it at the same moment: compare with what it stored.
        if (!isUniqueViolation(err)) throw err;
        stored = await db
          .selectFrom('workflow_definitions')
          .select('definition')
          .where('id', '=', def.id)
          .where('version', '=', def.version)
          .executeTakeFirstOrThrow();
      }
    }
    if (stored.definition !== text) {
      throw wfError('NX_ERR_WF_VERSION_CHANGED', [
        {
          path: '/version',
          code: 'NX_ERR_WF_VERSION_CHANGED',
          message: {
            'zh-CN': `流程 ${def.id} 第 ${def.version} 版与已保存的不同`,
            en: `Workflow ${def.id} version ${def.version} differs from the stored one`,
          },
          params: { workflow: def.id, version: def.version },
        },
      ]);
    }
    const wf = compileWorkflow(def, compileOpts);
    const other = byForm.get(def.form);
    if (other && other.id !== def.id) {
      throw wfError('NX_ERR_WF_LOAD_FAILED', [
        {
          path: '/form',
          code: 'NX_ERR_WF_LOAD_FAILED',
          message: {
            'zh-CN': `表单 ${def.form} 同时属于流程 ${other.id} 和 ${def.id}`,
            en: `Form ${def.form} has two workflows: ${other.id} and ${def.id}`,
          },
        },
      ]);
    }
    if (!other || other.version < def.version) byForm.set(def.form, wf);
    byKey.set(`${def.id}@${def.version}`, wf);
  }

  // Older versions that running cases may still be pinned to.
  const rows = await db.selectFrom('workflow_definitions').selectAll().execute();
  for (const r of rows) {
    const key = `${r.id}@${r.version}`;
    if (!byKey.has(key)) {
      byKey.set(key, compileWorkflow(JSON.parse(r.definition) as WorkflowDefinition, compileOpts));
    }
  }

  return {
    effects,
    forForm: (formId) => byForm.get(formId),
    get: (id, version) => byKey.get(`${id}@${version}`),
    all: () => [...byKey.values()],
  };
}

/** A catalog with no workflows (a server started without any). */
export function emptyCatalog(effects: EffectRegistry = createEffectRegistry()): WorkflowCatalog {
  return { effects, forForm: () => undefined, get: () => undefined, all: () => [] };
}
