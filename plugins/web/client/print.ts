import { session } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';

interface ReportItem {
  id: string;
  kind: string;
  title: unknown;
  form?: string;
}

/**
 * The printable documents of a form (the report plugin's `document` reports reading it), as links
 * to the print page (`/app/print/<report>?s=<submission>`; without a submission the blank form for
 * paper fallback), where the document is drawn and printed with the pages' own print styles.
 */
export async function printButtons(formId: string, submissionId?: string): Promise<HTMLElement | null> {
  let items: ReportItem[];
  try {
    const s = session();
    const res = await fetch('/api/reports', {
      headers: { accept: 'application/json', ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
    });
    if (!res.ok) return null;
    items = ((await res.json()) as { reports: ReportItem[] }).reports;
  } catch {
    return null;
  }
  const docs = items.filter((r) => r.kind === 'document' && r.form === formId);
  if (!docs.length) return null;
  const box = h('div', { class: 'actions print', id: submissionId ? 'print-case' : `print-${formId}` });
  for (const d of docs) {
    const label = submissionId
      ? `${tr('打印', 'Print')}：${t(d.title)}`
      : `${tr('空白表', 'Blank form')}：${t(d.title)}`;
    const q = submissionId ? `?${new URLSearchParams({ s: submissionId })}` : '';
    box.append(
      h(
        'a',
        { class: 'button', href: `/app/print/${encodeURIComponent(d.id)}${q}`, 'data-report': d.id },
        label,
      ),
    );
  }
  return box;
}
