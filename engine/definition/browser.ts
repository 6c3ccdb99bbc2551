/**
 * What the web bundle gives a page for `engine/entry/definition.ts` (`nuanxin/definition`): the
 * browser-safe part the form editor uses to check a definition as it is typed, with the server's
 * own loader. A missing export fails the bundle.
 */
export { FormDefinition as FormDefinitionSchema } from './form-schema.ts';
export { jsonErrorOffset } from './json-error-offset.ts';
export { loadForm } from './load-form.ts';
