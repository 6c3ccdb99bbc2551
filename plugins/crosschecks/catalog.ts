import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { loadKindDir, valuesOrThrow } from '../../engine/entry/definition.ts';
import type { OperationRegistry } from '../../engine/entry/runtime.ts';
import type { Clock, Database } from '../../engine/entry/server.ts';
import type { ComparisonDefinition } from './comparison-schema.ts';
import { comparisonKind, listKind } from './definition-kinds.ts';
import { crosschecksError } from './errors.ts';
import { type Actor, type DeliveryInput, type DeliveryResult, importDelivery } from './import-delivery.ts';
import type { ListDefinition } from './list-schema.ts';
import { comparisonProblems } from './load-comparison.ts';
import { type RunResult, runComparison } from './run-comparison.ts';

/** The lists and comparisons that ship with Nuanxin (`lists/`, `comparisons/` at the top of the project). */
export const BUILTIN_LISTS_DIR = fileURLToPath(new URL('../../lists/', import.meta.url));
export const BUILTIN_COMPARISONS_DIR = fileURLToPath(new URL('../../comparisons/', import.meta.url));

/** The loaded lists and comparisons, and what a delivery sets off. */
export interface Catalog {
  readonly lists: readonly ListDefinition[];
  readonly comparisons: readonly ComparisonDefinition[];
  list(id: string): ListDefinition;
  /** Stores a delivery, then runs every comparison of its list over it (a recognised repeat runs none). */
  deliver(
    db: Kysely<Database>,
    listId: string,
    actor: Actor,
    input: DeliveryInput,
  ): Promise<DeliveryResult & { runs: RunResult[] }>;
  /** Runs the comparisons of a delivery's list again (idempotent). */
  rerun(
    db: Kysely<Database>,
    listId: string,
    deliveryId: string,
    actor: Actor,
    today?: string,
    clock?: Clock,
  ): Promise<RunResult[]>;
}

export function loadCatalog(
  listsDir = BUILTIN_LISTS_DIR,
  comparisonsDir = BUILTIN_COMPARISONS_DIR,
  operations?: OperationRegistry,
): Catalog {
  const ctx = operations ? { operations } : {};
  const fail = (
    message: Parameters<typeof crosschecksError>[1],
    errors: Parameters<typeof crosschecksError>[2],
  ) => crosschecksError('NX_ERR_CROSSCHECKS_INVALID_DEFINITION', message, errors);
  const lists = valuesOrThrow(loadKindDir(listKind(), listsDir, ctx), fail, {
    'zh-CN': '比对名单',
    en: 'lists',
  });
  const comparisons = valuesOrThrow(loadKindDir(comparisonKind(), comparisonsDir, ctx), fail, {
    'zh-CN': '比对规则',
    en: 'comparisons',
  });
  const byId = new Map(lists.map((l) => [l.id, l]));
  for (const c of comparisons) {
    const problems = comparisonProblems(c, byId.get(c.list), undefined, ctx);
    if (!byId.has(c.list)) {
      problems.push({
        pointer: '/list',
        code: 'NX_ERR_CROSSCHECKS_UNKNOWN_NAME',
        message: { 'zh-CN': `没有名单“${c.list}”`, en: `No list "${c.list}"` },
        hint: {
          'zh-CN': `已有：${[...byId.keys()].join(', ')}`,
          en: `Known: ${[...byId.keys()].join(', ')}`,
        },
      });
    }
    if (problems.length > 0) valuesOrThrow({ ok: false, problems }, fail, { 'zh-CN': c.id, en: c.id });
  }
  const list = (id: string) => {
    const l = byId.get(id);
    if (!l) {
      throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
        'zh-CN': `没有名单“${id}”（已有：${[...byId.keys()].join('、')}）`,
        en: `No list "${id}" (known: ${[...byId.keys()].join(', ')})`,
      });
    }
    return l;
  };
  const rerun: Catalog['rerun'] = async (db, listId, deliveryId, actor, today, clock) => {
    const def = list(listId);
    const runs: RunResult[] = [];
    for (const c of comparisons.filter((x) => x.list === def.id)) {
      runs.push(
        await runComparison(db, c, def, deliveryId, {
          actor: actor.username,
          ...(today ? { today } : {}),
          ...(clock ? { clock } : {}),
          ...(operations ? { operations } : {}),
        }),
      );
    }
    return runs;
  };
  return {
    lists,
    comparisons,
    list,
    async deliver(db, listId, actor, input) {
      const r = await importDelivery(db, list(listId), actor, input);
      const runs = r.duplicate ? [] : await rerun(db, listId, r.deliveryId, actor, input.today, input.clock);
      return { ...r, runs };
    },
    rerun,
  };
}
