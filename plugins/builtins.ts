import type { BuiltinPlugin } from '../engine/entry/plugin.ts';

/**
 * Built-in plugins by the name `nuanxin.config.json` lists them with. Each is imported only
 * when listed, so an unused built-in costs nothing at start-up.
 */
export const builtinPlugins: Readonly<Record<string, BuiltinPlugin>> = {
  benefits: async () => (await import('./benefits/index.ts')).default,
  payments: async () => (await import('./payments/index.ts')).default,
  crosschecks: async () => (await import('./crosschecks/index.ts')).default,
  registers: async () => (await import('./registers/index.ts')).default,
  report: async () => (await import('./report/index.ts')).default,
  rules: async () => (await import('./rules/index.ts')).default,
  'sms-outbox': async () => (await import('./sms-outbox/index.ts')).default,
  web: async () => (await import('./web/index.ts')).default,
};
