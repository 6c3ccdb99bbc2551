/**
 * Definitions (`nuanxin/definition`): the form and workflow schemas, loaders that collect every problem
 * with its JSON pointer, and the helpers a plugin's own definition kind uses.
 * Built-in plugins import from the four entries in `engine/entry/` and nothing else in `engine/`.
 */
export type { DefinitionChecks } from '../definition/check-definition.ts';
export { checkDefinition } from '../definition/check-definition.ts';
export { formJsonSchema } from '../definition/form-json-schema.ts';
export type { FieldEntry, FormOutline } from '../definition/form-outline.ts';
export { dataFields, outlineForm } from '../definition/form-outline.ts';
export type {
  Constraint,
  Field,
  FormDefinition,
  GroupField,
  Option,
  ScalarField,
  Section,
  TableField,
} from '../definition/form-schema.ts';
export { FIELD_TYPES, FormDefinition as FormDefinitionSchema } from '../definition/form-schema.ts';
export { jsonErrorOffset } from '../definition/json-error-offset.ts';
export {
  definitionLimitProblems,
  MAX_DEFINITION_ARRAY,
  MAX_DEFINITION_NODES,
  MAX_JSON_DEPTH,
} from '../definition/json-limits.ts';
export { kindJsonSchema } from '../definition/kind.ts';
export {
  checkReferences,
  kindFiles,
  loadDefinitionFile,
  loadKindDir,
  valuesOrThrow,
} from '../definition/load-definitions.ts';
export { parseJson, readJsonFile } from '../definition/load-file.ts';
export { loadForm } from '../definition/load-form.ts';
export { sortProblems } from '../definition/problem.ts';
export { schemaProblems } from '../definition/schema-problems.ts';
export { didYouMean } from '../definition/suggest.ts';
export { applyOverlay } from '../forms/apply-overlay.ts';
export { loadOverlay } from '../forms/load-overlay.ts';
export type { FormOverlay } from '../forms/overlay-schema.ts';
export { FormOverlay as FormOverlaySchema } from '../forms/overlay-schema.ts';
export { coreDefinitionKinds } from '../plugin/core-kinds.ts';
export { loadWorkflow } from '../workflow/load-workflow.ts';
export { WorkflowDefinition, workflowJsonSchema } from '../workflow/workflow-schema.ts';
