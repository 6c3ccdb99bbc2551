import { resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { definePlugin, type PluginDefinition } from '../../engine/entry/plugin.ts';
import { BUILTIN_COMPARISONS_DIR, BUILTIN_LISTS_DIR, loadCatalog } from './catalog.ts';
import { comparisonKind, listKind } from './definition-kinds.ts';
import { CROSSCHECKS_CODES } from './errors.ts';
import { CROSSCHECKS_MIGRATIONS } from './migrations.ts';
import { crosschecksRoutes } from './routes.ts';

export * from './catalog.ts';
export * from './comparison-schema.ts';
export * from './definition-kinds.ts';
export * from './errors.ts';
export * from './findings.ts';
export * from './import-delivery.ts';
export * from './list-schema.ts';
export * from './list-table.ts';
export * from './load-comparison.ts';
export * from './load-list.ts';
export { CROSSCHECKS_MIGRATIONS } from './migrations.ts';
export * from './referrals.ts';
export * from './report.ts';
export * from './run-comparison.ts';
export * from './tables.ts';
export * from './views.ts';

export const CrosschecksConfig = Type.Object(
  {
    listsDir: Type.String({ default: BUILTIN_LISTS_DIR, description: 'Folder of department lists (*.json)' }),
    comparisonsDir: Type.String({
      default: BUILTIN_COMPARISONS_DIR,
      description: 'Folder of comparisons (*.json), each naming a list and a register',
    }),
  },
  { additionalProperties: false },
);

/**
 * The cross-checks plugin (信息比对): department lists as definitions and deliveries, comparisons
 * with the households register producing findings for the villages, referrals to departments,
 * and the report. API under `/api/crosschecks`.
 */
export function createCrosschecksPlugin() {
  return definePlugin({
    name: 'crosschecks',
    version: '0.1.0',
    engine: '^0.1.0',
    dependsOn: ['registers'],
    config: CrosschecksConfig,
    errors: CROSSCHECKS_CODES,
    description: {
      'zh-CN': '信息比对：部门名单、比对问题、专项救助转介',
      en: 'Cross-checks: department lists, findings for the villages, referrals for targeted assistance',
    },
    setup(api) {
      api.definitions.register(listKind(resolve(api.config.listsDir)));
      api.definitions.register(comparisonKind(resolve(api.config.comparisonsDir)));
      for (const [name, migration] of Object.entries(CROSSCHECKS_MIGRATIONS))
        api.migrations.register(name, migration);
      const catalog = loadCatalog(api.config.listsDir, api.config.comparisonsDir, api.operations);
      api.routes.mount('crosschecks', crosschecksRoutes(catalog));
      api.log.info('crosschecks loaded', {
        lists: catalog.lists.map((l) => l.id),
        comparisons: catalog.comparisons.map((c) => c.id),
      });
    },
  }) satisfies PluginDefinition<typeof CrosschecksConfig>;
}

export default createCrosschecksPlugin();
