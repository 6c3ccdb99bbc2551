/**
 * The public API of the Nuanxin engine. Plugins (built-in and third-party) import from here
 * and nowhere else inside `engine/`; a test enforces it.
 */

export type { DefinitionEntry } from './definition/cross-check.ts';
export type {
  Constraint,
  Field,
  FormDefinition,
  GroupField,
  Option,
  ScalarField,
  Section,
  TableField,
} from './definition/form-schema.ts';
export { FIELD_TYPES, FormDefinition as FormDefinitionSchema } from './definition/form-schema.ts';
export {
  definitionLimitProblems,
  jsonShapeFault,
  MAX_DEFINITION_ARRAY,
  MAX_DEFINITION_NODES,
  MAX_JSON_DEPTH,
} from './definition/json-limits.ts';
export type {
  DefinitionKind,
  DefinitionView,
  LoadContext,
  NameReference,
  Reference,
} from './definition/kind.ts';
export { acceptsJson, kindJsonSchema } from './definition/kind.ts';
export {
  checkReferences,
  kindFiles,
  loadDefinitionFile,
  loadKindDir,
  sniffKind,
  valuesOrThrow,
} from './definition/load-definitions.ts';
// --- plugin API (engine/plugin; what plugins need, so they import nothing else from engine/) ---
export type { LoadResult, Problem } from './definition/problem.ts';
export { childPointer, loaded, problem, rejected } from './definition/problem.ts';
export { schemaProblems } from './definition/schema-problems.ts';
export type { CodeInfo, CodeTable, ErrorCode } from './errors/codes.ts';
export { codeInfo, codes } from './errors/codes.ts';
export type { ErrorHelper } from './errors/define-errors.ts';
export { defineErrors, nxError } from './errors/define-errors.ts';
export type { ErrorDetail } from './errors/nx-error.ts';
export { NxError } from './errors/nx-error.ts';
export type { Locale } from './i18n.ts';
export { Text, text } from './i18n.ts';
export {
  createLogicBudget,
  LOGIC_MAX_REQUEST_STEPS,
  LOGIC_MAX_STEPS,
  type LogicBudget,
  withLogicBudget,
} from './logic/budget.ts';
export { compileLogic } from './logic/compile.ts';
export { todayInChina } from './logic/dates.ts';
export { roundDecimal } from './logic/decimal.ts';
export { collectVars } from './logic/references.ts';
export { createOperationRegistry } from './logic/registry.ts';
export { truthy } from './logic/truthy.ts';
export type { Evaluator, LogicEnv, OperationDefinition, OperationRegistry } from './logic/types.ts';
export { API_AREA, CORE_API_AREAS } from './plugin/api-areas.ts';
export { NuanxinConfig, PluginEntry } from './plugin/config-schema.ts';
export { coreDefinitionKinds } from './plugin/core-kinds.ts';
export { definePlugin } from './plugin/define-plugin.ts';
export { ENGINE_VERSION } from './plugin/engine-version.ts';
export type { HookRegistry } from './plugin/hooks.ts';
export { createHookRegistry, runHook } from './plugin/hooks.ts';
export type {
  LoadedPlugin,
  LoadedPlugins,
  LoadPluginsOptions,
  PluginMigrations,
} from './plugin/load-plugins.ts';
export { checkConfig, loadPlugins, loadPluginsFromFile } from './plugin/load-plugins.ts';
export type { PluginMigrationResult } from './plugin/migrate-plugins.ts';
export { migratePlugins, runPluginSeeds } from './plugin/migrate-plugins.ts';
export type { NamedRegistry, OwnedRegistry } from './plugin/named-registry.ts';
export type { BuiltinPlugin } from './plugin/resolve-plugin.ts';
export { pluginFailure, safeCall, safeCallSync } from './plugin/safe-call.ts';
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
} from './plugin/types.ts';
export { parseRange, parseVersion, satisfies } from './plugin/version-range.ts';
export type { FieldTypeRegistry } from './runtime/field-types/registry.ts';
export { createFieldTypeRegistry } from './runtime/field-types/registry.ts';
export type {
  CheckResult,
  FieldCheckEnv,
  FieldChecker,
  FieldSpec,
  FieldTypeDefinition,
} from './runtime/field-types/types.ts';
export type { CompiledForm, ValidateContext, ValidationError, ValidationResult } from './runtime/types.ts';
export type { EffectContext, EffectDefinition, EffectRegistry } from './workflow/effects.ts';
export { createEffectRegistry } from './workflow/effects.ts';
// --- end plugin API ---

// --- workflow engine (engine/workflow; the pure state machine the store and server drive) ---
export type { CompiledTransition, CompiledWorkflow } from './workflow/compile-workflow.ts';
export { compileWorkflow } from './workflow/compile-workflow.ts';
export type { EffectSubmission } from './workflow/effects.ts';
export { formFieldIndex } from './workflow/form-index.ts';
export type { LoadWorkflowOptions } from './workflow/load-workflow.ts';
export { loadWorkflow } from './workflow/load-workflow.ts';
export type { ActionQuery, DecideRequest } from './workflow/machine.ts';
export { availableActions, decide } from './workflow/machine.ts';
export type { ReportStatus } from './workflow/report-status.ts';
export { findPeriod, reportStatus } from './workflow/report-status.ts';
export type { EffectOutcome } from './workflow/run-effects.ts';
export { runEffects } from './workflow/run-effects.ts';
export type { TaskView } from './workflow/tasks.ts';
export { statesActableBy, taskView } from './workflow/tasks.ts';
export { deadlineOf, dueTimers, fireTimer, isOverdue, timerDueAt } from './workflow/timers.ts';
export type {
  Approval,
  AvailableAction,
  Decision,
  DueTimer,
  EffectCall,
  InstanceSnapshot,
  TransitionRecord,
  WorkflowActor,
} from './workflow/types.ts';
export type {
  InputType,
  OrgLevel,
  ReportPeriod,
  StateDefinition,
  Transition,
  TransitionKind,
} from './workflow/workflow-schema.ts';
export {
  DEFAULT_ROLES,
  ORG_LEVELS,
  WorkflowDefinition,
  workflowJsonSchema,
} from './workflow/workflow-schema.ts';

// --- end workflow engine ---

// --- end form runtime ---
// --- store, org units, auth, forms registry, submissions, audit, HTTP server (issue 3) ---
export type { AuditDiff, AuditEntry, NewAuditEntry } from './audit/audit.ts';
export { diffSnapshots, listAudit, writeAudit } from './audit/audit.ts';
export { maskIdNumber, maskPhone } from './auth/mask.ts';
export type { Principal } from './auth/principal.ts';
export { canSeePii, hasRole } from './auth/principal.ts';
export type { Permission, Role } from './auth/roles.ts';
export { PERMISSIONS, ROLE_LABELS, ROLES } from './auth/roles.ts';
export type { NewUser, User } from './auth/users.ts';
export { createUser } from './auth/users.ts';
// --- definition loader (engine/definition; checking definitions into pointer-located problems) ---
export { findCycles } from './definition/cycles.ts';
export { fieldProblems } from './definition/field-problems.ts';
export { formJsonSchema, schemaFileText } from './definition/form-json-schema.ts';
export type { FieldEntry, FormOutline } from './definition/form-outline.ts';
export { dataFields, outlineForm } from './definition/form-outline.ts';
export {
  calcCycleProblems,
  calculationGraph,
  duplicateIdProblems,
  formRuleProblems,
  formRules,
} from './definition/form-problems.ts';
export { lineColumn, parseJson, readJsonFile } from './definition/load-file.ts';
export type { LoadFormOptions } from './definition/load-form.ts';
export { loadForm } from './definition/load-form.ts';
export { escapeToken, sortProblems } from './definition/problem.ts';
export type { RuleScope } from './definition/rule-problems.ts';
export {
  referencedNames,
  referencedRowColumns,
  ruleOperationProblems,
  ruleProblems,
  ruleReferenceProblems,
} from './definition/rule-problems.ts';
export type { SchemaProblemOptions, UnknownTagArgs } from './definition/schema-problems.ts';
export { unknownTypeProblem } from './definition/schema-problems.ts';
export { didYouMean, editDistance } from './definition/suggest.ts';
export { applyOverlay } from './forms/apply-overlay.ts';
export type { EffectiveForm } from './forms/effective-forms.ts';
export { EffectiveForms } from './forms/effective-forms.ts';
export type { StoredForm } from './forms/form-store.ts';
export { getForm, publishDraft, saveDraft } from './forms/form-store.ts';
export { loadOverlay } from './forms/load-overlay.ts';
export type { FormOverlay, OverlayOperation } from './forms/overlay-schema.ts';
export {
  FormOverlay as FormOverlaySchema,
  OverlayOperation as OverlayOperationSchema,
} from './forms/overlay-schema.ts';
export { maskData } from './forms/pii.ts';
// --- end definition loader ---
// --- form runtime and expression language (engine/runtime, engine/logic) ---
export { type IdcardResult, idcardAge, idcardCheckDigit, parseIdcard } from './logic/idcard.ts';
export { defaultOperationRegistry } from './logic/registry.ts';
export type { OrgUnitRow } from './org/import.ts';
export { importOrgUnits, parseOrgUnitsCsv } from './org/import.ts';
export type { OrgUnit } from './org/org-units.ts';
export { getOrgUnit, listSubtree, unitInSubtree } from './org/org-units.ts';
export { compileForm } from './runtime/compile-form.ts';
export type { AppPlugin, BuildAppOptions } from './server/app.ts';
export { buildApp } from './server/app.ts';
export { httpError } from './server/http-error.ts';
export { requireRole, who } from './server/principal-hook.ts';
export { DateOrTimestampParam, DateParam, PeriodParam } from './server/query-schemas.ts';
export { perUserRateLimit, type RateLimit } from './server/rate-limits.ts';
export type { Services } from './server/services.ts';
export type { Clock } from './store/clock.ts';
export {
  type CreateDatabaseOptions,
  createDatabase,
  DEFAULT_DATABASE_URL,
  describeDatabase,
  parseDatabaseUrl,
  resolveDatabaseUrl,
  SYNCHRONOUS_LEVELS,
  type SynchronousLevel,
} from './store/database.ts';
export { dialectOf, isUniqueViolation, jsonFieldText } from './store/dialect.ts';
export { hasTable } from './store/has-table.ts';
export {
  HOUSEKEEPING_INTERVAL_MS,
  type HousekeepingOptions,
  type HousekeepingResult,
  IDEMPOTENCY_RETENTION_MS,
  runHousekeeping,
} from './store/housekeeping.ts';
export { LEASE_HOLDER, leaseHeld, releaseLease, renewLease, takeLease } from './store/lease.ts';
export { migrateToLatest } from './store/migrate.ts';
export { registerMigration } from './store/migrations/index.ts';
export { openDatabase } from './store/open.ts';
export type { Database } from './store/schema.ts';
export { assertWritable, notWritable } from './store/writable.ts';
export { type WriteFailure, writeFailureOf } from './store/write-failure.ts';
export { writeTransaction } from './store/write-transaction.ts';
export { SAVE_STAGES, type SaveStage } from './submissions/pipeline.ts';
export {
  loadSubmissionData,
  readSubmissionRecord,
  type SubmissionPageQuery,
  type SubmissionRecord,
  submissionDataLoaded,
  submissionPages,
} from './submissions/read-pages.ts';
export type {
  AuthorizeResult,
  SaveActor,
  SaveTransition,
  Submission,
  SubmissionHookArgs,
  SubmissionHooks,
} from './submissions/submission.ts';
export { type CaseState, caseStates } from './workflow-store/case-states.ts';
// --- end store and server ---

// --- web pages (plugins/web: what its browser script needs beyond the runtime) ---
export { jsonErrorOffset } from './definition/json-error-offset.ts';
// --- end web pages ---
