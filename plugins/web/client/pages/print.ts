import { ApiError, api } from '../api.ts';
import { h } from '../dom.ts';
import { lang, t, tr } from '../i18n.ts';
import { formSheet, noticeSheet, type TableReportJson, tableSheet } from '../report-sheet.ts';
import { Sheet, type SheetSection } from '../sheet.ts';
import { status } from '../status.ts';
import { surveySheet } from '../survey-sheet.ts';

interface ReportItem {
  id: string;
  kind: string;
  title: unknown;
  form?: string;
}

/** Forms printed on a grid of their own paper; any other form prints as label/value bands. */
const GRIDS: Record<string, (s: Sheet) => HTMLElement[]> = { 'household-survey': surveySheet };

/**
 * `/app/print/:report` — a report as its paper, drawn in the page and printed with the
 * browser's print (the stylesheet's `@media print` rules: A4, no page chrome, rows never cut).
 * Documents take `?s=<submission>` (without it, the blank form for paper fallback); tables take
 * the report page's `period`, `org` and `asOf`.
 */
export async function printPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const params = new URLSearchParams(location.search);
  const { reports } = await api<{ reports: ReportItem[] }>('GET', '/api/reports');
  const report = reports.find((r) => r.id === id);
  if (!report) {
    status(tr('没有这张报表', 'No such report'), 'error');
    return;
  }
  const q = new URLSearchParams({ format: 'json' });
  if (lang() === 'en') q.set('lang', 'en');
  for (const k of ['period', 'org', 'asOf']) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  const submission = params.get('s');
  if (submission) q.set('submission', submission);
  const url = `/api/reports/${encodeURIComponent(id)}?${q}`;
  let sheet: HTMLElement;
  let waitFor: Promise<void>[] = [];
  try {
    if (report.kind !== 'document') sheet = tableSheet(await api<TableReportJson>('GET', url));
    else {
      const ctx = await api<Record<string, unknown>>('GET', url);
      if (Array.isArray(ctx.assistance) || !report.form) sheet = noticeSheet(ctx);
      else {
        const drawn = await formPaper(report.form, submission, ctx);
        sheet = drawn.sheet;
        waitFor = drawn.loading;
      }
    }
  } catch (e) {
    status(
      e instanceof ApiError ? t(e.body.errors?.[0]?.message ?? e.body.message ?? e.code) : String(e),
      'error',
    );
    return;
  }
  const print = h('button', { type: 'button', class: 'primary', id: 'print-now' }, tr('打印', 'Print'));
  print.addEventListener('click', () => window.print());
  const back = h('button', { type: 'button', id: 'print-back' }, tr('返回', 'Back'));
  back.addEventListener('click', () => history.back());
  app.append(
    h(
      'div',
      { class: 'actions print-tools' },
      print,
      back,
      h(
        'span',
        { class: 'muted' },
        tr('用 A4 纸打印，纸张方向已设好', 'Prints on A4 paper, turned the right way'),
      ),
    ),
    h(
      'div',
      { class: 'sheet-scroll', tabindex: 0, role: 'region', 'aria-label': tr('打印预览', 'Print preview') },
      sheet,
    ),
  );
  // Pictures (signatures, photos) are in before the page says it is ready, so a print has them.
  await Promise.all(waitFor);
}

async function formPaper(
  formId: string,
  submission: string | null,
  ctx: Record<string, unknown>,
): Promise<{ sheet: HTMLElement; loading: Promise<void>[] }> {
  // The form as the submission was filled (its version), else the form in force for a blank.
  // (and at its unit: a village's overlay adds fields its reviewers print too).
  let version = '';
  if (submission) {
    const sub = await api<{ formVersion: number; orgUnit: string }>(
      'GET',
      `/api/submissions/${encodeURIComponent(submission)}`,
    );
    version = `?${new URLSearchParams({ version: String(sub.formVersion), org: sub.orgUnit })}`;
  }
  const eff = await api<{ definition: { title: unknown; sections: SheetSection[] } }>(
    'GET',
    `/api/forms/${encodeURIComponent(formId)}${version}`,
  );
  const blank = ctx.blank === true;
  const s = new Sheet(eff.definition.sections, blank ? null : ((ctx.data ?? {}) as Record<string, unknown>));
  const org = (ctx.org ?? {}) as Record<string, string>;
  const where = [org.county, org.township, org.village].filter(Boolean).join(' ') || org.name || '';
  const body = (GRIDS[formId] ?? formSheet)(s);
  const sheet = h(
    'article',
    { class: `sheet portrait${blank ? ' blank' : ''}`, id: 'sheet', 'data-form': formId },
    h('h2', { class: 'sheet-title' }, t(eff.definition.title)),
    h(
      'p',
      { class: 'sheet-note' },
      blank
        ? tr(
            '县（市、区）＿＿＿＿　乡镇（街道）＿＿＿＿　村（社区）＿＿＿＿',
            'County ______  Township ______  Village ______',
          )
        : `${tr('单位', 'Unit')}：${where}`,
    ),
    ...body,
  );
  return { sheet, loading: s.loading };
}
