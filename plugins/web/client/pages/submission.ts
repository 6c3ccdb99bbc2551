import { api, hasRole } from '../api.ts';
import { caseFacts, isReturned, stepText, summariesOf } from '../cases.ts';
import { append, h } from '../dom.ts';
import { historyList } from '../history.ts';
import { tr } from '../i18n.ts';
import { statusLabel, when } from '../labels.ts';
import { printButtons } from '../print.ts';
import { readonlyForm, type SubmissionJson } from '../readonly-form.ts';
import { status } from '../status.ts';

/** One submission: its status, its data and its history. */
export async function submissionPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const sub = await api<SubmissionJson>('GET', `/api/submissions/${encodeURIComponent(id)}`);
  const summary = (await summariesOf([sub.id])).get(sub.id);
  const idField = summary?.household.fields.idNumber;
  const fullId = idField && typeof sub.data[idField] === 'string' ? String(sub.data[idField]) : null;
  if (new URLSearchParams(location.search).get('sent'))
    status(tr('已提交到服务器', 'Submitted to the server'), 'ok');
  append(
    app,
    summary ? caseFacts(summary, fullId ?? summary.household.idNumber) : '',
    await printButtons(sub.formId, sub.id),
    // A submitted survey names a household of the register: it can be referred for targeted assistance.
    sub.formId === 'household-survey' && sub.status !== 'draft' && hasRole('admin', 'reviewer', 'field_staff')
      ? h(
          'p',
          {},
          h(
            'a',
            { href: `/app/referrals?case=${encodeURIComponent(sub.id)}`, id: 'refer-case' },
            tr('转介到部门（专项救助）', 'Refer to a department (targeted assistance)'),
          ),
        )
      : null,
    summary && isReturned(summary) && summary.status === 'draft'
      ? h(
          'p',
          { class: 'actions' },
          h(
            'a',
            {
              href: `/app/fill/${encodeURIComponent(sub.formId)}?s=${encodeURIComponent(sub.id)}`,
              class: 'button primary',
            },
            tr('按退回意见修改', 'Revise as asked'),
          ),
        )
      : null,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tr('状态', 'Status')),
      h(
        'dd',
        { id: 'submission-status' },
        statusLabel(sub.status),
        summary?.stateLabel ? ` · ${stepText(summary)}` : '',
      ),
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
