/**
 * The browser entry of the runtime: what a page needs to validate a form exactly as the server
 * does. It imports no Node built-ins (a test bundles it and runs it under a strict CSP).
 */

// Editor pages check a definition as it is typed, with the server's own loader.
// Pages name roles in words.
export { ROLE_LABELS, ROLES } from '../auth/roles.ts';
export { jsonErrorOffset } from '../definition/json-error-offset.ts';
export { loadForm } from '../definition/load-form.ts';
export { compileLogic } from '../logic/compile.ts';
export { parseIdcard } from '../logic/idcard.ts';
export { createOperationRegistry } from '../logic/registry.ts';
export { compileForm } from './compile-form.ts';
export { createFieldTypeRegistry } from './field-types/registry.ts';
export { hasFieldPatterns } from './pattern.ts';
export { loadPatternEngine } from './pattern-engine.ts';
