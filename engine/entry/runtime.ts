/**
 * The isomorphic runtime (`nuanxin/runtime`): compiling and running forms and JSON Logic, the same in
 * Node and in the browser, with its evaluation budget.
 * Built-in plugins import from the four entries in `engine/entry/` and nothing else in `engine/`.
 */
export { ROLE_LABELS, ROLES } from '../auth/roles.ts';
export { FormDefinition as FormDefinitionSchema } from '../definition/form-schema.ts';
export { jsonErrorOffset } from '../definition/json-error-offset.ts';
export { loadForm } from '../definition/load-form.ts';
export type { LogicBudget } from '../logic/budget.ts';
export {
  createLogicBudget,
  LOGIC_MAX_REQUEST_STEPS,
  LOGIC_MAX_STEPS,
  withLogicBudget,
} from '../logic/budget.ts';
export { compileLogic } from '../logic/compile.ts';
export { todayInChina } from '../logic/dates.ts';
export { roundDecimal } from '../logic/decimal.ts';
export type { IdcardResult } from '../logic/idcard.ts';
export { idcardAge, idcardCheckDigit, parseIdcard } from '../logic/idcard.ts';
export { collectVars } from '../logic/references.ts';
export { createOperationRegistry, defaultOperationRegistry } from '../logic/registry.ts';
export { truthy } from '../logic/truthy.ts';
export type { Evaluator, LogicEnv, OperationRegistry } from '../logic/types.ts';
export { compileForm } from '../runtime/compile-form.ts';
export type {
  BrowserPlugins,
  RuntimeExtension,
  RuntimeRegistries,
  ServerOnlyPart,
} from '../runtime/extension.ts';
export { defineRuntimeExtension } from '../runtime/extension.ts';
export { ATTACHMENT_DEFAULTS } from '../runtime/field-types/attachment-ref.ts';
export type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
export { createFieldTypeRegistry } from '../runtime/field-types/registry.ts';
export type {
  CheckFail,
  FieldChecker,
  FieldSpec,
  FieldTypeDefinition,
} from '../runtime/field-types/types.ts';
export { hasFieldPatterns } from '../runtime/pattern.ts';
export { loadPatternEngine } from '../runtime/pattern-engine.ts';
export type { CompiledForm, ValidateContext, ValidationError, ValidationResult } from '../runtime/types.ts';
