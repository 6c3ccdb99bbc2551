/**
 * What the cross-checks API answers about a finding and a referral: the one definition the server
 * (findings.ts, referrals.ts) builds and the pages read (plugins/web/client, by `import type`, so
 * nothing of the server reaches the browser bundle). No runtime imports here.
 */

export interface FindingView {
  id: string;
  comparison: string;
  rule: string;
  list: string;
  type: string;
  severity: string;
  /** The ID number, masked without `pii`. */
  subject: string;
  recordId: string | null;
  deliveryId: string;
  /** The values compared, by path (ID numbers among them masked without `pii`). */
  compared: Record<string, unknown>;
  ownerOrgCode: string;
  status: string;
  overdue: boolean;
  resolution: string | null;
  reason: string | null;
  dueDate: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

export interface ReferralView {
  id: string;
  source: string;
  sourceId: string;
  subject: string;
  recordId: string | null;
  department: string;
  note: string | null;
  status: string;
  overdue: boolean;
  answer: string | null;
  ownerOrgCode: string;
  dueDate: string;
  createdBy: string;
  createdAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
  items: { id: string; text: string; status: string; note: string | null }[];
}
