import { confirmDialog } from '../actions.ts';
import { api, hasRole } from '../api.ts';
import { append, fill, h } from '../dom.ts';
import { tr } from '../i18n.ts';
import { when } from '../labels.ts';
import {
  type FlagView,
  headName,
  listId,
  type OptionWords,
  type RecordShow,
  type RecordView,
  type RegisterDef,
  statusText,
  type TransferView,
  versionSentence,
} from '../register-records.ts';
import { compareTable, errorWords, registerDef, registerOptions, regUrl, unitNames } from '../register-ui.ts';
import { status } from '../status.ts';

const PAGE = 20;
type Units = Awaited<ReturnType<typeof unitNames>>;

const family = (r: RecordView, units: Units) =>
  tr(
    `${headName(r)} 一户（身份证 ${listId(r.key)}，${units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode}）`,
    `the family of ${headName(r)} (ID ${listId(r.key)}, ${units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode})`,
  );

const recordLink = (r: RecordView) =>
  h('a', { href: `/app/households/${encodeURIComponent(r.id)}` }, headName(r), ` ${listId(r.key)}`);

interface Ctx {
  def: RegisterDef;
  options: OptionWords;
  units: Units;
  canAct: boolean;
  /** Runs an action after its confirmation, then draws the inbox again. */
  act(
    button: HTMLButtonElement,
    confirm: Parameters<typeof confirmDialog>[0],
    send: () => Promise<unknown>,
    done: string,
  ): Promise<void>;
}

function actionButton(id: string, label: string, cls: string | null): HTMLButtonElement {
  return h('button', { type: 'button', 'data-action': id, class: cls }, label);
}

/** A conflict: the current values beside the survey that was filled against an older version. */
async function conflictCard(f: FlagView, ctx: Ctx): Promise<HTMLElement> {
  const show = await api<RecordShow>('GET', regUrl(`/records/${encodeURIComponent(f.recordId)}`));
  const r = show.record;
  const v = show.versions.find((x) => x.recordId === r.id && x.version === f.version);
  const current = show.versions.find((x) => x.recordId === r.id && x.version === r.currentVersion);
  const card = h(
    'article',
    { class: 'flag-card', 'data-flag': f.id, 'data-kind': 'conflict', 'aria-labelledby': `flag-${f.id}-h` },
    h(
      'h2',
      { id: `flag-${f.id}-h` },
      tr('冲突：', 'Conflict: '),
      recordLink(r),
      ` · ${ctx.units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode}`,
    ),
    h(
      'p',
      {},
      tr(
        `第 ${f.version ?? '?'} 版是依据较早版本填写的（可能离线填写时别人已更新此户），未覆盖当前记录。请选择保留哪一份。`,
        `Version ${f.version ?? '?'} was filled against an older version (perhaps offline while someone else updated the family) and did not replace the record. Choose which to keep.`,
      ),
    ),
    compareTable(
      `compare-${f.id}`,
      ctx.def.properties,
      {
        title: tr(`当前记录（第 ${r.currentVersion} 版）`, `Current record (version ${r.currentVersion})`),
        values: r.properties,
      },
      {
        title: tr(
          `冲突的调查（第 ${f.version ?? '?'} 版）`,
          `Conflicting survey (version ${f.version ?? '?'})`,
        ),
        values: v?.properties ?? {},
      },
      [
        [
          tr('来源', 'Source'),
          current ? versionSentence(current, when) : '—',
          v ? versionSentence(v, when) : '—',
        ],
      ],
      ctx.options,
    ),
  );
  if (!ctx.canAct) return card;
  const keep = actionButton('keep', tr('保留当前记录', 'Keep the current record'), null);
  const take = actionButton('take', tr('采用冲突的调查', 'Take the conflicting survey'), 'danger');
  const fam = family(r, ctx.units);
  // Conflicting versions take numbers too: the new version comes after the highest.
  const nextVersion =
    Math.max(r.currentVersion, ...show.versions.filter((x) => x.recordId === r.id).map((x) => x.version)) + 1;
  keep.addEventListener('click', () =>
    ctx.act(
      keep,
      {
        title: tr('保留当前记录？', 'Keep the current record?'),
        family: fam,
        consequence: tr(
          `第 ${f.version} 版的调查保留在历史中，但不会成为这户的登记情况；此冲突将关闭。`,
          `The survey of version ${f.version} stays in the history but does not become the family's registered values; the conflict closes.`,
        ),
        confirmLabel: tr('保留当前记录', 'Keep the current record'),
      },
      () => api('POST', regUrl(`/flags/${encodeURIComponent(f.id)}/resolve`), { choice: 'keep' }),
      tr(`已保留${headName(r)}一户的当前记录`, `Kept the current record of ${headName(r)}`),
    ),
  );
  take.addEventListener('click', () =>
    ctx.act(
      take,
      {
        title: tr('采用冲突的调查？', 'Take the conflicting survey?'),
        family: fam,
        consequence: tr(
          `第 ${f.version} 版的数值将成为这户的新版本（第 ${nextVersion} 版），表中标出的不同项会被替换；此冲突将关闭。`,
          `The values of version ${f.version} become the family's new version (${nextVersion}); the rows marked as different are replaced; the conflict closes.`,
        ),
        confirmLabel: tr('采用冲突的调查', 'Take the conflicting survey'),
      },
      () => api('POST', regUrl(`/flags/${encodeURIComponent(f.id)}/resolve`), { choice: 'take' }),
      tr(
        `已采用冲突的调查，${headName(r)}一户有了新版本`,
        `Took the conflicting survey: ${headName(r)} has a new version`,
      ),
    ),
  );
  card.append(h('div', { class: 'actions' }, take, keep));
  return card;
}

/** A person in two households: both records side by side; merge one into the other, or dismiss. */
async function duplicateCard(f: FlagView, ctx: Ctx): Promise<HTMLElement> {
  const [a, b] = await Promise.all(
    [f.recordId, f.otherRecordId ?? ''].map((id) =>
      api<RecordShow>('GET', regUrl(`/records/${encodeURIComponent(id)}`)).then(
        (s) => s.record,
        () => null,
      ),
    ),
  );
  const card = h('article', {
    class: 'flag-card',
    'data-flag': f.id,
    'data-kind': 'duplicate',
    'aria-labelledby': `flag-${f.id}-h`,
  });
  card.append(
    h(
      'h2',
      { id: `flag-${f.id}-h` },
      tr('疑似重复：', 'Possible duplicate: '),
      tr(`身份证号 ${f.subject ?? ''}`, `ID number ${f.subject ?? ''}`),
    ),
  );
  if (!a || !b) {
    append(
      card,
      h(
        'p',
        {},
        tr(
          '另一户不在您的辖区内，请与其所在单位联系。',
          'The other household is outside your area; contact its unit.',
        ),
      ),
      a ? h('p', {}, recordLink(a)) : null,
    );
    return card;
  }
  const where = (r: RecordView) => ctx.units.get(r.ownerOrgCode)?.name ?? r.ownerOrgCode;
  card.append(
    h(
      'p',
      {},
      tr('这个号码同时登记在两户：', 'This number is registered in two households: '),
      recordLink(a),
      tr('（', ' ('),
      where(a),
      tr('）和 ', ') and '),
      recordLink(b),
      tr('（', ' ('),
      where(b),
      tr('）。一人同一时间只能在一户。', '). A person belongs to one household at a time.'),
    ),
    compareTable(
      `compare-${f.id}`,
      ctx.def.properties,
      { title: headName(a), values: a.properties },
      { title: headName(b), values: b.properties },
      [
        [tr('身份证号', 'ID number'), listId(a.key), listId(b.key)],
        [tr('村（社区）', 'Village'), where(a), where(b)],
        [tr('状态', 'Status'), statusText(ctx.def, a), statusText(ctx.def, b)],
        [tr('版本', 'Versions'), String(a.currentVersion), String(b.currentVersion)],
      ],
      ctx.options,
    ),
  );
  if (!ctx.canAct) return card;
  const merge = (keep: RecordView, drop: RecordView, side: string) => {
    const btn = actionButton(
      `merge-${side}`,
      tr(`合并，保留“${headName(keep)}”这一户`, `Merge, keeping ${headName(keep)}'s record`),
      'danger',
    );
    btn.addEventListener('click', () =>
      ctx.act(
        btn,
        {
          title: tr('确认合并两户？', 'Merge the two households?'),
          family: tr(
            `保留：${family(keep, ctx.units)}；并入：${family(drop, ctx.units)}`,
            `Keep ${family(keep, ctx.units)}; merge in ${family(drop, ctx.units)}`,
          ),
          consequence: tr(
            `“${headName(drop)}”一户将不再单独存在：其历次调查并入“${headName(keep)}”一户的历史，以后用其户主身份证号的调查都会更新保留的这一户。合并不能撤销。`,
            `${headName(drop)}'s record stops existing on its own: its surveys join ${headName(keep)}'s history, and later surveys under its head's ID number update the record kept. A merge cannot be undone.`,
          ),
          confirmLabel: tr('合并', 'Merge'),
        },
        () => api('POST', regUrl('/merge'), { keep: keep.id, drop: drop.id }),
        tr(`已合并：保留“${headName(keep)}”一户`, `Merged: ${headName(keep)}'s record kept`),
      ),
    );
    return btn;
  };
  const dismiss = actionButton('dismiss', tr('不是重复', 'Not a duplicate'), null);
  dismiss.addEventListener('click', () =>
    ctx.act(
      dismiss,
      {
        title: tr('确认不是重复？', 'Not a duplicate?'),
        family: tr(
          `${family(a, ctx.units)} 与 ${family(b, ctx.units)}`,
          `${family(a, ctx.units)} and ${family(b, ctx.units)}`,
        ),
        consequence: tr(
          '两户都保留，此提示关闭；该号码仍同时登记在两户。',
          'Both records stay and this flag closes; the number stays registered in both.',
        ),
        confirmLabel: tr('不是重复', 'Not a duplicate'),
      },
      () => api('POST', regUrl(`/flags/${encodeURIComponent(f.id)}/resolve`), { choice: 'dismiss' }),
      tr('已标为不是重复', 'Marked as not a duplicate'),
    ),
  );
  card.append(h('div', { class: 'actions' }, merge(a, b, 'left'), merge(b, a, 'right'), dismiss));
  return card;
}

/**
 * Transfers waiting for an answer: into the caller's area with 接收 / 拒绝 (each after a
 * confirmation naming the family and both villages), out of it as a line saying who must answer.
 */
async function transfersSection(ctx: Ctx): Promise<HTMLElement | null> {
  const r = await api<{ items: TransferView[] }>('GET', regUrl('/transfers')).catch(() => ({ items: [] }));
  if (!r.items.length) return null;
  const line = (x: TransferView) => {
    const fam = tr(`${x.name ?? ''} 一户（身份证 ${x.key}）`, `the family of ${x.name ?? ''} (ID ${x.key})`);
    const li = h(
      'li',
      { 'data-transfer': x.id, 'data-direction': x.direction },
      h('strong', {}, x.name ?? ''),
      ` ${x.key} · `,
      tr(`${x.fromName} → ${x.toName}`, `${x.fromName} → ${x.toName}`),
      tr(
        `（${x.requestedBy} 于 ${when(x.requestedAt)} 提出）`,
        ` (asked by ${x.requestedBy}, ${when(x.requestedAt)})`,
      ),
    );
    if (x.direction === 'out') {
      li.append(' · ', tr(`待“${x.toName}”接收`, `waiting for "${x.toName}"`));
      return li;
    }
    const answer = (accept: boolean) => {
      const label = accept ? tr('接收', 'Accept') : tr('拒绝', 'Decline');
      const b = actionButton(accept ? 'accept' : 'decline', label, accept ? 'primary' : 'danger');
      b.addEventListener('click', () =>
        ctx.act(
          b,
          {
            title: accept
              ? tr('接收这一户？', 'Accept this family?')
              : tr('拒绝迁入？', 'Decline the transfer?'),
            family: fam,
            consequence: accept
              ? tr(
                  `这户将从“${x.fromName}”迁到“${x.toName}”：记录、待办和以后的调查归“${x.toName}”管理。`,
                  `The family moves from "${x.fromName}" to "${x.toName}": its record, open tasks and later surveys belong to "${x.toName}".`,
                )
              : tr(
                  `这户仍属“${x.fromName}”，迁移申请结束；如需迁移须重新提出。`,
                  `The family stays with "${x.fromName}" and the request ends; moving it needs a new request.`,
                ),
            confirmLabel: label,
          },
          () => api('POST', regUrl(`/transfers/${encodeURIComponent(x.id)}`), { accept }),
          accept
            ? tr(
                `已接收：${x.name ?? ''}一户迁入“${x.toName}”`,
                `Accepted: the family of ${x.name ?? ''} moved to "${x.toName}"`,
              )
            : tr('已拒绝迁入', 'Transfer declined'),
        ),
      );
      return b;
    };
    li.append(h('div', { class: 'actions' }, answer(false), answer(true)));
    return li;
  };
  return h(
    'section',
    { 'aria-labelledby': 'transfers-h', id: 'transfers' },
    h(
      'h2',
      { id: 'transfers-h' },
      tr('待确认的迁移', 'Transfers awaiting an answer'),
      ` (${r.items.length})`,
    ),
    h('ul', { class: 'todo' }, ...r.items.map(line)),
  );
}

/**
 * Conflicts and possible duplicates of the caller's area, each with both sides side by side;
 * reviewers resolve, merge or dismiss, each after a confirmation naming the families and what
 * follows. The list is read again after every action.
 */
export async function registerInboxPage(app: HTMLElement): Promise<void> {
  const def = await registerDef();
  if (!def) {
    app.append(
      h('p', {}, tr('本服务器未启用家庭户登记簿', 'The household register is not enabled on this server')),
    );
    return;
  }
  const [units, options] = await Promise.all([unitNames(), registerOptions(def)]);
  const kindSel = h(
    'select',
    { id: 'filter-kind' },
    h('option', { value: '' }, tr('冲突和疑似重复', 'Conflicts and duplicates')),
    h('option', { value: 'conflict' }, tr('只看冲突', 'Conflicts only')),
    h('option', { value: 'duplicate' }, tr('只看疑似重复', 'Duplicates only')),
  );
  const list = h('div', { id: 'register-flags' });
  const count = h('p', { id: 'flags-count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'more', hidden: true }, tr('更多', 'More'));
  let next: string | null = null;
  const ctx: Ctx = {
    def,
    options,
    units,
    canAct: hasRole('reviewer', 'admin'),
    async act(button, confirm, send, done) {
      if (!(await confirmDialog(confirm))) {
        status(tr('已取消，没有改变', 'Cancelled; nothing changed'), 'info');
        button.focus();
        return;
      }
      button.disabled = true;
      try {
        await send();
        await load(true);
        status(done, 'ok');
      } catch (e) {
        status(errorWords(e), 'error');
        button.disabled = false;
      }
    },
  };
  let shown = 0;
  const transfers = h('div', { id: 'transfers-box' });
  const load = async (reset: boolean) => {
    if (reset) {
      fill(list);
      next = null;
      shown = 0;
      fill(transfers, await transfersSection(ctx));
    }
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (kindSel.value) q.set('kind', kindSel.value);
    if (!reset && next) q.set('after', next);
    const r = await api<{ items: FlagView[]; next: string | null }>('GET', regUrl(`/inbox?${q}`));
    for (const f of r.items) {
      try {
        list.append(await (f.kind === 'conflict' ? conflictCard(f, ctx) : duplicateCard(f, ctx)));
      } catch (e) {
        list.append(h('p', { class: 'error', 'data-flag': f.id }, errorWords(e)));
      }
    }
    shown += r.items.length;
    next = r.next;
    more.hidden = !next;
    count.textContent = shown
      ? tr(
          `待处理 ${shown} 条${next ? '（还有更多）' : ''}`,
          `${shown} to resolve${next ? ' (more to come)' : ''}`,
        )
      : tr('没有待处理的冲突或疑似重复', 'No open conflicts or possible duplicates');
  };
  kindSel.addEventListener('change', () => void load(true).catch((e) => status(errorWords(e), 'error')));
  more.addEventListener('click', () => void load(false).catch((e) => status(errorWords(e), 'error')));
  append(
    app,
    h('div', { class: 'filters' }, h('label', { for: 'filter-kind' }, tr('类别', 'Kind'), ' ', kindSel)),
    ctx.canAct
      ? null
      : h(
          'p',
          { class: 'muted' },
          tr('这些由乡镇及以上审核人员处理。', 'Reviewers (township and above) resolve these.'),
        ),
    transfers,
    count,
    list,
    h('div', { class: 'actions' }, more),
  );
  await load(true);
}
