import type { Migration } from 'kysely';
import * as core from './001_core.ts';
import * as auditAppendOnly from './002_audit_append_only.ts';
import * as workflow from './003_workflow.ts';
import * as submissionPathOrder from './004_submission_path_order.ts';
import * as loginThrottle from './005_login_throttle.ts';
import * as leasesRetention from './006_leases_retention.ts';
import * as formOwners from './007_form_owners.ts';
import * as attachments from './008_attachments.ts';

/**
 * Every migration, by name (applied in name order). Another area adds its tables by putting
 * a file beside these and one line here, or at run time through `registerMigration`.
 */
export const migrations: Record<string, Migration> = {
  '001_core': core,
  '002_audit_append_only': auditAppendOnly,
  '003_workflow': workflow,
  '004_submission_path_order': submissionPathOrder,
  '005_login_throttle': loginThrottle,
  '006_leases_retention': leasesRetention,
  '007_form_owners': formOwners,
  '008_attachments': attachments,
};

/** Adds a migration (e.g. from the workflow engine or a plugin); names must stay unique. */
export function registerMigration(name: string, migration: Migration): void {
  if (migrations[name] && migrations[name] !== migration) throw new Error(`migration ${name} already exists`);
  migrations[name] = migration;
}
