import { confirmDialog, destructive, irreversible, maskId, needsComment, orderActions } from '../actions.ts';
import { ApiError, api } from '../api.ts';
import { caseFacts, stepText, summariesOf } from '../cases.ts';
import { decisionSection } from '../decision.ts';
import { append, byId, fill, h } from '../dom.ts';
import { historyList } from '../history.ts';
import { t, tr } from '../i18n.ts';
import { statusLabel } from '../labels.ts';
import { printButtons } from '../print.ts';
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
  const summary = (await summariesOf([sub.id])).get(sub.id);

  const decision = await decisionSection(sub);

  const actions = h('div', { class: 'actions', id: 'case-actions' });
  const comment = h('textarea', { id: 'comment', rows: 2, 'aria-describedby': 'comment-err' });
  const commentErr = h('p', { id: 'comment-err', class: 'error' });
  const commentField = h('div', { class: 'field' });
  const ordered = orderActions(task?.actions ?? []);
  const needing = ordered.filter(needsComment).map((a) => t(a.label));
  // The family as the form declares it; the ID as this caller may see it (the server masks it without pii).
  const field = (k: string | null | undefined) => {
    const v = k ? sub.data[k] : undefined;
    return typeof v === 'string' ? v : '';
  };
  const headName = field(summary?.household.fields.name) || (summary?.household.name ?? '');
  const fullId = field(summary?.household.fields.idNumber);
  const headId = fullId ? maskId(fullId) : (summary?.household.idNumber ?? '');
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
  append(
    app,
    h(
      'p',
      { id: 'case-status', tabindex: -1 },
      headName ? `${headName} · ` : '',
      summary
        ? `${summary.unitName} · ${t(summary.formTitle)} · ${stepText(summary)}`
        : `${sub.formId} · ${sub.orgUnit} · ${statusLabel(sub.status)}`,
      !summary && task ? ` · ${t(task.stateLabel)}` : '',
      summary?.assignees && !summary.final ? ` · ${tr('下一步：', 'next: ')}${t(summary.assignees)}` : '',
    ),
    summary ? caseFacts(summary, fullId || summary.household.idNumber) : null,
    // An application prints the household's survey its decision came from.
    await printButtons(decision.dataset.form ?? sub.formId, decision.dataset.submission ?? sub.id),
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
