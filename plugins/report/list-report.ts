import { type Text, text } from '../../engine/entry/plugin.ts';
import {
  compileLogic,
  type Evaluator,
  type LogicEnv,
  todayInChina,
  truthy,
} from '../../engine/entry/runtime.ts';
import {
  loadSubmissionData,
  maskData,
  maskIdNumber,
  maskPhone,
  submissionDataLoaded,
  submissionPages,
} from '../../engine/entry/server.ts';
import { budgeted } from './budgeted.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { reportError } from './errors.ts';
import { optionLabels } from './form-options.ts';
import { columnOrder } from './load-report.ts';
import { isCalendarDay, OrgTree, periodEnd } from './org-tree.ts';
import { providedPages } from './provided-source.ts';
import {
  currentSubmissions,
  listDecisionJoin,
  type RegisterPage,
  registerDecisions,
  registerPages,
} from './register-join.ts';
import type { ListColumn, ReportDefinition } from './report-schema.ts';
import type { SourceSubmission } from './source.ts';
import {
  type Cell,
  columnGroups,
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  Totals,
} from './table.ts';
import { caseStatesAsOf } from './workflow-join.ts';

const PAGE = 500;

/** What a filter reading the data sees while a row's data is not fetched yet (it is judged again after). */
const NO_DATA: Readonly<Record<string, unknown>> = Object.freeze({});

/** What a list report's filter and columns read of one submission (`{"var":"data.headName"}` …). */
interface ListItem {
  readonly data: Record<string, unknown>;
  readonly decision: Readonly<Record<string, unknown>>;
  readonly org: Record<string, string>;
  readonly submission: Record<string, unknown>;
  readonly workflow: unknown;
  readonly seq: number;
}

/**
 * The date a list report is made as of: `asOf` when given (a real calendar day), else the
 * period's end, else today (China time).
 */
export function listAsOf(period: string | undefined, now: string, asOf?: string): string {
  if (asOf !== undefined) {
    if (!isCalendarDay(asOf)) {
      throw reportError(
        'NX_ERR_REPORT_BAD_REQUEST',
        text(
          `截至日期“${asOf}”不是有效日期（应为 YYYY-MM-DD，如 2021-06-30）`,
          `As-of date "${asOf}" is not a real date (expected YYYY-MM-DD, e.g. 2021-06-30)`,
        ),
      );
    }
    return asOf;
  }
  // Today is China's calendar day: from 16:00 UTC it is already tomorrow there, and a decision
  // dated today in China must be in force on a roster made "today".
  if (period === undefined) return todayInChina(Date.parse(now));
  const end = periodEnd(period);
  if (!end || !isCalendarDay(end)) {
    throw reportError(
      'NX_ERR_REPORT_BAD_REQUEST',
      text(`期间“${period}”应为 YYYY-MM 或 YYYY-MM-DD`, `Period "${period}" must be YYYY-MM or YYYY-MM-DD`),
    );
  }
  return end;
}

function cellOf(v: unknown, col: ListColumn, labels: Map<string, Text> | undefined, pii: boolean): Cell {
  if (v === undefined || v === null || v === '') return null;
  if (labels) {
    const one = (x: unknown) => labels.get(String(x))?.['zh-CN'] ?? String(x);
    return Array.isArray(v) ? v.map(one).join('、') : one(v);
  }
  if (Array.isArray(v)) return v.map(String).join('、');
  if (col.mask && (col.alwaysMask || !pii)) {
    const s = String(v);
    return col.mask === 'idcard' ? maskIdNumber(s) : maskPhone(s);
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * A list report (roster, public notice, approved list): one row per submission of the subtree
 * that passes the filter, read in org-tree order page by page, joined with its current rules
 * decision and workflow state, with optional subtotals per county and a totals row. Rows are
 * produced lazily as the writer asks for them.
 */
export async function listReport(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest,
): Promise<ReportTable> {
  const asOf = listAsOf(req.period, ctx.now(), req.asOf);
  const defs = def.columns ?? [];
  const order = columnOrder(
    defs.map((c) => c.id),
    def.layout?.order,
  );
  const byId = new Map(defs.map((c) => [c.id, c]));
  const ordered = order.map((id) => byId.get(id) as ListColumn);
  const values: Evaluator[] = ordered.map((c) =>
    budgeted(compileLogic(c.value, ctx.operations), ctx.logicBudget),
  );
  const filter =
    def.filter === undefined
      ? undefined
      : budgeted(compileLogic(def.filter, ctx.operations), ctx.logicBudget);
  const form = def.source.form ? await ctx.forms(def.source.form) : undefined;
  const options = form ? optionLabels(form) : new Map<string, Map<string, Text>>();
  const labels = ordered.map((c) => (c.options ? options.get(c.options) : undefined));
  const tree = await OrgTree.load(ctx.db, req.org);
  const columns: ReportColumn[] = ordered.map((c) => ({
    id: c.id,
    label: c.label,
    unit: c.unit,
    format: c.format ?? 'text',
    total: c.total === true,
  }));
  const first = columns[0]?.id ?? '';
  const wantTotals = def.layout?.total === true || columns.some((c) => c.total);
  const pii = req.viewer.pii;

  // Per org unit, not per row: the names along its path and its county.
  const orgs = new Map<string, { org: Record<string, string>; county: string }>();
  const orgOf = (s: SourceSubmission) => {
    let o = orgs.get(s.orgPath);
    if (!o || o.org.code !== s.orgCode) {
      o = { org: { code: s.orgCode, ...tree.names(s.orgPath) }, county: tree.countyOf(s.orgPath) };
      orgs.set(s.orgPath, o);
    }
    return o;
  };
  const ctxEnv = { asOf };

  async function* rows(): AsyncGenerator<ReportRow> {
    const total = new Totals(columns);
    const sub = new Totals(columns);
    let county: string | undefined;
    let seq = 0;
    const subtotal = (): ReportRow =>
      sub.row('subtotal', first, `${tree.byCode.get(county ?? '')?.name ?? ''}小计`);
    // Where most rows are dropped on their decision or workflow state, pages are read without
    // the data column and only the kept rows' data is fetched (see `withData`). Decided page by
    // page: off once the filter turns out to read the data, or while most rows are kept.
    let filterReadsData = false;
    let defer = filter !== undefined || def.source.workflow !== undefined;
    // Over a register: its records as of the date, from its typed columns (data always at hand),
    // each with its decision in force read in the same query when the rules service can join it.
    const fromRegister = def.source.provided
      ? undefined
      : registerPages(ctx, def, {
          orgPath: req.org.path,
          asOf,
          pageSize: PAGE,
          join: listDecisionJoin(ctx, def, asOf),
        });
    const source: AsyncIterable<RegisterPage> =
      fromRegister ??
      subsOnly(
        def.source.provided
          ? providedPages(ctx, def.source.provided, { orgPath: req.org.path, period: req.period, asOf, pii })
          : submissionPages(ctx.db, {
              formId: def.source.form ?? '',
              orgPath: req.org.path,
              pageSize: PAGE,
              withData: () => !defer,
            }),
      );
    for await (const { subs: all, decided } of source) {
      const current =
        def.source.register && !fromRegister
          ? await currentSubmissions(
              ctx.db,
              def.source.register,
              all.map((s) => s.id),
            )
          : undefined;
      const page = current ? all.filter((s) => current.has(s.id)) : all;
      const storedOnly = def.source.decisions?.decidedOn !== undefined;
      const primary = def.source.decisions?.ruleset;
      const decisionsBy = (ruleset: string) =>
        fromRegister
          ? registerDecisions(ctx, page, ruleset, asOf, storedOnly, ruleset === primary ? decided : undefined)
          : ctx.decisions(page, ruleset, asOf, { storedOnly });
      const decisions = !def.source.decisions
        ? undefined
        : mergedDecisions(
            await Promise.all(
              [def.source.decisions.ruleset, ...(def.source.decisions.alsoRulesets ?? [])].map(decisionsBy),
            ),
          );
      const wf = def.source.workflow
        ? await caseStatesAsOf(
            ctx.db,
            page.map((s) => s.id),
            def.source.workflow.id,
            def.source.workflow.states,
            asOf,
          )
        : undefined;
      const kept: { s: SourceSubmission; county: string; env: { data: ListItem; ctx: typeof ctxEnv } }[] = [];
      for (let i = 0; i < page.length; i++) {
        const s = page[i] as SourceSubmission;
        const workflow = wf?.get(s.id);
        if (wf && !workflow) continue;
        const o = orgOf(s);
        let wanted = false;
        const item = {
          get data() {
            if (submissionDataLoaded(s)) return s.data;
            wanted = true;
            return NO_DATA;
          },
          decision: decisions?.get(s.id) ?? {},
          org: o.org,
          submission: { id: s.id, orgCode: s.orgCode, createdAt: s.createdAt, period: s.period },
          workflow: workflow ?? null,
          seq: seq + 1,
        };
        const env = { data: item, ctx: ctxEnv };
        if (filter) {
          let pass = false;
          try {
            pass = truthy(filter(env));
          } catch (e) {
            if (!wanted) throw e;
          }
          if (wanted) {
            // The filter reads the data: fetch it for the rest of this page, judge this row again
            // with it, and read it with the rows from the next page on.
            filterReadsData = true;
            await loadSubmissionData(ctx.db, page.slice(i));
            pass = truthy(filter(env));
          }
          if (!pass) continue;
        }
        seq++;
        kept.push({ s, county: o.county, env: { ...env, data: item } });
      }
      await loadSubmissionData(
        ctx.db,
        kept.map((k) => k.s),
      );
      defer = !filterReadsData && kept.length * 2 < page.length;
      for (const k of kept) {
        if (def.layout?.subtotalBy === 'county') {
          if (county !== undefined && k.county !== county) {
            yield subtotal();
            sub.reset();
          }
          county = k.county;
        }
        // Columns read the data as the submission API shows it to this viewer: a column that
        // copies a personal field shows it masked even when its definition forgot `mask`.
        const env: LogicEnv =
          pii || !form ? k.env : { ...k.env, data: { ...k.env.data, data: maskData(form, k.s.data) } };
        const cells: Record<string, Cell> = {};
        for (let i = 0; i < ordered.length; i++) {
          const c = ordered[i] as ListColumn;
          cells[c.id] = cellOf((values[i] as Evaluator)(env), c, labels[i], pii);
        }
        total.add(cells);
        sub.add(cells);
        yield { kind: 'data', cells };
      }
    }
    if (def.layout?.subtotalBy === 'county' && county !== undefined) yield subtotal();
    if (wantTotals) yield total.row('total', first, `合计（${seq}户）`);
  }

  return {
    id: def.id,
    title: def.title,
    notes: [
      text(`填报单位：${req.org.name}`, `Reporting unit: ${req.org.name} (${req.org.code})`),
      text(`截至 ${asOf}`, `As of ${asOf}`),
      ...(def.layout?.note ? [def.layout.note] : []),
    ],
    columns,
    groups: columnGroups(columns, def.layout?.groups),
    footnotes: def.layout?.footnotes ?? [],
    rows: rows(),
  };
}

/** Pages of submissions as register pages without joined decisions. */
async function* subsOnly(pages: AsyncIterable<SourceSubmission[]>): AsyncGenerator<RegisterPage> {
  for await (const subs of pages) yield { subs };
}

/** Decisions of several rulesets per submission, merged (the earlier ruleset's outputs win). */
function mergedDecisions<D extends object>(maps: readonly Map<string, D>[]): Map<string, D> {
  const [first, ...rest] = maps;
  if (!first || rest.length === 0) return first ?? new Map();
  const out = new Map<string, D>();
  for (const m of [...maps].reverse()) for (const [id, d] of m) out.set(id, { ...out.get(id), ...d });
  return out;
}
