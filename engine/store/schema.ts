import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of every table. Timestamps are ISO-8601 UTC strings and JSON is text on both
 * dialects, so one code path reads and writes them; booleans are 0/1 integers.
 */
export interface OrgUnitTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: string;
  /** Materialised path `/510000/510100/510104/`: a subtree is one indexed LIKE prefix. */
  path: string;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  display_name: string | null;
  org_code: string;
  created_at: string;
  disabled_at: string | null;
}

export interface UserRoleTable {
  user_id: string;
  role: string;
}

export interface UserPermissionTable {
  user_id: string;
  permission: string;
}

export interface AuthTokenTable {
  id: string;
  user_id: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  token_hash: string;
  kind: 'session' | 'api' | 'device';
  name: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface FormTable {
  id: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  definition: string;
  created_at: string;
  created_by: string | null;
  published_at: string | null;
}

export interface FormOverlayTable {
  id: string;
  form_id: string;
  org_code: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  overlay: string;
  created_at: string;
  created_by: string | null;
}

export interface SubmissionTable {
  id: string;
  form_id: string;
  form_version: number;
  org_code: string;
  org_path: string;
  status: string;
  data: string;
  version: number;
  period: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  /** SHA-256 of method, route and body: a key reused for another request is refused. */
  request_hash: string;
  status_code: number;
  response: string;
  created_at: string;
}

export interface LoginThrottleTable {
  /** `user:<username>` or `ip:<address>`. */
  key: string;
  /** Attempts counted since the last success (or since the key was forgotten); in-flight ones included. */
  attempts: number;
  last_at: string;
  /** No attempt for this key is checked before this time. */
  locked_until: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  /** Org path of the entity, so audit reads follow the same subtree rule as the entity. */
  org_path: string | null;
  diff: ColumnType<string, string, never>;
}

/** A named job claimed by one process until a time (`engine/store/lease.ts`). */
export interface LeaseTable {
  name: string;
  /** Who holds it: host, pid and a random part, for the log. */
  holder: string;
  /** ISO-8601 UTC; after it, anyone may take the lease. */
  until: string;
}

/** One stored content, addressed by the SHA-256 of its bytes. */
export interface AttachmentTable {
  id: string;
  type: string;
  size: ColumnType<number, number, number>;
  created_at: string;
}

/** Who uploaded a content, under which name and from which unit. */
export interface AttachmentUploadTable {
  attachment_id: string;
  username: string;
  org_path: string;
  name: string;
  created_at: string;
}

/** A submission field referencing a content; `pii` 1 when the field is personal data. */
export interface AttachmentRefTable {
  submission_id: string;
  field: string;
  attachment_id: string;
  pii: number;
}

export interface Database {
  org_units: OrgUnitTable;
  users: UserTable;
  user_roles: UserRoleTable;
  user_permissions: UserPermissionTable;
  auth_tokens: AuthTokenTable;
  forms: FormTable;
  form_overlays: FormOverlayTable;
  submissions: SubmissionTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  login_throttle: LoginThrottleTable;
  nx_leases: LeaseTable;
  attachments: AttachmentTable;
  attachment_uploads: AttachmentUploadTable;
  attachment_refs: AttachmentRefTable;
}
