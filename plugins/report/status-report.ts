import { text } from '../../engine/entry/plugin.ts';
import { type ReportStatus, reportStatus } from '../../engine/entry/server.ts';
import { periodSubmissions, requirePeriod, UNIT_COLUMN } from './aggregate-report.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { OrgTree } from './org-tree.ts';
import type { ReportDefinition } from './report-schema.ts';
import { fromArray, type ReportColumn, type ReportRow, type ReportTable } from './table.ts';

export const STATUS_LABELS: Readonly<Record<ReportStatus, { 'zh-CN': string; en: string }>> = {
  on_time: text('按时报送', 'On time'),
  late: text('逾期报送', 'Late'),
  missing: text('未报送', 'Missing'),
  pending: text('待报送', 'Pending'),
};

/**
 * Which child units reported for a due date: on time (handed in by the end of the due date,
 * China time), late, missing (nothing and the date has passed) or pending. A unit's first
 * non-draft submission for the period is when it handed in.
 */
export async function statusReport(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
): Promise<ReportTable> {
  const due = requirePeriod(def, req.period);
  const first = new Map<string, string>();
  const count = new Map<string, number>();
  const tree = await OrgTree.load(ctx.db, req.org);
  // Every submission of the period, not only the latest: the first one decides on-time.
  for (const s of await periodSubmissions(
    ctx,
    { ...def, source: { ...def.source, latestPerUnit: false } },
    req,
    due,
  )) {
    const child = tree.childOf(s.orgPath);
    if (!child) continue;
    const seen = first.get(child.code);
    if (!seen || s.createdAt < seen) first.set(child.code, s.createdAt);
    count.set(child.code, (count.get(child.code) ?? 0) + 1);
  }
  const now = ctx.now();
  const tally: Record<ReportStatus, number> = { on_time: 0, late: 0, missing: 0, pending: 0 };
  const rows: ReportRow[] = tree.children().map((u) => {
    const at = first.get(u.code) ?? null;
    const status = reportStatus(due, at, now);
    tally[status]++;
    return {
      kind: 'data',
      cells: {
        [UNIT_COLUMN]: u.name,
        code: u.code,
        status: STATUS_LABELS[status]['zh-CN'],
        statusCode: status,
        submittedAt: at,
        submissions: count.get(u.code) ?? 0,
      },
    };
  });
  rows.push({
    kind: 'total',
    cells: {
      [UNIT_COLUMN]: '合计',
      code: null,
      status: `按时 ${tally.on_time}，逾期 ${tally.late}，未报 ${tally.missing}，待报 ${tally.pending}`,
      statusCode: null,
      submittedAt: null,
      submissions: [...count.values()].reduce((a, b) => a + b, 0),
    },
  });
  const columns: ReportColumn[] = [
    { id: UNIT_COLUMN, label: def.layout?.unitLabel ?? text('单位', 'Unit'), format: 'text', total: false },
    { id: 'code', label: text('区划代码', 'Division code'), format: 'text', total: false },
    { id: 'status', label: text('报送情况', 'Status'), format: 'text', total: false },
    { id: 'statusCode', label: text('状态代码', 'Status code'), format: 'text', total: false },
    { id: 'submittedAt', label: text('报送时间', 'Handed in at'), format: 'text', total: false },
    { id: 'submissions', label: text('报送次数', 'Submissions'), format: 'integer', total: true },
  ];
  return {
    id: def.id,
    title: def.title,
    notes: [
      text(`单位：${req.org.name}`, `Unit: ${req.org.name}`),
      text(`报送截止日期：${due}（以当日24时为限）`, `Due ${due} (until the end of that day, China time)`),
    ],
    columns,
    groups: [],
    rows: fromArray(rows),
    expectedRows: rows.length,
  };
}
