import type { ReferralView } from '../../../crosschecks/views.ts';
import { api, hasRole } from '../api.ts';
import { fill, h } from '../dom.ts';
import { tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { status } from '../status.ts';
import {
  DEPARTMENT_CODES,
  department,
  errorWords,
  ITEM_STATUS_CODES,
  itemStatus,
  maskedId,
  referralStatus,
  unitNames,
  unitText,
} from '../work-words.ts';

type Referral = ReferralView;

const ANSWERS = ['accepted', 'done', 'declined'] as const;

const field = (id: string, label: string, control: HTMLElement, help?: string) =>
  h(
    'div',
    { class: 'field' },
    h('label', { class: 'label', for: id }, label),
    help ? h('p', { class: 'help', id: `${id}-help` }, help) : null,
    control,
  );

/** The create form: from a finding (`?finding=`) or a case (`?case=`), to a department. */
function createForm(done: (message: string) => Promise<void>): HTMLElement {
  const q = new URLSearchParams(location.search);
  const fromFinding = q.get('finding');
  const fromCase = q.get('case');
  const source = h('input', {
    id: 'r-source',
    value: fromFinding ?? fromCase ?? '',
    required: true,
    'aria-describedby': 'r-source-help r-source-err',
  });
  const kind = h(
    'select',
    { id: 'r-kind' },
    h('option', { value: 'finding', selected: !fromCase }, tr('比对问题', 'A finding')),
    h('option', { value: 'case', selected: !!fromCase }, tr('入户调查（案件）', 'A survey (case)')),
  );
  const dept = h(
    'select',
    { id: 'r-department' },
    ...DEPARTMENT_CODES.map((d) => h('option', { value: d }, department(d))),
  );
  const note = h('textarea', { id: 'r-note', rows: 2, maxlength: 1000 });
  const items = h('textarea', { id: 'r-items', rows: 3, 'aria-describedby': 'r-items-help' });
  const due = h('input', { id: 'r-due', type: 'number', inputmode: 'numeric', min: 1, max: 366, value: 30 });
  const err = h('p', { class: 'error', id: 'r-source-err' });
  const form = h(
    'form',
    { id: 'referral-form', class: 'section', novalidate: true },
    h('h2', {}, tr('新建转介', 'New referral')),
    field('r-kind', tr('依据', 'From'), kind),
    field(
      'r-source',
      tr('比对问题或调查编号', 'Finding or survey id'),
      source,
      tr(
        '从比对问题页或调查详情页点“转介到部门”会自动填入',
        'Filled in when you come from a finding or a survey',
      ),
    ),
    err,
    field('r-department', tr('转介部门', 'Department'), dept),
    field(
      'r-items',
      tr('家庭诉求（每行一项）', "The family's requests (one a line)"),
      items,
      tr(
        '不填时，从调查表的“困难群体诉求”逐句生成',
        'Left empty: taken sentence by sentence from the survey’s requests',
      ),
    ),
    field('r-note', tr('说明', 'Note'), note),
    field('r-due', tr('答复期限（天）', 'Days to answer'), due),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'r-create' }, tr('转介', 'Refer')),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    source.removeAttribute('aria-invalid');
    const id = source.value.trim();
    if (!id) {
      err.textContent = tr('请填写比对问题或调查编号', 'Give the finding or survey id');
      source.setAttribute('aria-invalid', 'true');
      source.focus();
      return;
    }
    const lines = items.value
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    try {
      await api('POST', '/api/crosschecks/referrals/', {
        [kind.value === 'case' ? 'caseId' : 'findingId']: id,
        department: dept.value,
        ...(note.value.trim() ? { note: note.value.trim() } : {}),
        ...(lines.length ? { items: lines } : {}),
        dueDays: Math.min(366, Math.max(1, Number(due.value) || 30)),
      });
      form.reset();
      source.value = '';
      history.replaceState(null, '', '/app/referrals');
      await done(tr(`已转介到${department(dept.value)}`, `Referred to ${department(dept.value)}`));
    } catch (e) {
      err.textContent = errorWords(e);
      source.setAttribute('aria-invalid', 'true');
    }
  });
  return form;
}

/** The department's answer (or the county's record of it). */
function answerForm(r: Referral, done: (message: string) => Promise<void>): HTMLElement {
  const base = `answer-${r.id}`;
  const sel = h(
    'select',
    { id: `${base}-status` },
    ...ANSWERS.filter((a) => a !== r.status).map((a) => h('option', { value: a }, referralStatus(a))),
  );
  const text = h('textarea', {
    id: `${base}-text`,
    rows: 2,
    maxlength: 1000,
    'aria-describedby': `${base}-err`,
  });
  const err = h('p', { class: 'error', id: `${base}-err` });
  const form = h(
    'form',
    { class: 'answer', 'data-referral': r.id, novalidate: true },
    field(`${base}-status`, tr('答复', 'Answer'), sel),
    field(`${base}-text`, tr('答复内容（不予办理时必填）', 'Answer (required when declining)'), text),
    err,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'send-answer' }, tr('提交答复', 'Send the answer')),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    text.removeAttribute('aria-invalid');
    if (sel.value === 'declined' && !text.value.trim()) {
      err.textContent = tr('不予办理须说明原因', 'Say why when declining');
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    try {
      await api('POST', `/api/crosschecks/referrals/${encodeURIComponent(r.id)}/answer`, {
        status: sel.value,
        ...(text.value.trim() ? { answer: text.value.trim() } : {}),
      });
      await done(tr(`已答复：${referralStatus(sel.value)}`, `Answered: ${referralStatus(sel.value)}`));
    } catch (e) {
      err.textContent = errorWords(e);
    }
  });
  return form;
}

function itemRow(
  r: Referral,
  it: Referral['items'][number],
  canAnswer: boolean,
  done: (m: string) => Promise<void>,
) {
  const id = `item-${it.id}`;
  const sel = h(
    'select',
    { id, 'aria-label': `${tr('诉求状态', 'Request status')}：${it.text}` },
    ...ITEM_STATUS_CODES.map((s) => h('option', { value: s, selected: s === it.status }, itemStatus(s))),
  );
  sel.addEventListener('change', async () => {
    try {
      await api(
        'POST',
        `/api/crosschecks/referrals/${encodeURIComponent(r.id)}/items/${encodeURIComponent(it.id)}`,
        {
          status: sel.value,
        },
      );
      await done(
        tr(`诉求“${it.text}”：${itemStatus(sel.value)}`, `Request "${it.text}": ${itemStatus(sel.value)}`),
      );
    } catch (e) {
      status(errorWords(e), 'error');
    }
  });
  return h(
    'li',
    { 'data-item': it.id, 'data-status': it.status },
    it.text,
    ' — ',
    canAnswer ? sel : h('strong', {}, itemStatus(it.status)),
    it.note ? h('small', {}, ` ${it.note}`) : null,
  );
}

function referralItem(
  r: Referral,
  names: Map<string, string>,
  canAnswer: boolean,
  done: (m: string) => Promise<void>,
): HTMLLIElement {
  const closed = r.status === 'done' || r.status === 'declined';
  return h(
    'li',
    { class: `referral${r.overdue ? ' overdue' : ''}`, 'data-referral': r.id, 'data-status': r.status },
    h(
      'h3',
      {},
      department(r.department),
      ' · ',
      h('span', { class: 'status-word' }, referralStatus(r.status)),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, tr('身份证号', 'ID number')),
      h('dd', { class: 'id-masked' }, maskedId(r.subject)),
      h('dt', {}, tr('所属单位', 'Unit')),
      h('dd', {}, unitText(names, r.ownerOrgCode)),
      h('dt', {}, tr('依据', 'From')),
      h(
        'dd',
        {},
        r.source === 'finding'
          ? tr('比对问题', 'A cross-check finding')
          : h(
              'a',
              { href: `/app/submissions/${encodeURIComponent(r.sourceId)}` },
              tr('入户调查', 'The survey'),
            ),
        r.recordId ? ' · ' : '',
        r.recordId
          ? h(
              'a',
              { href: `/app/households/${encodeURIComponent(r.recordId)}` },
              tr('查看家庭', 'The household'),
            )
          : '',
      ),
      h('dt', {}, tr('答复期限', 'Answer due')),
      h(
        'dd',
        { class: r.overdue ? 'flag' : null },
        r.dueDate,
        r.overdue ? tr('（已逾期）', ' (overdue)') : '',
      ),
      h('dt', {}, tr('转介', 'Referred')),
      h('dd', {}, `${r.createdBy} ${when(r.createdAt)}`),
      r.note ? h('dt', {}, tr('说明', 'Note')) : null,
      r.note ? h('dd', {}, r.note) : null,
      r.answeredAt ? h('dt', {}, tr('部门答复', 'Answer')) : null,
      r.answeredAt
        ? h(
            'dd',
            { class: 'answer-text' },
            `${r.answer ?? tr('（未写明）', '(no text)')} · ${r.answeredBy ?? ''} ${when(r.answeredAt)}`,
          )
        : null,
    ),
    r.items.length
      ? h(
          'div',
          {},
          h('h4', {}, tr('诉求事项', 'Requests')),
          h('ul', { class: 'items' }, ...r.items.map((it) => itemRow(r, it, canAnswer && !closed, done))),
        )
      : null,
    canAnswer && !closed ? answerForm(r, done) : null,
  );
}

/**
 * 专项救助转介 / Referrals: civil affairs refers a family (from a finding or a survey) to the
 * medical, education, housing or employment department; the department's account answers (or the
 * county records the answer); the family's requests are items with a status; due and overdue are
 * flagged.
 */
export async function referralsPage(app: HTMLElement): Promise<void> {
  const [mine, names] = await Promise.all([
    api<{ department: string | null; canAnswer: boolean }>(
      'GET',
      '/api/crosschecks/referrals/departments/mine',
    ),
    unitNames(),
  ]);
  const filter = h(
    'select',
    { id: 'r-filter' },
    h('option', { value: 'waiting' }, tr('待答复与办理中', 'Awaiting an answer or in progress')),
    h('option', { value: 'overdue' }, tr('已逾期', 'Overdue')),
    h('option', { value: 'closed' }, tr('已办结或不予办理', 'Done or declined')),
    h('option', { value: 'all' }, tr('全部', 'All')),
  );
  const count = h('p', { id: 'referral-count', 'aria-live': 'polite' });
  const box = h('ul', { class: 'todo', id: 'referrals' });
  const load = async () => {
    const r = await api<{ items: Referral[] }>('GET', '/api/crosschecks/referrals/');
    const keep = (x: Referral) =>
      filter.value === 'all' ||
      (filter.value === 'overdue' && x.overdue) ||
      (filter.value === 'waiting' && (x.status === 'open' || x.status === 'accepted')) ||
      (filter.value === 'closed' && (x.status === 'done' || x.status === 'declined'));
    const items = r.items
      .filter(keep)
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate));
    count.textContent = tr(`共 ${items.length} 件`, `${items.length} referrals`);
    fill(
      box,
      ...(items.length
        ? items.map((x) => referralItem(x, names, mine.canAnswer, done))
        : [h('li', { class: 'empty' }, tr('没有符合条件的转介', 'No referral matches'))]),
    );
  };
  const done = async (message: string) => {
    await load();
    status(message, 'ok');
  };
  filter.addEventListener('change', () => void load().catch((e: unknown) => status(errorWords(e), 'error')));
  app.append(
    h(
      'p',
      { id: 'referral-role' },
      mine.department
        ? tr(
            `您是${department(mine.department)}部门账号：答复本部门的转介。`,
            `You answer for ${department(mine.department)}.`,
          )
        : mine.canAnswer
          ? tr('县级民政可代部门录入答复。', 'County civil affairs may record a department’s answer.')
          : tr('转介由部门答复；您可跟踪进度。', 'Departments answer referrals; you follow them here.'),
    ),
    !mine.department && hasRole('admin', 'reviewer', 'field_staff') ? createForm(done) : '',
    h('div', { class: 'filters' }, h('label', { for: 'r-filter' }, tr('显示', 'Show')), filter),
    count,
    box,
  );
  await load();
}
