import { confirmDialog } from '../actions.ts';
import { api, hasRole } from '../api.ts';
import { type CaseSummary, stepText, summariesOf } from '../cases.ts';
import { valueText } from '../decision.ts';
import { append, fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import type { SubmissionJson } from '../readonly-form.ts';
import { statusBox, statusSentence } from '../record-status.ts';
import {
  benefitWords,
  headName,
  listId,
  type RecordShow,
  type RegisterDef,
  statusText,
  valueWords,
  versionSentence,
} from '../register-records.ts';
import { errorWords, registerDef, registerOptions, regUrl, unitNames } from '../register-ui.ts';
import { status } from '../status.ts';

type Units = Awaited<ReturnType<typeof unitNames>>;

interface RulesWords {
  title: { 'zh-CN': string; en?: string };
  outputs: { id: string; label: unknown; unit: string | null; values: { value: unknown; label: never }[] }[];
  facts: { id: string; label: unknown; unit: string | null }[];
}

/** A line of the timeline: when, the sentence, and a link where there is one. */
interface Line {
  at: string;
  kind: string;
  node: HTMLElement;
}

const link = (href: string, text: string) => h('a', { href }, text);

/** The rules decisions as sentences: each output with its label and unit (the ruleset's words). */
async function decisionLines(show: RecordShow): Promise<Line[]> {
  const words = new Map<string, RulesWords | null>();
  const out: Line[] = [];
  for (const d of show.decisions ?? []) {
    if (!words.has(d.ruleset_id))
      words.set(
        d.ruleset_id,
        await api<RulesWords>('GET', `/api/rules/${encodeURIComponent(d.ruleset_id)}`).catch(() => null),
      );
    const w = words.get(d.ruleset_id);
    const outputs = (d.outputs ?? {}) as Record<string, unknown>;
    const facts = new Map((w?.facts ?? []).map((f) => [f.id, f]));
    const parts = (w?.outputs ?? []).map((o) => {
      const label = o.label ?? facts.get(o.id)?.label;
      return `${label ? t(label) : o.id}${tr('：', ': ')}${valueText(outputs[o.id], o.unit ?? facts.get(o.id)?.unit ?? null, o.values)}`;
    });
    out.push({
      at: String((d as { created_at?: string }).created_at ?? d.as_of),
      kind: 'decision',
      node: h(
        'span',
        {},
        tr(
          `规则判定（${w ? t(w.title) : d.ruleset_id}，截至 ${d.as_of}）：`,
          `Rules decision (${w ? t(w.title) : d.ruleset_id}, as of ${d.as_of}): `,
        ),
        parts.join(tr('；', '; ')) || tr('无结果', 'no outputs'),
        ' · ',
        link(
          `/app/submissions/${encodeURIComponent(d.submission_id)}`,
          tr('所依据的调查', 'the survey decided'),
        ),
      ),
    });
  }
  return out;
}

function flagLine(show: RecordShow, f: RecordShow['flags'][number]): Line[] {
  const other = f.recordId === show.record.id ? f.otherRecordId : f.recordId;
  const what =
    f.kind === 'conflict'
      ? tr(
          `第 ${f.version ?? '?'} 版与当前版本冲突`,
          `version ${f.version ?? '?'} conflicts with the current one`,
        )
      : tr(
          `身份证号 ${f.subject ?? ''} 同时登记在另一户（${other ?? ''}）`,
          `ID number ${f.subject ?? ''} is also registered in another household (${other ?? ''})`,
        );
  const lines: Line[] = [
    {
      at: f.createdAt,
      kind: 'flag',
      node: h(
        'span',
        {},
        what,
        f.status === 'open'
          ? h(
              'strong',
              { class: 'flag' },
              tr('，待处理 ', ', to resolve '),
              link('/app/registers/inbox', tr('去处理', 'resolve')),
            )
          : '',
      ),
    },
  ];
  if (f.resolvedAt) {
    const how: Record<string, [string, string]> = {
      keep: ['保留当前版本', 'kept the current version'],
      take: ['采用冲突版本', 'took the conflicting version'],
      dismiss: ['判定不是重复', 'found not to be a duplicate'],
      merged: ['两户已合并', 'the two records were merged'],
    };
    const [zh, en] = how[f.resolution ?? ''] ?? [f.resolution ?? '', f.resolution ?? ''];
    lines.push({
      at: f.resolvedAt,
      kind: 'flag',
      node: h(
        'span',
        {},
        tr(`${f.resolvedBy ?? ''} 已处理：${zh}`, `${f.resolvedBy ?? ''} resolved it: ${en}`),
      ),
    });
  }
  return lines;
}

function caseLine(c: CaseSummary): Line {
  return {
    at: c.updatedAt,
    kind: 'case',
    node: h(
      'span',
      {},
      tr(`${t(c.formTitle)}：${stepText(c)}`, `${t(c.formTitle)}: ${stepText(c)}`),
      c.assignees && !c.final ? tr(`，下一步由${t(c.assignees)}办理`, `, next: ${t(c.assignees)}`) : '',
      c.lastStep?.comment ? tr(`（意见：${c.lastStep.comment}）`, ` (comment: ${c.lastStep.comment})`) : '',
      ' · ',
      link(`/app/cases/${encodeURIComponent(c.submissionId)}`, tr('查看案件', 'open the case')),
    ),
  };
}

/** The record's story, newest first: versions, flags, decisions, workflow cases, benefits. */
async function timeline(def: RegisterDef, show: RecordShow): Promise<HTMLElement> {
  const lines: Line[] = [];
  for (const v of show.versions)
    lines.push({
      at: v.at,
      kind: v.conflict ? 'version conflict' : 'version',
      node: h(
        'span',
        {},
        v.recordId !== show.record.id ? tr(`（原记录 ${v.recordId}）`, `(record ${v.recordId}) `) : '',
        versionSentence(v),
        v.submissionId
          ? h(
              'span',
              {},
              ' · ',
              link(
                `/app/submissions/${encodeURIComponent(v.submissionId)}`,
                tr('查看调查表', 'open the survey'),
              ),
            )
          : '',
      ),
    });
  for (const f of show.flags) lines.push(...flagLine(show, f));
  for (const s of (show.statuses ?? []).slice(1))
    lines.push({ at: s.at, kind: 'status', node: h('span', {}, statusSentence(def, s)) });
  lines.push(...(await decisionLines(show)));
  const caseIds = [
    ...new Set([
      ...show.cases.map((c) => c.submission_id),
      ...(show.benefits ?? []).map((b) => b.applicationId),
    ]),
  ];
  for (const c of (await summariesOf(caseIds)).values()) if (c.workflowId) lines.push(caseLine(c));
  for (const b of show.benefits ?? [])
    lines.push({
      at: `${b.startMonth}-01`,
      kind: 'benefit',
      node: h(
        'span',
        {},
        tr('救助待遇：', 'Benefit: '),
        benefitWords(b),
        ' · ',
        link(`/app/benefits/${encodeURIComponent(b.id)}`, tr('查看待遇', 'open the benefit')),
      ),
    });
  lines.sort((a, b) => b.at.localeCompare(a.at));
  return h(
    'ol',
    { class: 'history timeline', id: 'timeline' },
    ...lines.map((l) =>
      h('li', { 'data-kind': l.kind }, h('time', { datetime: l.at }, when(l.at)), ' ', l.node),
    ),
  );
}

/** The members of the current survey (names, relation, age), ID numbers masked; else the indexed numbers. */
function membersList(show: RecordShow, survey: SubmissionJson | null): HTMLElement {
  const rows = Array.isArray(survey?.data.members)
    ? (survey?.data.members as Record<string, unknown>[])
    : null;
  if (rows?.length)
    return h(
      'ul',
      { id: 'members' },
      ...rows.map((m) =>
        h(
          'li',
          {},
          h('strong', {}, String(m.name ?? '')),
          typeof m.idNumber === 'string' ? ` ${listId(m.idNumber)}` : '',
          typeof m.age === 'number' ? tr(` · ${m.age} 岁`, ` · aged ${m.age}`) : '',
        ),
      ),
    );
  const current = show.versions.find(
    (v) => v.recordId === show.record.id && v.version === show.record.currentVersion,
  );
  const ids = (current?.members ?? []).filter((m) => m !== show.record.key);
  return ids.length
    ? h('ul', { id: 'members' }, ...ids.map((m) => h('li', {}, listId(m))))
    : h('p', { id: 'members', class: 'muted' }, tr('没有登记其他成员', 'No other members registered'));
}

/** Transfer to another village: the target chosen from the caller's villages or typed as a code. */
function transferBox(show: RecordShow, units: Units, reload: () => Promise<void>): HTMLElement {
  const r = show.record;
  const input = h('input', {
    id: 'transfer-to',
    list: 'transfer-villages',
    inputmode: 'numeric',
    autocomplete: 'off',
    'aria-describedby': 'transfer-help',
  });
  const options = h('datalist', { id: 'transfer-villages' });
  for (const [code, u] of units)
    if (u.level === 'village' && code !== r.ownerOrgCode)
      options.append(h('option', { value: code }, u.name));
  const btn = h('button', { type: 'submit', id: 'transfer-go', class: 'danger' }, tr('迁移', 'Transfer'));
  const form = h(
    'form',
    { id: 'transfer', class: 'filters' },
    h('label', { for: 'transfer-to' }, tr('迁移到村（社区）代码', 'Move to the village (code)'), ' ', input),
    options,
    btn,
    h(
      'p',
      { id: 'transfer-help', class: 'help' },
      tr(
        '两个村都在您辖区内时立即迁移；否则由接收单位确认。',
        'Done at once when both villages are in your area; otherwise the receiving unit accepts it.',
      ),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const to = input.value.trim();
    if (!/^\d{12}$/.test(to)) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return status(tr('请填写 12 位村（社区）代码', 'Give the 12-digit village code'), 'error');
    }
    input.removeAttribute('aria-invalid');
    const from = units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode;
    const target = units.get(to)?.name ?? to;
    const ok = await confirmDialog({
      title: tr('确认迁移这一户？', 'Transfer this family?'),
      family: tr(
        `户主：${headName(r)}（身份证 ${listId(r.key)}）`,
        `Head of household: ${headName(r)} (ID ${listId(r.key)})`,
      ),
      consequence: tr(
        `这户的记录、待办和以后的调查将由“${target}”管理，不再属于“${from}”。`,
        `The record, its open tasks and later surveys will belong to "${target}", no longer to "${from}".`,
      ),
      confirmLabel: tr('迁移', 'Transfer'),
    });
    if (!ok) return status(tr('已取消，记录未改变', 'Cancelled; the record is unchanged'), 'info');
    btn.disabled = true;
    try {
      const res = await api<{ state: 'done' | 'pending' }>(
        'POST',
        regUrl(`/records/${encodeURIComponent(r.id)}/transfer`),
        {
          to,
        },
      );
      await reload();
      status(
        res.state === 'done'
          ? tr(`已迁移到“${target}”`, `Transferred to "${target}"`)
          : tr(`已请“${target}”接收，待其确认`, `Asked "${target}" to accept it; waiting for them`),
        'ok',
      );
    } catch (err) {
      status(errorWords(err), 'error');
      btn.disabled = false;
    }
  });
  return form;
}

/** One household: what is registered now, its members, the re-survey, the transfer and the whole story. */
export async function householdPage(app: HTMLElement): Promise<void> {
  const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const def = await registerDef();
  if (!def) {
    app.append(
      h('p', {}, tr('本服务器未启用家庭户登记簿', 'The household register is not enabled on this server')),
    );
    return;
  }
  const [units, options] = await Promise.all([unitNames(), registerOptions(def)]);
  const reload = async () => {
    fill(app);
    await draw();
  };
  const draw = async () => {
    let show: RecordShow;
    try {
      show = await api<RecordShow>('GET', regUrl(`/records/${encodeURIComponent(id)}`));
    } catch (e) {
      app.append(h('p', { class: 'error' }, errorWords(e)));
      return;
    }
    const r = show.record;
    const current = show.versions.find((v) => v.recordId === r.id && v.version === r.currentVersion);
    const survey = current?.submissionId
      ? await api<SubmissionJson>(
          'GET',
          `/api/submissions/${encodeURIComponent(current.submissionId)}`,
        ).catch(() => null)
      : null;
    const village = units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode;
    const facts = h('dl', { class: 'facts', id: 'record-facts' });
    const fact = (dt: string, dd: string, cls: string) =>
      facts.append(h('dt', {}, dt), h('dd', { class: cls }, dd));
    fact(tr('户主', 'Head of household'), headName(r), 'household');
    fact(t(def.key.label), listId(r.key), 'id-number');
    fact(tr('村（社区）', 'Village'), `${village}（${r.ownerOrgCode}）`, 'village');
    const since = show.statuses?.at(-1)?.effective;
    fact(
      tr('状态', 'Status'),
      `${statusText(def, r)}${since && r.status !== 'active' ? tr(`，自 ${since} 起`, `, from ${since}`) : ''}`,
      'record-state',
    );
    fact(
      tr('当前版本', 'Current version'),
      tr(`第 ${r.currentVersion} 版`, `version ${r.currentVersion}`),
      'version',
    );
    if (r.mergedInto) fact(tr('已并入', 'Merged into'), r.mergedInto, 'merged');
    if (r.openConflicts > 0) fact(tr('待处理冲突', 'Open conflicts'), String(r.openConflicts), 'flag');

    const props = h(
      'table',
      { class: 'list', id: 'record-properties' },
      h('caption', {}, tr('当前登记的情况', 'As registered now')),
      h(
        'tbody',
        {},
        ...def.properties
          .filter((p) => p.id !== 'headName')
          .map((p) =>
            h(
              'tr',
              { 'data-property': p.id },
              h('th', { scope: 'row' }, t(p.label)),
              h('td', {}, valueWords(p, r.properties[p.id], options)),
            ),
          ),
      ),
    );

    const form = def.forms[0];
    const actions = h('div', { class: 'actions', id: 'record-actions' });
    if (form && hasRole('field_staff', 'admin') && r.status === 'active' && !r.mergedInto)
      actions.append(
        h(
          'a',
          {
            class: 'button primary',
            id: 'resurvey',
            href: `/app/fill/${encodeURIComponent(form)}?record=${encodeURIComponent(r.id)}`,
          },
          tr('复查（按当前记录预填）', 'Re-survey (prefilled from the record)'),
        ),
      );
    if (r.openConflicts > 0)
      actions.append(
        h('a', { class: 'button', href: '/app/registers/inbox' }, tr('处理冲突', 'Resolve conflicts')),
      );

    append(
      app,
      h('p', { id: 'record-status', tabindex: -1 }, `${headName(r)} · ${village} · ${statusText(def, r)}`),
      facts,
      actions,
      h('h2', {}, tr('家庭情况', 'The family')),
      scrollBox(props),
      h('h3', {}, tr('家庭成员', 'Members')),
      membersList(show, survey),
      hasRole('field_staff', 'reviewer', 'admin') && r.status === 'active' && !r.mergedInto
        ? h(
            'section',
            { 'aria-labelledby': 'transfer-h' },
            h('h2', { id: 'transfer-h' }, tr('迁移', 'Transfer')),
            transferBox(show, units, reload),
          )
        : null,
      hasRole('field_staff', 'reviewer', 'admin') && !r.mergedInto
        ? h(
            'section',
            { 'aria-labelledby': 'status-h' },
            h('h2', { id: 'status-h' }, tr('变更状态', 'Change status')),
            statusBox(def, show, reload),
          )
        : null,
      h('h2', {}, tr('记录经过', 'History')),
      await timeline(def, show),
      h('p', {}, h('a', { href: '/app/households' }, tr('返回家庭户列表', 'Back to the household list'))),
    );
  };
  await draw();
}
