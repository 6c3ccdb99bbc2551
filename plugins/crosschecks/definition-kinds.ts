import type { DefinitionKind } from '../../engine/entry/plugin.ts';
import {
  type ComparisonDefinition,
  ComparisonDefinition as ComparisonSchema,
  comparisonJsonSchema,
} from './comparison-schema.ts';
import { type ListDefinition, ListDefinition as ListSchema, listJsonSchema } from './list-schema.ts';
import { comparisonProblems, loadComparison } from './load-comparison.ts';
import { loadList } from './load-list.ts';

/** Department lists as a definition kind (`lists/*.json`). */
export function listKind(dir?: string): DefinitionKind<ListDefinition> {
  return {
    name: 'department-list',
    folder: 'lists',
    title: { 'zh-CN': '部门比对名单', en: 'department list' },
    schema: ListSchema,
    jsonSchema: listJsonSchema,
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) => loadList(json, ctx.file ? { file: ctx.file } : {}),
    idOf: (def) => def.id,
    names: (def) => ({ columns: def.columns.map((c) => c.id) }),
  };
}

/** Comparisons as a definition kind (`comparisons/*.json`): each names a list and a register. */
export function comparisonKind(dir?: string): DefinitionKind<ComparisonDefinition> {
  return {
    name: 'comparison',
    folder: 'comparisons',
    title: { 'zh-CN': '信息比对规则', en: 'comparison' },
    schema: ComparisonSchema,
    jsonSchema: comparisonJsonSchema,
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) =>
      loadComparison(json, {
        ...(ctx.file ? { file: ctx.file } : {}),
        ...(ctx.operations ? { operations: ctx.operations } : {}),
      }),
    idOf: (def) => def.id,
    references: (def) => [
      { kind: 'department-list', id: def.list, pointer: '/list' },
      { kind: 'register', id: def.register, pointer: '/register' },
    ],
    check(def, view, ctx) {
      const list = view.get('department-list', def.list) as ListDefinition | undefined;
      const register = view.get('register', def.register) as { properties?: { id: string }[] } | undefined;
      return comparisonProblems(
        def,
        list,
        register?.properties?.map((p) => p.id),
        {
          ...(ctx.file ? { file: ctx.file } : {}),
          ...(ctx.operations ? { operations: ctx.operations } : {}),
        },
      );
    },
  };
}
