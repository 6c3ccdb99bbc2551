/** What the payments API answers (plugins/payments/batches.ts, reconciliation.ts), as the pages use it. */

export interface BatchView {
  id: string;
  orgCode: string;
  orgName: string;
  month: string;
  bankName: string;
  status: string;
  generatedBy: string;
  generatedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  returnReason: string | null;
  exportedAt: string | null;
  totals: {
    count: number;
    amountCents: number;
    blockedCount: number;
    blockedCents: number;
    byType: Record<string, { count: number; amountCents: number }>;
  };
}

export interface LineView {
  id: string;
  lineNo: number;
  benefitId: string;
  name: string;
  idNumber: string;
  accountNumber: string | null;
  bankName: string | null;
  type: string;
  month: string;
  amountCents: number;
  status: string;
  blockReason: string | null;
  resultReason: string | null;
  resultDate: string | null;
  carriedFrom: string | null;
  carriedTo: string | null;
}

export interface Group {
  count: number;
  amountCents: number;
  lines: LineView[];
}

export interface Reconciliation {
  batch: BatchView;
  paid: Group;
  failed: Group;
  missing: Group;
  blocked: Group;
  returnFiles: {
    id: string;
    fileName: string | null;
    paid: number;
    failed: number;
    unchanged: number;
    importedBy: string;
    importedAt: string;
  }[];
}
