/**
 * The runtime's values less the definition loader and its schemas (`engine/definition/browser.ts`,
 * the editor's): what the web bundle gives a page for `engine/entry/runtime.ts` (`nuanxin/runtime`),
 * which re-exports all of this and adds the loader, so a page that only fills forms never fetches or
 * parses it. A page that imports the loader from `nuanxin/runtime` fails the bundle.
 */
export { ROLE_LABELS, ROLES } from '../auth/roles.ts';
export {
  createLogicBudget,
  LOGIC_MAX_REQUEST_STEPS,
  LOGIC_MAX_STEPS,
  withLogicBudget,
} from '../logic/budget.ts';
export { compileLogic } from '../logic/compile.ts';
export { todayInChina } from '../logic/dates.ts';
export { roundDecimal } from '../logic/decimal.ts';
export { idcardAge, idcardCheckDigit, parseIdcard } from '../logic/idcard.ts';
export { collectVars } from '../logic/references.ts';
export { createOperationRegistry, defaultOperationRegistry } from '../logic/registry.ts';
export { truthy } from '../logic/truthy.ts';
export { compileForm } from './compile-form.ts';
export { defineRuntimeExtension } from './extension.ts';
export { ATTACHMENT_DEFAULTS } from './field-types/attachment-ref.ts';
export { createFieldTypeRegistry } from './field-types/registry.ts';
export { hasFieldPatterns } from './pattern.ts';
export { loadPatternEngine } from './pattern-engine.ts';
