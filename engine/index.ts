/**
 * The public API of the Nuanxin engine (`nuanxin`): the plugin contract and the few entry points
 * a host needs. More lives behind the subpaths `nuanxin/plugin`, `nuanxin/runtime`, `nuanxin/server` and
 * `nuanxin/definition` (engine/entry/*); everything else in engine/ is internal.
 */

export type { FormDefinition } from './entry/definition.ts';
export * from './entry/plugin.ts';
export { compileForm, compileLogic, loadForm } from './entry/runtime.ts';
export type { LoadedPlugins } from './entry/server.ts';
export {
  buildApp,
  loadPlugins,
  loadPluginsFromFile,
  NuanxinConfig,
  openDatabase,
  PluginEntry,
} from './entry/server.ts';
