import type { NewAuditEntry } from './audit.ts';

/** What the log records of a submission: the parts a write can change. */
export interface SubmissionSnapshot {
  readonly status: string;
  readonly version: number;
  readonly period: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export const submissionSnapshot = (s: SubmissionSnapshot): Record<string, unknown> => ({
  status: s.status,
  version: s.version,
  period: s.period,
  data: s.data,
});

/** A stored submission row, as far as its audit entry needs it (`data` is the stored JSON). */
export interface StoredSubmission {
  readonly id: string;
  readonly status: string;
  readonly version: number;
  readonly period: string | null;
  readonly data: string;
  readonly org_path: string;
}

/**
 * The entry of a created submission, for every writer (HTTP, import, …): the diff is what
 * `diffSnapshots(null, submissionSnapshot(s))` gives, with the stored data's JSON spliced in
 * rather than serialised a second time.
 */
export function submissionCreatedEntry(
  actor: string | null,
  row: StoredSubmission,
  at: string,
): NewAuditEntry {
  return {
    at,
    actor,
    action: 'submission.create',
    entityType: 'submission',
    entityId: row.id,
    orgPath: row.org_path,
    diffJson: `{"before":null,"after":{"status":${JSON.stringify(row.status)},"version":${row.version},"period":${JSON.stringify(row.period)},"data":${row.data}}}`,
  };
}

/** The entry of a changed submission: only what changed, before and after. */
export function submissionUpdatedEntry(
  actor: string | null,
  orgPath: string,
  id: string,
  before: SubmissionSnapshot,
  after: SubmissionSnapshot,
  at: string,
): NewAuditEntry {
  return {
    at,
    actor,
    action: 'submission.update',
    entityType: 'submission',
    entityId: id,
    orgPath,
    before: submissionSnapshot(before),
    after: submissionSnapshot(after),
  };
}
