import { session } from './api.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { status } from './status.ts';

interface ReportItem {
  id: string;
  kind: string;
  title: unknown;
  form?: string;
}

/**
 * The printable documents of a form (the report plugin's `document` reports reading it), as
 * buttons. A document is fetched with the session's token and saved as an HTML file to open and
 * print: it carries its own print styles, which this page's policy would not apply in a tab.
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
    const b = h('button', { type: 'button', 'data-report': d.id }, label);
    b.addEventListener('click', () => {
      const q = new URLSearchParams({
        format: 'html',
        ...(submissionId ? { submission: submissionId } : {}),
      });
      if (tr('zh', 'en') === 'en') q.set('lang', 'en');
      void saveDocument(
        `/api/reports/${encodeURIComponent(d.id)}?${q}`,
        `${d.id}${submissionId ? `-${submissionId.slice(0, 8)}` : ''}.html`,
      )
        .then(() => status(tr('已下载，打开后按“打印”', 'Downloaded; open it and print'), 'ok'))
        .catch((e) => status(`${tr('无法生成', 'Could not make it')}: ${String(e)}`, 'error'));
    });
    box.append(b);
  }
  return box;
}

async function saveDocument(url: string, name: string): Promise<void> {
  const s = session();
  const res = await fetch(url, { headers: s ? { authorization: `Bearer ${s.token}` } : {} });
  if (!res.ok) throw new Error(String(res.status));
  const href = URL.createObjectURL(await res.blob());
  const a = h('a', { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
