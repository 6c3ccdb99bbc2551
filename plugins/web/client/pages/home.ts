import { api, hasRole, session } from '../api.ts';
import {
  type CaseSummary,
  caseSummaries,
  day,
  familyName,
  isReturned,
  stepText,
  summariesOf,
} from '../cases.ts';
import { type Child, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { paymentsTodo } from '../payments-todo.ts';
import { toTask } from '../tasks.ts';
import { workTodo } from '../work-todo.ts';

const LIMIT = 500;
const SOON_MS = 3 * 86_400_000;

/** A to-do line: the family, the village, what to do, and the link that does it. */
function todo(c: CaseSummary, href: string, ...what: Child[]): HTMLLIElement {
  return h(
    'li',
    { class: c.overdue ? 'overdue' : isReturned(c) ? 'returned' : null, 'data-submission': c.submissionId },
    h('a', { href }, h('strong', {}, familyName(c))),
    c.household.idNumber ? ` ${c.household.idNumber}` : '',
    ` · ${c.unitName} · `,
    ...what,
  );
}

/** How many of the caller's cases stand at each step, in words. */
function counts(items: readonly CaseSummary[]): HTMLElement {
  const by = new Map<string, number>();
  for (const c of items) by.set(stepText(c), (by.get(stepText(c)) ?? 0) + 1);
  return h(
    'ul',
    { class: 'counts', id: 'state-counts' },
    ...[...by]
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => h('li', { 'data-label': label }, label, h('strong', {}, n))),
    items.length >= LIMIT ? h('li', {}, tr(`仅统计最近 ${LIMIT} 件`, `Latest ${LIMIT} only`)) : null,
  );
}

/** Field staff: cases sent back with their reason, then drafts not yet submitted. */
async function villageTodo(box: HTMLElement): Promise<void> {
  const mine = await caseSummaries({ status: 'draft', limit: LIMIT }).catch(() => [] as CaseSummary[]);
  const fillHref = (c: CaseSummary) =>
    `/app/fill/${encodeURIComponent(c.formId)}?s=${encodeURIComponent(c.submissionId)}`;
  const returned = mine.filter(isReturned);
  const drafts = mine.filter((c) => !isReturned(c));
  box.append(
    h('h2', { id: 'returned-h' }, tr('退回待修改', 'Returned to you for revision'), ` (${returned.length})`),
    returned.length
      ? h(
          'ul',
          { class: 'todo', id: 'todo-returned', 'aria-labelledby': 'returned-h' },
          ...returned.map((c) =>
            todo(
              c,
              fillHref(c),
              h(
                'span',
                { class: 'reason' },
                tr('退回原因：', 'Reason: '),
                c.lastStep?.comment ?? tr('未写明', 'not given'),
              ),
              ` · ${c.lastStep?.actor ?? ''} ${when(c.lastStep?.at)}`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, tr('没有退回的案件', 'Nothing was returned')),
    h('h2', { id: 'drafts-h' }, tr('未提交的草稿', 'Drafts not yet submitted'), ` (${drafts.length})`),
    drafts.length
      ? h(
          'ul',
          { class: 'todo', id: 'todo-drafts', 'aria-labelledby': 'drafts-h' },
          ...drafts.slice(0, 20).map((c) => todo(c, fillHref(c), t(c.formTitle), ` · ${when(c.updatedAt)}`)),
        )
      : h('p', { class: 'muted' }, tr('没有草稿', 'No drafts')),
  );
}

/** Reviewers: overdue and soon-due tasks first. */
async function reviewerTodo(box: HTMLElement): Promise<void> {
  const r = await api<{ items: Record<string, unknown>[] }>('GET', '/api/tasks').catch(() => ({ items: [] }));
  const tasks = r.items.map(toTask);
  const sums = await summariesOf(tasks.map((x) => x.id));
  const now = Date.now();
  const urgent = tasks
    .map((x) => sums.get(x.id))
    .filter((c): c is CaseSummary => !!c)
    .filter((c) => c.overdue || (c.deadline !== null && Date.parse(c.deadline) - now < SOON_MS))
    .sort(
      (a, b) => Number(b.overdue) - Number(a.overdue) || String(a.deadline).localeCompare(String(b.deadline)),
    );
  box.append(
    h('h2', { id: 'due-h' }, tr('逾期与即将到期', 'Overdue and due soon'), ` (${urgent.length})`),
    urgent.length
      ? h(
          'ul',
          { class: 'todo', id: 'todo-due', 'aria-labelledby': 'due-h' },
          ...urgent.map((c) =>
            todo(
              c,
              `/app/cases/${encodeURIComponent(c.submissionId)}`,
              stepText(c),
              ' · ',
              c.overdue ? h('strong', { class: 'flag' }, tr('已逾期', 'overdue')) : tr('期限', 'due'),
              ` ${when(c.deadline)}`,
            ),
          ),
        )
      : h(
          'p',
          { class: 'muted' },
          tr('没有逾期或三天内到期的待办', 'Nothing overdue or due within three days'),
        ),
    h(
      'p',
      {},
      h('a', { href: '/app/inbox' }, tr(`全部待办（${tasks.length}）`, `All tasks (${tasks.length})`)),
    ),
  );
  const notice = [...sums.values()].filter((c) => c.timerDueAt);
  if (notice.length)
    box.append(
      h('h2', {}, tr('公示中', 'In public notice')),
      h(
        'ul',
        { class: 'todo', id: 'todo-notice' },
        ...notice.map((c) =>
          todo(
            c,
            `/app/cases/${encodeURIComponent(c.submissionId)}`,
            tr('公示截止 ', 'notice ends '),
            day(c.timerDueAt),
          ),
        ),
      ),
    );
}

/** Open conflicts and duplicates of the registers, when the registers plugin is there. */
async function registerTodo(box: HTMLElement): Promise<void> {
  let regs: { id: string; title?: unknown }[];
  try {
    regs = (await api<{ items: { id: string; title?: unknown }[] }>('GET', '/api/registers')).items;
  } catch {
    return;
  }
  const lines: HTMLElement[] = [];
  for (const reg of regs) {
    const open = await api<{ items: { kind: string }[]; next: string | null }>(
      'GET',
      `/api/registers/${encodeURIComponent(reg.id)}/inbox?limit=500`,
    ).catch(() => ({ items: [], next: null }));
    const n = (k: string) => open.items.filter((f) => f.kind === k).length;
    if (!open.items.length) continue;
    lines.push(
      h(
        'li',
        { 'data-register': reg.id },
        h('strong', {}, t(reg.title ?? reg.id)),
        tr(
          `：冲突 ${n('conflict')} 条，疑似重复 ${n('duplicate')} 条`,
          `: ${n('conflict')} conflicts, ${n('duplicate')} possible duplicates`,
        ),
        open.next ? tr('（还有更多）', ' (and more)') : '',
        ' · ',
        h(
          'a',
          { href: '/app/registers/inbox', id: `todo-registers-${reg.id}` },
          tr('去处理', 'Resolve them'),
        ),
      ),
    );
  }
  box.append(
    h('h2', {}, tr('登记簿待处理', 'Registers: to resolve')),
    lines.length
      ? h('ul', { class: 'todo', id: 'todo-registers' }, ...lines)
      : h('p', { class: 'muted' }, tr('没有待处理的冲突或重复', 'No open conflicts or duplicates')),
  );
}

/** Where each role starts: what waits for them, then the ways in. */
export async function homePage(app: HTMLElement): Promise<void> {
  const s = session();
  const cards: [string, string, string][] = [];
  if (hasRole('field_staff', 'admin'))
    cards.push([
      '/app/forms',
      tr('填报', 'Forms'),
      tr('填写表单、查看我的填报', 'Fill in forms, see my submissions'),
    ]);
  if (hasRole('reviewer', 'admin'))
    cards.push([
      '/app/inbox',
      tr('待办', 'Tasks'),
      tr('审核待办、批量审批', 'Review cases, approve in bulk'),
    ]);
  if (hasRole('admin'))
    cards.push([
      '/app/admin/forms',
      tr('表单管理', 'Forms admin'),
      tr('编辑、预览、发布表单', 'Edit, preview and publish forms'),
    ]);
  const name = s?.user.displayName ?? s?.user.username ?? '';
  const box = h('div', { id: 'todo' });
  app.append(
    h('p', {}, tr(`您好，${name}`, `Hello, ${name}`)),
    box,
    h(
      'ul',
      { class: 'cards' },
      ...cards.map(([href, title, text]) =>
        h('li', {}, h('a', { href }, h('strong', {}, title), h('span', {}, text))),
      ),
    ),
  );
  if (hasRole('field_staff')) await villageTodo(box);
  if (hasRole('reviewer')) await reviewerTodo(box);
  if (hasRole('reviewer', 'admin')) await registerTodo(box);
  await workTodo(box);
  await paymentsTodo(box);
  const all = await caseSummaries({ limit: LIMIT }).catch(() => [] as CaseSummary[]);
  if (all.length) box.append(h('h2', {}, tr('各环节案件数', 'Cases by step')), counts(all));
}
