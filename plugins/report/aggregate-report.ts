import { text } from '../../engine/entry/plugin.ts';
import { compileLogic, type Evaluator, todayInChina, truthy } from '../../engine/entry/runtime.ts';
import { submissionPages } from '../../engine/entry/server.ts';
import { budgeted } from './budgeted.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { reportError } from './errors.ts';
import { listAsOf } from './list-report.ts';
import { columnOrder } from './load-report.ts';
import { type Accumulator, accumulator, additive } from './measures.ts';
import { cumulativeRange, OrgTree } from './org-tree.ts';
import { providedPages } from './provided-source.ts';
import type { Measure, ReportDefinition } from './report-schema.ts';
import type { SourceSubmission } from './source.ts';
import {
  type Cell,
  columnGroups,
  fromArray,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
} from './table.ts';

export const UNIT_COLUMN = 'unit';

/** A period is required where figures are per reporting round. */
export function requirePeriod(def: ReportDefinition, period: string | undefined): string {
  if (!period) {
    throw reportError(
      'NX_ERR_REPORT_BAD_REQUEST',
      text(`报表“${def.id}”需要期间（period）`, `Report "${def.id}" needs a period`),
    );
  }
  return period;
}

/**
 * Submissions of the period; with `latestPerUnit`, only each unit's latest (the cumulative figure).
 * With an as-of date, only what had been filed by the end of that day (China time): a correction
 * filed later is not read, so the table of a date stays the same when printed later.
 */
export async function periodSubmissions(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
  period: string,
): Promise<SourceSubmission[]> {
  const field = def.source.periodField;
  const all: SourceSubmission[] = [];
  const asOf = req.asOf ?? todayInChina(Date.parse(ctx.now()));
  const filedBy = (s: SourceSubmission) =>
    req.asOf === undefined || !s.createdAt || todayInChina(Date.parse(s.createdAt)) <= asOf;
  const pages = def.source.provided
    ? providedPages(ctx, def.source.provided, {
        orgPath: req.org.path,
        period,
        asOf,
        pii: req.viewer.pii,
      })
    : submissionPages(ctx.db, {
        formId: def.source.form ?? '',
        orgPath: req.org.path,
        period: field ? undefined : period,
      });
  for await (const page of pages) {
    for (const s of page) if ((!field || s.data[field] === period) && filedBy(s)) all.push(s);
  }
  if (!def.source.latestPerUnit) return all;
  const latest = new Map<string, SourceSubmission>();
  for (const s of all) {
    const seen = latest.get(s.orgCode);
    if (!seen || s.createdAt > seen.createdAt || (s.createdAt === seen.createdAt && s.id > seen.id)) {
      latest.set(s.orgCode, s);
    }
  }
  return [...latest.values()];
}

const measureColumn = (m: Measure): ReportColumn => ({
  id: m.id,
  label: m.label,
  unit: m.unit,
  format: m.format ?? (m.op === 'avg' ? 'number' : 'integer'),
  total: additive(m),
});

/**
 * An aggregate report: one row per child unit of the requested unit (province → cities, city →
 * counties), each measure folded over the items counted there, and a total row folded over all
 * items (so it equals the column sums for sum and count, and stays right for avg/min/max).
 */
export async function aggregateReport(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
): Promise<ReportTable> {
  const period = requirePeriod(def, req.period);
  // Validated as a list's is (a real calendar day); default today.
  const asOf = listAsOf(undefined, ctx.now(), req.asOf);
  const measures = def.measures ?? [];
  const order = columnOrder(
    measures.map((m) => m.id),
    def.layout?.order,
  );
  const byId = new Map(measures.map((m) => [m.id, m]));
  const ordered = order.map((id) => byId.get(id) as Measure);
  const spend = (ev: Evaluator) => budgeted(ev, ctx.logicBudget);
  const values: Evaluator[] = ordered.map((m) =>
    spend(compileLogic(m.field ? { var: m.field } : null, ctx.operations)),
  );
  const filter = def.filter === undefined ? undefined : spend(compileLogic(def.filter, ctx.operations));
  const orgOf = def.groupBy?.orgField
    ? spend(compileLogic({ var: def.groupBy.orgField }, ctx.operations))
    : undefined;

  const tree = await OrgTree.load(ctx.db, req.org);
  const groups = new Map<string, Accumulator[]>();
  const fresh = () => ordered.map(accumulator);
  const total = fresh();
  const rowsField = def.source.rows;
  for (const s of await periodSubmissions(ctx, def, req, period)) {
    const items: unknown[] = rowsField
      ? Array.isArray(s.data[rowsField])
        ? (s.data[rowsField] as unknown[])
        : []
      : [undefined];
    for (const row of items) {
      const env = { data: s.data, row, ctx: { period } };
      if (filter && !truthy(filter(env))) continue;
      const code = orgOf ? orgOf(env) : undefined;
      const unit = (typeof code === 'string' && tree.byCode.get(code)) || tree.byCode.get(s.orgCode);
      const child = tree.childOf(unit?.path ?? s.orgPath);
      if (!child) continue;
      let accs = groups.get(child.code);
      if (!accs) {
        accs = fresh();
        groups.set(child.code, accs);
      }
      ordered.forEach((_, i) => {
        const v = values[i]?.(env);
        accs[i]?.add(v);
        total[i]?.add(v);
      });
    }
  }

  const cellsOf = (label: string, accs: readonly Accumulator[] | undefined): Record<string, Cell> => {
    const cells: Record<string, Cell> = { [UNIT_COLUMN]: label };
    ordered.forEach((m, i) => {
      const r = accs?.[i]?.result();
      cells[m.id] = r ?? (additive(m) ? 0 : null);
    });
    return cells;
  };
  const units = tree.children();
  if (groups.has(req.org.code)) units.unshift(req.org);
  const rows: ReportRow[] = units.map((u) => ({ kind: 'data', cells: cellsOf(u.name, groups.get(u.code)) }));
  if (def.layout?.total !== false) rows.push({ kind: 'total', cells: cellsOf('合计', total) });

  const columns: ReportColumn[] = [
    {
      id: UNIT_COLUMN,
      label: def.layout?.unitLabel ?? text('单位', 'Unit'),
      format: 'text',
      total: false,
    },
    ...ordered.map(measureColumn),
  ];
  const notes = [text(`填报单位：${req.org.name}`, `Reporting unit: ${req.org.name} (${req.org.code})`)];
  if (def.cumulative) {
    const r = cumulativeRange(def.cumulative.start, period);
    notes.push(
      text(
        `报送批次：${period}；数据口径：${r.from} 至 ${r.to} 累计`,
        `Round due ${period}; cumulative from ${r.from} to ${r.to}`,
      ),
    );
  } else {
    notes.push(text(`期间：${period}`, `Period: ${period}`));
  }
  // A table asked as of a date says so (by default the round's note above dates it).
  if (req.asOf !== undefined) notes.push(text(`截至 ${asOf}`, `As of ${asOf}`));
  if (def.layout?.note) notes.push(def.layout.note);
  return {
    id: def.id,
    title: def.title,
    notes,
    columns,
    groups: columnGroups(columns, def.layout?.groups),
    footnotes: def.layout?.footnotes ?? [],
    rows: fromArray(rows),
    expectedRows: rows.length,
  };
}
