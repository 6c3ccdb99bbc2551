import { ApiError, api } from '../api.ts';
import { fill, h } from '../dom.ts';
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
  const comment = h('textarea', { id: 'comment', rows: 2 });
  if (task?.actions.length) {
    for (const a of task.actions) {
      const b = h(
        'button',
        { type: 'button', 'data-action': a.action, class: a.action === 'approve' ? 'primary' : null },
        t(a.label),
      );
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          await api(
            'POST',
            `/api/submissions/${encodeURIComponent(sub.id)}/actions/${encodeURIComponent(a.action)}`,
            comment.value.trim() ? { comment: comment.value.trim() } : {},
          );
          status(tr(`已办理：${t(a.label)}`, `Done: ${t(a.label)}`), 'ok');
          fill(actions);
          fill(hist, await historyList(sub.id));
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
  } else actions.append(h('p', {}, tr('您现在不能办理此案件', 'Nothing for you to do on this case now')));
  const hist = h('div', {}, await historyList(sub.id));
  app.append(
    h(
      'p',
      {},
      `${sub.formId} · ${sub.orgUnit} · ${statusLabel(sub.status)}`,
      task ? ` · ${t(task.stateLabel)}` : '',
    ),
    h('h2', {}, tr('办理', 'Actions')),
    h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: 'comment', class: 'label' },
        tr('意见（退回时必填）', 'Comment (required to return)'),
      ),
      comment,
    ),
    actions,
    decision,
    h('h2', {}, tr('办理记录', 'History')),
    hist,
    h('h2', {}, tr('填报内容', 'Data')),
    await readonlyForm(sub),
  );
}
