import { type Text, text } from '../../engine/entry/plugin.ts';
import { maskData, maskIdNumber, readSubmissionRecord } from '../../engine/entry/server.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { reportError } from './errors.ts';
import { optionLabels } from './form-options.ts';
import { listAsOf } from './list-report.ts';
import { OrgTree } from './org-tree.ts';
import { providedPages } from './provided-source.ts';
import type { ReportDefinition } from './report-schema.ts';
import { scrubDeep } from './scrub.ts';
import type { SourceSubmission } from './source.ts';

/** Blank rows printed for each table of a blank form (room to write by hand). */
const BLANK_ROWS = 5;

interface PrintField {
  readonly type: string;
  readonly id: string;
  readonly label: Text;
  readonly unit?: string;
  readonly columns?: readonly PrintField[];
  readonly fields?: readonly PrintField[];
}

async function loadSubmission(ctx: ReportContext, req: ReportRequest, id: string): Promise<SourceSubmission> {
  const r = await readSubmissionRecord(ctx.db, id, req.org.path);
  // Outside the caller's subtree looks exactly like absent.
  if (!r) throw reportError('NX_ERR_REPORT_NOT_FOUND', text('找不到该提交', 'Submission not found'));
  return r;
}

/**
 * The context of a printable document: the source form filled from one submission, or blank
 * when no submission is named. `household-survey` prints every section; `family-notice` tells
 * a family what it receives (from the current rules decision).
 */
export async function documentContext(
  ctx: ReportContext,
  def: ReportDefinition,
  req: ReportRequest & { submission?: string | undefined },
): Promise<Record<string, unknown>> {
  const form = def.source.form ? await ctx.forms(def.source.form) : undefined;
  if (!form)
    throw reportError(
      'NX_ERR_REPORT_NOT_FOUND',
      text(`找不到表单“${def.source.form}”`, `Form "${def.source.form}" not found`),
    );
  const sub = req.submission ? await loadSubmission(ctx, req, req.submission) : undefined;
  if (sub && sub.formId !== def.source.form) {
    throw reportError(
      'NX_ERR_REPORT_BAD_REQUEST',
      text('该提交不是此表单的', 'The submission is of another form'),
    );
  }
  // The same masking as the submission API (the form's personal fields), before anything reads it.
  const data = sub && !req.viewer.pii ? maskData(form, sub.data) : (sub?.data ?? {});
  const options = optionLabels(form);
  const show = (v: unknown, path: string): string => {
    if (v === undefined || v === null || v === '') return '';
    const labels = options.get(path);
    if (labels) {
      const one = (x: unknown) => labels.get(String(x))?.['zh-CN'] ?? String(x);
      return Array.isArray(v) ? v.map(one).join('、') : one(v);
    }
    if (typeof v === 'boolean') return v ? '是' : '否';
    return Array.isArray(v) ? v.map(String).join('、') : String(v);
  };
  const sections = form.sections.map((s) => {
    const fields: { label: string; value: string; unit: string }[] = [];
    const tables: { label: string; headers: string[]; rows: string[][] }[] = [];
    const walk = (list: readonly PrintField[]) => {
      for (const f of list) {
        if (f.type === 'group') walk(f.fields ?? []);
        else if (f.type === 'table') {
          const cols = f.columns ?? [];
          const rows = Array.isArray(data[f.id]) ? (data[f.id] as Record<string, unknown>[]) : [];
          tables.push({
            label: f.label['zh-CN'],
            headers: cols.map((c) => c.label['zh-CN']),
            rows: sub
              ? rows.map((r) => cols.map((c) => show(r[c.id], `${f.id}.${c.id}`)))
              : Array.from({ length: BLANK_ROWS }, () => cols.map(() => '')),
          });
        } else fields.push({ label: f.label['zh-CN'], value: show(data[f.id], f.id), unit: f.unit ?? '' });
      }
    };
    walk(s.fields as unknown as PrintField[]);
    return { title: s.title['zh-CN'], fields, tables };
  });
  // Whatever a decision or a template copies: without `pii`, no whole identifier leaves.
  const shown = (c: Record<string, unknown>) =>
    req.viewer.pii ? c : (scrubDeep(c) as Record<string, unknown>);
  const tree = await OrgTree.load(ctx.db, req.org);
  const names = sub ? tree.names(sub.orgPath) : {};
  const base = {
    lang: 'zh-CN',
    title: def.title['zh-CN'],
    formTitle: form.title['zh-CN'],
    blank: !sub,
    sections,
    org: { name: req.org.name, ...names },
    data,
  };
  const family = {
    name: typeof data.headName === 'string' ? data.headName : '',
    idNumber: typeof data.headIdNumber === 'string' ? maskIdNumber(data.headIdNumber) : '',
  };
  if (def.source.familyLines) {
    const withContact = {
      ...base,
      contact: { hotline: hotlineFor(ctx.contacts, sub?.orgPath ?? req.org.path) },
    };
    if (!sub) return shown(withContact);
    const asOf = listAsOf(req.period, ctx.now());
    const lines = await familyLines(ctx, def.source.familyLines, sub, req.org.path, asOf, req.viewer.pii);
    // No lines, no notice: a family is told only what it actually receives.
    if (lines.length === 0)
      throw reportError(
        'NX_ERR_REPORT_NOTHING_TO_NOTIFY',
        text(
          `截至 ${asOf}，该家庭没有正在享受的救助，不出具${def.title['zh-CN']}`,
          `As of ${asOf} this family receives no assistance: no ${def.title.en} is issued`,
        ),
      );
    return shown({ ...withContact, asOf, family, assistance: lines });
  }
  if (!def.source.decisions || !sub) return shown(base);
  const asOf = listAsOf(req.period, ctx.now());
  const decision = (await ctx.decisions([sub], def.source.decisions.ruleset, asOf)).get(sub.id) ?? {};
  return shown({
    ...base,
    asOf,
    family,
    decision,
    assistance: assistanceLines(decision),
  });
}

/** The hotline of the nearest unit at or above `orgPath` (`/510000/511900/511923/…/`), if declared. */
export function hotlineFor(contacts: Readonly<Record<string, string>> | undefined, orgPath: string): string {
  if (!contacts) return '';
  const codes = orgPath.split('/').filter(Boolean);
  for (let i = codes.length - 1; i >= 0; i--) {
    const hit = contacts[codes[i] as string];
    if (hit) return hit;
  }
  return '';
}

/** The lines a plugin provides about the printed family (e.g. its benefits in force), as `{item, amount}`. */
async function familyLines(
  ctx: ReportContext,
  name: string,
  sub: SourceSubmission,
  orgPath: string,
  asOf: string,
  pii: boolean,
): Promise<{ item: string; amount: string }[]> {
  const household = typeof sub.data.headIdNumber === 'string' ? sub.data.headIdNumber : undefined;
  if (!household) return [];
  const out: { item: string; amount: string }[] = [];
  for await (const page of providedPages(ctx, name, { orgPath, asOf, pii, household }))
    for (const i of page) out.push({ item: String(i.data.item ?? ''), amount: String(i.data.amount ?? '') });
  return out;
}

/** What a family receives, in plain words, from a household-eligibility decision. */
export function assistanceLines(
  decision: Readonly<Record<string, unknown>>,
): { item: string; amount: string }[] {
  const out: { item: string; amount: string }[] = [];
  const money = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(2)} 元/月` : '');
  if (decision.dibaoCandidate === true)
    out.push({ item: '最低生活保障（低保）', amount: money(decision.entitlement) });
  if (decision.inRoster === true && typeof decision.hardshipType === 'string') {
    out.push({ item: `纳入农村低收入人口监测（${decision.hardshipType}）`, amount: '' });
  }
  return out;
}
