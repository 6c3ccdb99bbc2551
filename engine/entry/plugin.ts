/**
 * The plugin contract (`nuanxin/plugin`): what a plugin author writes against — `definePlugin`, the
 * registries `setup` receives, hooks, effects, field types, operations, definition kinds, error codes.
 * Built-in plugins import from the four entries in `engine/entry/` and nothing else in `engine/`.
 */
export type {
  DefinitionKind,
  DefinitionView,
  LoadContext,
  NameReference,
  Reference,
} from '../definition/kind.ts';
export type { LoadResult, Problem } from '../definition/problem.ts';
export { childPointer, loaded, problem, rejected } from '../definition/problem.ts';
export { codeCatalogue } from '../errors/code-catalogue.ts';
export type { CodeInfo, CodeTable, ErrorCode } from '../errors/codes.ts';
export type { ErrorHelper } from '../errors/define-errors.ts';
export { defineErrors } from '../errors/define-errors.ts';
export type { ErrorDetail } from '../errors/nx-error.ts';
export { NxError } from '../errors/nx-error.ts';
export type { Locale } from '../i18n.ts';
export { Text, text } from '../i18n.ts';
export type { OperationDefinition } from '../logic/types.ts';
export { definePlugin } from '../plugin/define-plugin.ts';
export { ENGINE_VERSION } from '../plugin/engine-version.ts';
export type { BuiltinPlugin } from '../plugin/resolve-plugin.ts';
export { safeCall } from '../plugin/safe-call.ts';
export type {
  HookHandler,
  HookName,
  HookPayloads,
  HookResults,
  MigrationCollector,
  PluginApi,
  PluginDefinition,
  PluginLogger,
  PluginRoute,
  PluginSeed,
  RouteCollector,
  SeedCollector,
  ServiceDirectory,
} from '../plugin/types.ts';
export type { RuntimeExtension, RuntimeRegistries } from '../runtime/extension.ts';
export { defineRuntimeExtension } from '../runtime/extension.ts';
export type {
  CheckResult,
  FieldCheckEnv,
  FieldChecker,
  FieldSpec,
  FieldTypeDefinition,
} from '../runtime/field-types/types.ts';
export type { EffectContext, EffectDefinition, EffectSubmission } from '../workflow/effects.ts';
