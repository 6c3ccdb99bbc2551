/**
 * The isomorphic runtime (`nuanxin/runtime`): compiling and running forms and JSON Logic, the same in
 * Node and in the browser, with its evaluation budget.
 * Built-in plugins import from the four entries in `engine/entry/` and nothing else in `engine/`.
 */

// What a page that only fills forms does without (engine/runtime/page-runtime.ts): the definition
// loader and its schema, for the server and the form editor.
export { FormDefinition as FormDefinitionSchema } from '../definition/form-schema.ts';
export { jsonErrorOffset } from '../definition/json-error-offset.ts';
export { loadForm } from '../definition/load-form.ts';
export type { LogicBudget } from '../logic/budget.ts';
export type { IdcardResult } from '../logic/idcard.ts';
export type { Evaluator, LogicEnv, OperationRegistry } from '../logic/types.ts';
export type {
  BrowserPlugins,
  RuntimeExtension,
  RuntimeRegistries,
  ServerOnlyPart,
} from '../runtime/extension.ts';
export type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
export type {
  CheckFail,
  FieldChecker,
  FieldSpec,
  FieldTypeDefinition,
} from '../runtime/field-types/types.ts';
export * from '../runtime/page-runtime.ts';
export type { CompiledForm, ValidateContext, ValidationError, ValidationResult } from '../runtime/types.ts';
