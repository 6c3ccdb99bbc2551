import { api, hasRole } from './api.ts';
import { h } from './dom.ts';
import { tr } from './i18n.ts';
import { department, hardship, maskedId, resurveyHref } from './work-words.ts';

/**
 * The home page's part of the cross-checks, referrals and monitoring: open and overdue findings,
 * referrals awaiting an answer (for a department's account: awaiting its answer), open change
 * items, and for a village worker the families due or overdue for a re-visit with the link that
 * starts the re-survey. A plugin that is off (its API answers 404) simply adds nothing.
 */
export async function workTodo(box: HTMLElement): Promise<void> {
  const lines: HTMLElement[] = [];
  const staff = hasRole('field_staff', 'reviewer', 'admin');
  const [findings, referrals, mine, changes] = await Promise.all([
    staff
      ? api<{ items: { overdue: boolean }[]; next: string | null }>(
          'GET',
          '/api/crosschecks/findings?status=open&limit=500',
        ).catch(() => null)
      : null,
    api<{ items: { status: string; overdue: boolean; department: string }[] }>(
      'GET',
      '/api/crosschecks/referrals/',
    ).catch(() => null),
    api<{ department: string | null; canAnswer: boolean }>(
      'GET',
      '/api/crosschecks/referrals/departments/mine',
    ).catch(() => null),
    staff
      ? api<{ items: { open: number }[] }>('GET', '/api/monitoring/changes/summary').catch(() => null)
      : null,
  ]);
  if (findings) {
    const overdue = findings.items.filter((f) => f.overdue).length;
    const n = `${findings.items.length}${findings.next ? '+' : ''}`;
    lines.push(
      h(
        'li',
        {
          id: 'todo-findings',
          class: overdue ? 'overdue' : null,
          'data-open': findings.items.length,
          'data-overdue': overdue,
        },
        h('a', { href: '/app/crosschecks/findings' }, tr('比对问题', 'Cross-check findings')),
        tr(`：待处理 ${n} 条，其中逾期 ${overdue} 条`, `: ${n} open, ${overdue} overdue`),
      ),
    );
  }
  if (referrals && (staff || mine?.department)) {
    const waiting = referrals.items.filter((r) => r.status === 'open' || r.status === 'accepted');
    const unanswered = waiting.filter((r) => r.status === 'open').length;
    const overdue = waiting.filter((r) => r.overdue).length;
    lines.push(
      h(
        'li',
        {
          id: 'todo-referrals',
          class: overdue ? 'overdue' : null,
          'data-open': unanswered,
          'data-overdue': overdue,
        },
        h('a', { href: '/app/referrals' }, tr('专项救助转介', 'Referrals')),
        mine?.department ? ` (${department(mine.department)})` : '',
        tr(
          `：待答复 ${unanswered} 件，办理中 ${waiting.length - unanswered} 件，逾期 ${overdue} 件`,
          `: ${unanswered} awaiting an answer, ${waiting.length - unanswered} in progress, ${overdue} overdue`,
        ),
      ),
    );
  }
  if (changes) {
    const open = changes.items.reduce((s, x) => s + x.open, 0);
    lines.push(
      h(
        'li',
        { id: 'todo-changes', 'data-open': open },
        h('a', { href: '/app/monitoring' }, tr('动态监测变动', 'Monitoring changes')),
        tr(`：待处理 ${open} 项`, `: ${open} open`),
      ),
    );
  }
  const revisits = hasRole('field_staff')
    ? await api<{
        items: {
          submissionId: string;
          recordId: string | null;
          headName: string | null;
          idNumber: string | null;
          category: string;
          dueDate: string;
          state: string;
        }[];
      }>('GET', '/api/monitoring/revisits?withinDays=30').catch(() => null)
    : null;
  if (!lines.length && !revisits) return;
  box.append(h('h2', { id: 'work-h' }, tr('核查、转介与监测', 'Cross-checks, referrals and monitoring')));
  if (lines.length)
    box.append(h('ul', { class: 'todo', id: 'todo-work', 'aria-labelledby': 'work-h' }, ...lines));
  if (revisits) {
    const overdue = revisits.items.filter((x) => x.state === 'overdue').length;
    box.append(
      h(
        'h3',
        { id: 'revisits-todo-h' },
        tr(
          `复核到期 ${revisits.items.length - overdue} 户，逾期 ${overdue} 户`,
          `Re-visits: ${revisits.items.length - overdue} due, ${overdue} overdue`,
        ),
      ),
      revisits.items.length
        ? h(
            'ul',
            { class: 'todo', id: 'todo-revisits', 'aria-labelledby': 'revisits-todo-h' },
            ...revisits.items
              .slice(0, 10)
              .map((x) =>
                h(
                  'li',
                  { class: x.state === 'overdue' ? 'overdue' : null },
                  h('strong', {}, x.headName ?? ''),
                  x.idNumber ? ` ${maskedId(x.idNumber)}` : '',
                  ` · ${hardship(x.category)} · `,
                  x.state === 'overdue'
                    ? h('strong', { class: 'flag' }, tr('已逾期', 'overdue'))
                    : tr('到期', 'due'),
                  ` ${x.dueDate} · `,
                  h('a', { href: resurveyHref(x) }, tr('开始复核调查', 'Start the re-survey')),
                ),
              ),
          )
        : h('p', { class: 'muted' }, tr('没有到期的复核', 'No re-visit due')),
    );
  }
}
