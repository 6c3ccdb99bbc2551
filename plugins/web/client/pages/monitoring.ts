import { api, hasRole } from '../api.ts';
import { fill, h, listTable } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { status } from '../status.ts';
import {
  CHANGE_ACTIONS,
  changeAction,
  changeKind,
  errorWords,
  hardship,
  jobStatus,
  maskedId,
  resurveyHref,
  unitNames,
  unitText,
  yesNo,
  yuan,
} from '../work-words.ts';

interface Job {
  id: string;
  rulesetId: string;
  orgCode: string;
  asOf: string;
  status: string;
  total: number | null;
  done: number;
  changes: number;
  cause: Record<string, unknown>;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

interface Change {
  id: string;
  kind: string;
  kinds: string[];
  status: string;
  submissionId: string;
  recordId: string | null;
  orgCode: string;
  jobId: string | null;
  headName: string | null;
  idNumber: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  cause: Record<string, unknown>;
  createdAt: string;
  action: string | null;
  note: string | null;
  closedAt: string | null;
  closedBy: string | null;
}

interface Revisit {
  submissionId: string;
  recordId: string | null;
  orgCode: string;
  headName: string | null;
  idNumber: string | null;
  category: string;
  surveyDate: string;
  intervalMonths: number;
  dueDate: string;
  state: 'due' | 'overdue';
}

/** Groups by unit, in code order (villages of a township together). */
function byUnit<T extends { orgCode: string }>(items: readonly T[]): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of items) m.set(x.orgCode, [...(m.get(x.orgCode) ?? []), x]);
  return [...m].sort((a, b) => a[0].localeCompare(b[0]));
}

const family = (x: { headName: string | null; idNumber: string | null }) =>
  h(
    'span',
    { class: 'family' },
    h('strong', {}, x.headName ?? tr('（未填姓名）', '(no name)')),
    x.idNumber ? h('small', { class: 'id-masked' }, ` ${maskedId(x.idNumber)}`) : '',
  );

/** Before → after of what a village acts on, in words. */
function changeWords(c: Change): string[] {
  const b = c.before;
  const a = c.after;
  const lines: string[] = [];
  if (c.kind === 'revisit') {
    const cause = c.cause;
    lines.push(
      tr(
        `${hardship(String(cause.category ?? ''))}：上次调查 ${cause.surveyDate ?? ''}，每 ${cause.intervalMonths ?? ''} 个月复核，应于 ${cause.dueDate ?? ''} 前复核`,
        `${hardship(String(cause.category ?? ''))}: last surveyed ${cause.surveyDate ?? ''}, every ${cause.intervalMonths ?? ''} months, due by ${cause.dueDate ?? ''}`,
      ),
    );
    return lines;
  }
  if (b.inRoster !== a.inRoster)
    lines.push(`${tr('列入附件3名册', 'On the roster')}：${yesNo(b.inRoster)} → ${yesNo(a.inRoster)}`);
  if (b.dibaoCandidate !== a.dibaoCandidate)
    lines.push(
      `${tr('低保候选', 'Dibao candidate')}：${yesNo(b.dibaoCandidate)} → ${yesNo(a.dibaoCandidate)}`,
    );
  if (b.hardshipType !== a.hardshipType)
    lines.push(
      `${tr('困难类型', 'Hardship type')}：${hardship(String(b.hardshipType ?? '')) || tr('无', 'none')} → ${hardship(String(a.hardshipType ?? '')) || tr('无', 'none')}`,
    );
  if (
    b.entitlement !== a.entitlement &&
    (typeof b.entitlement === 'number' || typeof a.entitlement === 'number')
  )
    lines.push(
      `${tr('月待遇', 'Monthly entitlement')}：${yuan(b.entitlement ?? 0)} → ${yuan(a.entitlement ?? 0)}`,
    );
  return lines;
}

const AREA: Record<string, [string, string]> = {
  rural: ['农村', 'rural'],
  urban: ['城市', 'urban'],
  both: ['城乡', 'urban and rural'],
};

/** A series id (`dibao_standard@511923/rural`) as the unit's name and the area in words. */
function seriesWords(series: unknown, names: Map<string, string>): string {
  const m = /@(\d+)\/(\w+)$/.exec(String(series ?? ''));
  if (!m) return '';
  const area = AREA[m[2] as string];
  return `${names.get(m[1] as string) ?? m[1]}${area ? ` ${tr(area[0], area[1])}` : ''}`;
}

/** Why the family was decided again: a standard changed (which, where, to what, from when) or a new survey. */
function causeWords(
  cause: Record<string, unknown>,
  params: Map<string, string>,
  names: Map<string, string>,
): string {
  if (cause.type === 'standard') {
    const name = params.get(String(cause.parameter)) ?? String(cause.parameter ?? '');
    const where = seriesWords(cause.series, names);
    return cause.withdrawn
      ? tr(
          `${where}${name}自 ${cause.validFrom} 起的值被撤回`,
          `${name} (${where}) from ${cause.validFrom} withdrawn`,
        )
      : tr(
          `${where}${name}自 ${cause.validFrom} 起为 ${cause.value}`,
          `${name} (${where}) is ${cause.value} from ${cause.validFrom}`,
        );
  }
  if (cause.type === 'survey') return tr('重新入户调查', 'A new survey');
  if (cause.type === 'revisit') return tr('到期未复核', 'Re-visit overdue');
  return '';
}

function closeChangeForm(c: Change, done: (m: string) => Promise<void>): HTMLElement {
  const id = `chg-${c.id}`;
  const sel = h(
    'select',
    { id: `${id}-action` },
    ...CHANGE_ACTIONS.map((a) => h('option', { value: a }, changeAction(a))),
  );
  const note = h('input', { id: `${id}-note`, maxlength: 2000 });
  const form = h(
    'form',
    { class: 'close-change filters', 'data-change': c.id },
    h('label', { for: `${id}-action` }, tr('处理', 'Outcome')),
    sel,
    h('label', { for: `${id}-note` }, tr('说明', 'Note')),
    note,
    h('button', { type: 'submit' }, tr('办结', 'Close')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', `/api/monitoring/changes/${encodeURIComponent(c.id)}/close`, {
        action: sel.value,
        ...(note.value.trim() ? { note: note.value.trim() } : {}),
      });
      await done(tr(`已办结：${c.headName ?? ''}`, `Closed: ${c.headName ?? ''}`));
    } catch (e) {
      status(errorWords(e), 'error');
    }
  });
  return form;
}

function jobsTable(
  jobs: readonly Job[],
  names: Map<string, string>,
  params: Map<string, string>,
  pick: (id: string) => void,
) {
  /** The run's changes, and the button that lists them. */
  const changes = (j: Job) => {
    if (!j.changes) return [String(j.changes), ' ', ''];
    const show = h(
      'button',
      { type: 'button', class: 'show-job', 'data-job': j.id },
      tr('看变动', 'Changes'),
    );
    show.addEventListener('click', () => pick(j.id));
    return [String(j.changes), ' ', show];
  };
  return listTable(
    { id: 'jobs' },
    tr('监测任务', 'Monitoring runs'),
    [
      [
        tr('起因', 'Cause'),
        (j) => [
          causeWords(j.cause, params, names),
          h('br'),
          h('small', {}, tr(`认定日期 ${j.asOf}`, `as of ${j.asOf}`)),
        ],
      ],
      [tr('范围', 'Area'), (j) => unitText(names, j.orgCode)],
      [
        tr('状态', 'Status'),
        (j) => [jobStatus(j.status), j.error ? h('div', { class: 'flag' }, j.error) : ''],
      ],
      [
        tr('进度', 'Progress'),
        (j) => [
          h('progress', {
            max: Math.max(j.total ?? 0, 1),
            value: j.done,
            'aria-label': tr('进度', 'Progress'),
          }),
          ` ${j.done} / ${j.total ?? '?'}`,
        ],
      ],
      [tr('变动', 'Changes'), changes],
      [
        tr('时间', 'When'),
        (j) => [
          when(j.createdAt),
          j.finishedAt ? h('div', {}, h('small', {}, tr('完成 ', 'done '), when(j.finishedAt))) : '',
        ],
      ],
    ],
    jobs,
    (j) => ({ 'data-job': j.id, 'data-status': j.status }),
  );
}

/**
 * 动态监测 / Dynamic monitoring: the runs with their progress, the change list per unit (newly on
 * the roster, left it, hardship type changed, became a 低保 candidate) for one run or all, and
 * the re-visits due and overdue per village with a link that starts the re-survey.
 */
export async function monitoringPage(app: HTMLElement): Promise<void> {
  const names = await unitNames();
  const params = new Map<string, string>();
  for (const d of (
    await api<{ items: { name: string; label: { 'zh-CN': string; en: string } }[] }>(
      'GET',
      '/api/parameters/declared',
    ).catch(() => ({
      items: [],
    }))
  ).items)
    params.set(d.name, t(d.label));

  const jobsBox = h('section', { id: 'jobs-box', 'aria-labelledby': 'jobs-h' });
  const changesBox = h('section', { id: 'changes-box', 'aria-labelledby': 'changes-h' });
  const revisitsBox = h('section', { id: 'revisits-box', 'aria-labelledby': 'revisits-h' });
  const kindSel = h(
    'select',
    { id: 'c-kind' },
    h('option', { value: '' }, tr('全部', 'All')),
    ...['joined', 'left', 'candidate', 'type', 'entitlement', 'revisit'].map((k) =>
      h('option', { value: k }, changeKind(k)),
    ),
  );
  const statusSel = h(
    'select',
    { id: 'c-status' },
    h('option', { value: 'open' }, tr('待处理', 'Open')),
    h('option', { value: 'closed' }, tr('已办结', 'Closed')),
    h('option', { value: 'all' }, tr('全部', 'All')),
  );
  let jobId = new URLSearchParams(location.search).get('job') ?? '';

  const loadJobs = async () => {
    const r = await api<{ items: Job[] }>('GET', '/api/monitoring/jobs?limit=20');
    const run = h(
      'button',
      { type: 'button', id: 'run-now', class: 'primary' },
      tr('立即运行监测', 'Run monitoring now'),
    );
    run.addEventListener('click', async () => {
      run.disabled = true;
      status(tr('正在重新认定…', 'Deciding again…'));
      try {
        const out = await api<{ ran: Job[]; resurveys: number; revisits: number }>(
          'POST',
          '/api/monitoring/run',
          {},
        );
        await Promise.all([loadJobs(), loadChanges(), loadRevisits()]);
        const n = out.ran.length;
        const added = out.ran.reduce((sum, j) => sum + j.changes, 0) + out.resurveys + out.revisits;
        status(
          tr(
            `监测已运行：${n} 个任务，新增变动 ${added} 项`,
            `Monitoring ran: ${n} runs, ${added} new changes`,
          ),
          'ok',
        );
      } catch (e) {
        status(errorWords(e), 'error');
      } finally {
        run.disabled = false;
      }
    });
    fill(
      jobsBox,
      h('h2', { id: 'jobs-h' }, tr('监测任务与进度', 'Runs and progress')),
      h(
        'p',
        { class: 'muted' },
        tr(
          '标准调整或重新调查后，受影响的家庭按批重新认定；变动成为负责村（社区）的待办。',
          'When a standard changes or a family is surveyed again, the families affected are decided again in batches; what changed becomes work for their village.',
        ),
      ),
      hasRole('admin') ? h('div', { class: 'actions' }, run) : null,
      r.items.length
        ? jobsTable(r.items, names, params, (id) => {
            jobId = id;
            statusSel.value = 'all';
            void loadChanges();
            document.getElementById('changes-h')?.scrollIntoView();
          })
        : h('p', { class: 'muted', id: 'no-jobs' }, tr('还没有监测任务', 'No monitoring run yet')),
    );
  };

  const loadChanges = async () => {
    const p = new URLSearchParams({ status: statusSel.value, limit: '1000' });
    if (kindSel.value) p.set('kind', kindSel.value);
    if (jobId) p.set('jobId', jobId);
    const r = await api<{ items: Change[]; next: string | null }>('GET', `/api/monitoring/changes?${p}`);
    const clear = h(
      'button',
      { type: 'button', id: 'c-all-jobs' },
      tr('显示全部任务的变动', 'Changes of every run'),
    );
    clear.addEventListener('click', () => {
      jobId = '';
      void loadChanges();
    });
    const filters = h(
      'form',
      { class: 'filters', id: 'change-filters' },
      h('label', { for: 'c-kind' }, tr('变动', 'Change')),
      kindSel,
      h('label', { for: 'c-status' }, tr('状态', 'State')),
      statusSel,
      h('button', { type: 'submit' }, tr('筛选', 'Filter')),
    );
    filters.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void loadChanges();
    });
    fill(
      changesBox,
      h('h2', { id: 'changes-h' }, tr('变动清单', 'Change list'), ` (${r.items.length}${r.next ? '+' : ''})`),
      filters,
      jobId
        ? h('p', { id: 'c-job' }, tr('仅显示所选任务的变动。', 'Changes of the chosen run only. '), clear)
        : null,
      ...(r.items.length
        ? byUnit(r.items).map(([code, items]) =>
            h(
              'div',
              { class: 'unit-group', 'data-org': code },
              h('h3', {}, unitText(names, code), ` (${items.length})`),
              h(
                'ul',
                { class: 'todo changes' },
                ...items.map((c) =>
                  h(
                    'li',
                    { 'data-change': c.id, 'data-kind': c.kind, 'data-status': c.status },
                    family(c),
                    ' · ',
                    h('strong', { class: 'kind' }, c.kinds.map(changeKind).join('、') || changeKind(c.kind)),
                    h('ul', { class: 'explain' }, ...changeWords(c).map((x) => h('li', {}, x))),
                    h(
                      'div',
                      { class: 'muted' },
                      tr('原因：', 'Cause: '),
                      causeWords(c.cause, params, names),
                      ` · ${when(c.createdAt)}`,
                    ),
                    c.status === 'closed'
                      ? h(
                          'div',
                          { class: 'resolution' },
                          changeAction(c.action),
                          c.note ? `：${c.note}` : '',
                          ` · ${c.closedBy ?? ''} ${when(c.closedAt)}`,
                        )
                      : null,
                    h(
                      'p',
                      { class: 'links' },
                      c.recordId
                        ? h(
                            'a',
                            { href: `/app/households/${encodeURIComponent(c.recordId)}` },
                            tr('查看家庭', 'The household'),
                          )
                        : null,
                      c.recordId ? ' · ' : null,
                      hasRole('field_staff', 'admin')
                        ? h(
                            'a',
                            { href: resurveyHref(c), class: 'resurvey' },
                            tr('开始复核调查', 'Start the re-survey'),
                          )
                        : h(
                            'a',
                            { href: `/app/submissions/${encodeURIComponent(c.submissionId)}` },
                            tr('查看调查', 'The survey'),
                          ),
                    ),
                    c.status === 'open' && hasRole('admin', 'field_staff', 'reviewer')
                      ? closeChangeForm(c, done)
                      : null,
                  ),
                ),
              ),
            ),
          )
        : [h('p', { class: 'muted', id: 'no-changes' }, tr('没有符合条件的变动', 'No change matches'))]),
    );
  };

  const loadRevisits = async () => {
    const r = await api<{ on: string; items: Revisit[] }>('GET', '/api/monitoring/revisits?withinDays=30');
    const overdue = r.items.filter((x) => x.state === 'overdue');
    const due = r.items.filter((x) => x.state === 'due');
    const group = (id: string, title: string, items: Revisit[]) =>
      h(
        'div',
        { id },
        h('h3', {}, title, ` (${items.length})`),
        ...(items.length
          ? byUnit(items).map(([code, xs]) =>
              h(
                'div',
                { class: 'unit-group', 'data-org': code },
                h('h4', {}, unitText(names, code)),
                h(
                  'ul',
                  { class: 'todo' },
                  ...xs.map((x) =>
                    h(
                      'li',
                      { class: x.state === 'overdue' ? 'overdue' : null, 'data-submission': x.submissionId },
                      family(x),
                      ` · ${hardship(x.category)} · `,
                      tr(
                        `上次调查 ${x.surveyDate}，每 ${x.intervalMonths} 个月，`,
                        `last surveyed ${x.surveyDate}, every ${x.intervalMonths} months, `,
                      ),
                      h(
                        'strong',
                        { class: x.state === 'overdue' ? 'flag' : null },
                        tr(`应于 ${x.dueDate} 前复核`, `due ${x.dueDate}`),
                      ),
                      ' · ',
                      h(
                        'a',
                        { href: resurveyHref(x), class: 'resurvey' },
                        tr('开始复核调查', 'Start the re-survey'),
                      ),
                    ),
                  ),
                ),
              ),
            )
          : [h('p', { class: 'muted' }, tr('无', 'None'))]),
      );
    fill(
      revisitsBox,
      h('h2', { id: 'revisits-h' }, tr('复核到期与逾期', 'Re-visits due and overdue')),
      h(
        'p',
        { class: 'muted' },
        tr(
          `截至 ${r.on}，30 天内到期及已逾期的家庭。`,
          `As of ${r.on}: families due within 30 days, and overdue.`,
        ),
      ),
      group('revisits-overdue', tr('已逾期', 'Overdue'), overdue),
      group('revisits-due', tr('30 天内到期', 'Due within 30 days'), due),
    );
  };

  const done = async (message: string) => {
    await loadChanges();
    status(message, 'ok');
  };
  app.append(jobsBox, changesBox, revisitsBox);
  await Promise.all([loadJobs(), loadChanges(), loadRevisits()]);
}
