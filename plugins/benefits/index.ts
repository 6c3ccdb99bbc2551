import { definePlugin, type PluginDefinition } from '../../engine/index.ts';
import { BENEFITS_CODES } from './errors.ts';
import { benefitsService } from './service.ts';
import { BENEFITS_MIGRATIONS } from './tables.ts';

export * from './errors.ts';
export * from './months.ts';
export * from './read.ts';
export * from './service.ts';
export * from './tables.ts';
export * from './write.ts';

/**
 * The benefits plugin: what an approval decided a household receives (`benefits`, with its
 * history in `benefit_changes`), and the service `benefits` other plugins build payments on.
 */
export function createBenefitsPlugin() {
  return definePlugin({
    name: 'benefits',
    version: '0.1.0',
    engine: '^0.1.0',
    errors: BENEFITS_CODES,
    description: {
      'zh-CN': '救助待遇：审批通过后生成，民政部门调整、暂停、恢复、终止',
      en: 'Benefits: created by approvals; civil affairs adjusts, suspends, resumes and stops them',
    },
    setup(api) {
      for (const [name, migration] of Object.entries(BENEFITS_MIGRATIONS))
        api.migrations.register(name, migration);
      api.services.provide(benefitsService);
    },
  }) satisfies PluginDefinition;
}

export default createBenefitsPlugin();
