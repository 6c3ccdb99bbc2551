/** Workflows in the store: the public surface of `engine/workflow-store`. */
export type { ApplyArgs, StoreEffectContext } from './apply.ts';
export { applyDecision, statusFor } from './apply.ts';
export type { CaseFilters, CaseSummary } from './case-summaries.ts';
export { CaseFiltersSchema, CaseSummarySchema, listCaseSummaries } from './case-summaries.ts';
export type { CatalogOptions, WorkflowCatalog } from './catalog.ts';
export { emptyCatalog, loadWorkflowCatalog } from './catalog.ts';
export { workflowSubmissionHooks } from './hooks.ts';
export type { WorkflowServerOptions } from './server.ts';
export { attachWorkflows, createWorkflowService, workflowFolderOptions } from './server.ts';
export type {
  ActionResult,
  BulkResult,
  HistoryEntry,
  WorkflowServiceOptions,
} from './service.ts';
export { WorkflowService } from './service.ts';
export type { CityReportStatus, StatisticsReportStatus } from './statistics-status.ts';
export { statisticsReportStatus } from './statistics-status.ts';
export type { WorkflowDatabase, WorkflowTables } from './tables.ts';
export { withWorkflowTables } from './tables.ts';
export type { Task, TaskFilters } from './tasks.ts';
export type { FiredTimer } from './timers.ts';
export { runDueTimers, startTimerRunner } from './timers.ts';
