import type { TSchema } from '@sinclair/typebox';
import type { PluginDefinition } from './types.ts';

/**
 * Declares a plugin. Returns it unchanged; its purpose is the type: `setup` receives its config
 * typed from the `config` schema.
 *
 * @example
 * export default definePlugin({
 *   name: 'hello', version: '1.0.0', engine: '^0.1.0',
 *   setup(api) { api.hooks.on('afterSubmissionSave', (s) => api.log.info('saved', { id: s.submissionId })); },
 * });
 */
export function definePlugin<S extends TSchema>(plugin: PluginDefinition<S>): PluginDefinition<S> {
  return plugin;
}
