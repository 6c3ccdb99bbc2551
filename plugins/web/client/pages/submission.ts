import { api } from '../api.ts';
import { h } from '../dom.ts';
import { historyList } from '../history.ts';
import { tr } from '../i18n.ts';
import { statusLabel, when } from '../labels.ts';
import { readonlyForm, type SubmissionJson } from '../readonly-form.ts';
import { status } from '../status.ts';

/** One submission: its status, its data and its history. */
export async function submissionPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const sub = await api<SubmissionJson>('GET', `/api/submissions/${encodeURIComponent(id)}`);
  if (new URLSearchParams(location.search).get('sent'))
    status(tr('已提交到服务器', 'Submitted to the server'), 'ok');
  app.append(
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tr('状态', 'Status')),
      h('dd', { id: 'submission-status' }, statusLabel(sub.status)),
      h('dt', {}, tr('更新时间', 'Updated')),
      h('dd', {}, when(sub.updatedAt)),
      h('dt', {}, tr('编号', 'Number')),
      h('dd', {}, sub.id),
    ),
    h('h2', {}, tr('办理记录', 'History')),
    await historyList(sub.id),
    h('h2', {}, tr('填报内容', 'Data')),
    await readonlyForm(sub),
  );
}
