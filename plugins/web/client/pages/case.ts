import { confirmDialog, destructive, irreversible, maskId, needsComment, orderActions } from '../actions.ts';
import { ApiError, api } from '../api.ts';
import { byId, fill, h } from '../dom.ts';
import { historyList } from '../history.ts';
import { t, tr } from '../i18n.ts';
import { statusLabel } from '../labels.ts';
import { readonlyForm, type SubmissionJson } from '../readonly-form.ts';
import { status } from '../status.ts';
import { toTask } from '../tasks.ts';

/** A case for a reviewer: the data, the rules decision and why, the history, the actions allowed now. */
export async function casePage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const sub = await api<SubmissionJson>('GET', `/api/submissions/${encodeURIComponent(id)}`);
  const tasks = await api<{ items: Record<string, unknown>[] }>('GET', '/api/tasks').catch(() => ({
    items: [],
  }));
  const task = tasks.items.map(toTask).find((x) => x.id === sub.id);

  const decision = h(
    'section',
    { id: 'decision', 'aria-labelledby': 'decision-h' },
    h('h2', { id: 'decision-h' }, tr('规则判定', 'Rules decision')),
  );
  try {
    const r = await api<{ outputs?: Record<string, unknown>; explanation?: unknown }>(
      'POST',
      '/api/rules/household-eligibility/evaluate',
      { submissionId: sub.id },
    );
    const dl = h('dl', { class: 'facts' });
    for (const [k, v] of Object.entries(r.outputs ?? {}))
      dl.append(h('dt', {}, k), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v)));
    decision.append(
      dl,
      h(
        'details',
        {},
        h('summary', {}, tr('判定依据', 'Why')),
        h('pre', {}, JSON.stringify(r.explanation ?? null, null, 2)),
      ),
    );
  } catch (e) {
    decision.append(
      h(
        'p',
        {},
        e instanceof ApiError && e.status === 404
          ? tr('此表单没有规则判定', 'No rules decision for this form')
          : tr('暂时无法判定', 'The decision is not available now'),
      ),
    );
  }

  const actions = h('div', { class: 'actions', id: 'case-actions' });
  const comment = h('textarea', { id: 'comment', rows: 2, 'aria-describedby': 'comment-err' });
  const commentErr = h('p', { id: 'comment-err', class: 'error' });
  const commentField = h('div', { class: 'field' });
  const ordered = orderActions(task?.actions ?? []);
  const needing = ordered.filter(needsComment).map((a) => t(a.label));
  const headName = typeof sub.data.headName === 'string' ? sub.data.headName : '';
  const headId = typeof sub.data.headIdNumber === 'string' ? maskId(sub.data.headIdNumber) : '';
  const family = headName
    ? tr(
        `户主：${headName}${headId ? `（身份证 ${headId}）` : ''}`,
        `Head of household: ${headName}${headId ? ` (ID ${headId})` : ''}`,
      )
    : `${sub.formId} · ${sub.orgUnit}`;
  for (const a of ordered) {
    const b = h(
      'button',
      {
        type: 'button',
        'data-action': a.action,
        class: destructive(a) ? 'danger' : a.action === 'approve' ? 'primary' : null,
      },
      t(a.label),
    );
    b.addEventListener('click', async () => {
      const text = comment.value.trim();
      commentErr.textContent = '';
      commentField.classList.remove('invalid');
      comment.removeAttribute('aria-invalid');
      if (needsComment(a) && !text) {
        commentErr.textContent = tr(`“${t(a.label)}”须填写意见`, `"${t(a.label)}" needs a comment`);
        commentField.classList.add('invalid');
        comment.setAttribute('aria-invalid', 'true');
        comment.focus();
        return;
      }
      if (
        irreversible(a) &&
        !(await confirmDialog({
          title: tr(`确认${t(a.label)}？`, `${t(a.label)}?`),
          family,
          consequence: tr(
            '此案件将结束为“未通过”，不能再办理；如需再申请，须重新填报。',
            'The case ends as rejected and cannot be acted on again; applying again needs a new survey.',
          ),
          comment: text,
          confirmLabel: t(a.label),
        }))
      ) {
        status(tr('已取消，案件未改变', 'Cancelled; the case is unchanged'), 'info');
        b.focus();
        return;
      }
      b.disabled = true;
      try {
        await api(
          'POST',
          `/api/submissions/${encodeURIComponent(sub.id)}/actions/${encodeURIComponent(a.action)}`,
          text ? { comment: text } : {},
        );
        // The whole case again: status line, actions now allowed, history.
        fill(app);
        await casePage(app);
        status(tr(`已办理：${t(a.label)}`, `Done: ${t(a.label)}`), 'ok');
        byId('case-status').focus();
      } catch (e) {
        status(
          e instanceof ApiError ? t(e.body.errors?.[0]?.message ?? e.body.message ?? e.code) : String(e),
          'error',
        );
        b.disabled = false;
      }
    });
    actions.append(b);
  }
  if (!ordered.length)
    actions.append(h('p', {}, tr('您现在不能办理此案件', 'Nothing for you to do on this case now')));
  fill(
    commentField,
    h(
      'label',
      { for: 'comment', class: 'label' },
      needing.length
        ? tr(`意见（${needing.join('、')}时必填）`, `Comment (required to ${needing.join(', ')})`)
        : tr('意见', 'Comment'),
    ),
    comment,
    commentErr,
  );
  const hist = h('div', {}, await historyList(sub.id));
  app.append(
    h(
      'p',
      { id: 'case-status', tabindex: -1 },
      headName ? `${headName} · ` : '',
      `${sub.formId} · ${sub.orgUnit} · ${statusLabel(sub.status)}`,
      task ? ` · ${t(task.stateLabel)}` : '',
    ),
    h('h2', {}, tr('办理', 'Actions')),
    commentField,
    actions,
    decision,
    h('h2', {}, tr('办理记录', 'History')),
    hist,
    h('h2', {}, tr('填报内容', 'Data')),
    await readonlyForm(sub),
  );
}
