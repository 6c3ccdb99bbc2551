/**
 * The server side (`nuanxin/server`): the store and its public reads (submissions in pages and by id,
 * case states and cases, audit entries),
 * org units and scope, masking, audit, the HTTP app and the plugin host.
 * Built-in plugins import from the four entries in `engine/entry/` and nothing else in `engine/`.
 */
export type { AuditEntry, NewAuditEntry } from '../audit/audit.ts';
export { listAudit, writeAudit, writeAuditEntry } from '../audit/audit.ts';
export type { AuditQuery, AuditRecord } from '../audit/read-audit.ts';
export { auditPages, readAudit } from '../audit/read-audit.ts';
export { maskIdNumber, maskPhone } from '../auth/mask.ts';
export type { Principal } from '../auth/principal.ts';
export { canSeePii, hasRole } from '../auth/principal.ts';
export type { Permission, Role } from '../auth/roles.ts';
export { getForm } from '../forms/form-store.ts';
export { maskData } from '../forms/pii.ts';
export { importOrgUnits } from '../org/import.ts';
export type { OrgUnit } from '../org/org-units.ts';
export { getOrgUnit, listSubtree, unitInSubtree } from '../org/org-units.ts';
export { unitPathSql } from '../org/unit-path-sql.ts';
export { NuanxinConfig, PluginEntry } from '../plugin/config-schema.ts';
export type { LoadedPlugin, LoadedPlugins, LoadPluginsOptions } from '../plugin/load-plugins.ts';
export { checkConfig, loadPlugins, loadPluginsFromFile } from '../plugin/load-plugins.ts';
export { migratePlugins, runPluginSeeds } from '../plugin/migrate-plugins.ts';
export type { AppPlugin, BuildAppOptions } from '../server/app.ts';
export { buildApp } from '../server/app.ts';
export { httpError } from '../server/http-error.ts';
export { requireRole, who } from '../server/principal-hook.ts';
export { DateOrTimestampParam, DateParam, PeriodParam } from '../server/query-schemas.ts';
export type { RateLimit } from '../server/rate-limits.ts';
export { perUserRateLimit } from '../server/rate-limits.ts';
export type { Services } from '../server/services.ts';
export { type Clock, systemClock } from '../store/clock.ts';
export type { CreateDatabaseOptions } from '../store/database.ts';
export { createDatabase, describeDatabase, resolveDatabaseUrl } from '../store/database.ts';
export type { TableDeclaration, TableDeclarations } from '../store/declare-tables.ts';
export { createTables, dropTables } from '../store/declare-tables.ts';
export { dialectOf, isUniqueViolation, jsonFieldText } from '../store/dialect.ts';
export { hasTable } from '../store/has-table.ts';
export { LEASE_HOLDER, leaseHeld, releaseLease, renewLease, takeLease } from '../store/lease.ts';
export { migrateToLatest } from '../store/migrate.ts';
export { openDatabase } from '../store/open.ts';
export type { Database } from '../store/schema.ts';
export type { SqlJoin } from '../store/sql-join.ts';
export { notWritable } from '../store/writable.ts';
export type { WriteFailure } from '../store/write-failure.ts';
export { writeFailureOf } from '../store/write-failure.ts';
export { writeTransaction } from '../store/write-transaction.ts';
export type {
  ReadSubmissionsOptions,
  SubmissionDetail,
  SubmissionPageQuery,
  SubmissionRecord,
} from '../submissions/read-pages.ts';
export {
  loadSubmissionData,
  readSubmissionRecord,
  readSubmissions,
  submissionDataLoaded,
  submissionPages,
} from '../submissions/read-pages.ts';
export type { ReportStatus } from '../workflow/report-status.ts';
export { findPeriod, reportStatus } from '../workflow/report-status.ts';
export type { CaseState } from '../workflow-store/case-states.ts';
export { caseStates } from '../workflow-store/case-states.ts';
export type { SubmissionCase } from '../workflow-store/submission-cases.ts';
export { submissionCases } from '../workflow-store/submission-cases.ts';
