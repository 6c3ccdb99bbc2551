import type { FormDefinition } from '../../../../engine/entry/definition.ts';
import { ApiError, api, NetworkError, newerThanGiven, session } from '../api.ts';
import { AttachmentUploadError, pointerOf, refIds } from '../attachment-upload.ts';
import { append, h } from '../dom.ts';
import { renderForm } from '../form-view.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import {
  dequeue,
  enqueue,
  newKey,
  type Pending,
  pendingByKey,
  type Saved,
  type SentDetail,
  send,
} from '../outbox.ts';
import { markFirstInputReady } from '../ready-mark.ts';
import { errorWords, resurveyStart } from '../register-ui.ts';
import { prepareRuntime } from '../runtime-registries.ts';
import { status } from '../status.ts';
import { deleteDraft, draftId, getDraft, putDraft, sweepBlobs } from '../store.ts';

interface WorkingCopy {
  key: string;
  data: Record<string, unknown>;
  submissionId?: string;
  version?: number;
  savedAt?: string;
}

/** Today in China (UTC+8), as the server judges dates. */
export const chinaToday = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Fill in a form: the effective definition for the user's unit, rendered live; a working copy
 * kept on this device as you type; save a draft or submit, to the server when online and to the
 * device's outbox when not.
 */
export async function fillPage(app: HTMLElement): Promise<void> {
  const s = session();
  const formId = decodeURIComponent(location.pathname.split('/')[3] ?? '');
  const sid = new URLSearchParams(location.search).get('s') ?? undefined;
  const formUrl = `/api/forms/${encodeURIComponent(formId)}`;
  const eff = await api<{ version: number; definition: FormDefinition }>('GET', formUrl);
  // Fetched while the working copy is read (only a form with patterns needs anything).
  const runtimeReady = prepareRuntime(eff.definition);
  const user = s?.user.username ?? 'anonymous';
  // `?record=<id>`: a re-survey of a household of the register, prefilled from its current version.
  const recordId = sid ? null : new URLSearchParams(location.search).get('record');
  const storeKey = draftId(user, formId, sid ?? (recordId ? `record-${recordId}` : undefined));
  // `?q=<key>`: a save waiting in the outbox, opened from the queue to be fixed.
  const queuedKey = new URLSearchParams(location.search).get('q');
  const queued = queuedKey ? await pendingByKey(queuedKey) : undefined;
  const stored0 = queued ? undefined : await getDraft(storeKey).catch(() => undefined);
  let work: WorkingCopy = queued
    ? { key: queued.key, data: queued.data, submissionId: queued.submissionId, version: queued.version }
    : stored0
      ? { key: stored0.key, data: stored0.data, submissionId: stored0.submissionId, version: stored0.version }
      : { key: newKey(), data: {} };
  const restored = Object.keys(work.data).length > 0;
  if (sid && !restored) {
    const sub = await api<{ id: string; data: Record<string, unknown>; version: number }>(
      'GET',
      `/api/submissions/${encodeURIComponent(sid)}`,
    );
    work = { key: newKey(), data: sub.data, submissionId: sub.id, version: sub.version };
  }
  let resurvey: { baseVersion: number } | undefined;
  if (recordId && !restored) {
    try {
      const start = await resurveyStart(eff.definition, formId, recordId, chinaToday());
      work = { key: newKey(), data: start.data };
      resurvey = start;
    } catch (e) {
      status(`${tr('无法按记录预填', 'Cannot prefill from the record')}: ${errorWords(e)}`, 'error');
    }
  }
  // Files no working copy or queued save refers to any more (sent, replaced) leave the device.
  void sweepBlobs(refIds).catch(() => undefined);
  const keep = () => {
    if (queued) return; // the queued save is the copy; it changes when saved again
    void putDraft({ ...work, id: storeKey, user, formId }).catch(() => undefined);
  };

  const where = h('p', { id: 'saved-where', class: 'saved-where', 'aria-live': 'polite' });
  /** Says where the latest save is: `server`, `device` (waiting to be sent), or nowhere yet. */
  const say = (text: string, saved: 'server' | 'device' | '' = '') => {
    where.textContent = text;
    where.dataset.saved = saved;
  };
  await runtimeReady;
  let typed = false;
  const view = renderForm(eff.definition, {
    initial: work.data,
    ctx: { today: chinaToday(), orgUnit: s?.user.orgUnit },
    onChange: (data) => {
      work.data = data;
      keep();
    },
  });
  const saveBtn = h('button', { type: 'button', id: 'save-draft' }, tr('保存草稿', 'Save draft'));
  const submitBtn = h('button', { type: 'button', id: 'submit', class: 'primary' }, tr('提交', 'Submit'));
  const blankBtn = h('button', { type: 'button', id: 'start-blank' }, tr('清空重填', 'Start blank'));

  append(
    app,
    h('p', { class: 'form-title' }, t(eff.definition.title), ' ', h('small', {}, `v${eff.version}`)),
    eff.definition.description ? h('p', { class: 'help' }, t(eff.definition.description)) : null,
    where,
    view.element,
    h('div', { class: 'actions sticky' }, saveBtn, submitBtn, blankBtn),
  );
  markFirstInputReady(view.element);
  // What the user did (an input event), not the view's own first computation (`onChange` runs then).
  const touched = () => {
    typed = true;
  };
  view.element.addEventListener('input', touched, { once: true });
  view.element.addEventListener('change', touched, { once: true });
  void formUpdated(app, formUrl, () => !typed);
  say(
    work.submissionId
      ? tr(
          `服务器上已有草稿（第 ${work.version} 版）；本机也保留着正在填写的内容`,
          `A draft is on the server (version ${work.version}); this device also keeps what you are typing`,
        )
      : resurvey
        ? tr(
            `复查：已按登记簿当前记录（第 ${resurvey.baseVersion} 版）预填，调查日期为今天，成员年龄按身份证号重新计算；请逐项核对后提交`,
            `Re-survey: prefilled from the register's current record (version ${resurvey.baseVersion}), dated today, members' ages recomputed from their ID numbers; check every item, then submit`,
          )
        : restored
          ? tr(
              '已从本机恢复上次填写的内容（尚未保存到服务器）',
              'Restored what you typed on this device (not yet on the server)',
            )
          : tr(
              '填写的内容随时保存在本机；点“保存草稿”保存到服务器',
              'What you type is kept on this device; “Save draft” stores it on the server',
            ),
    work.submissionId ? 'server' : '',
  );

  const stored = (saved: Saved, st: 'draft' | 'submitted') => {
    work.submissionId = saved.id;
    work.version = saved.version;
    work.savedAt = new Date().toISOString();
    work.key = newKey();
    if (st === 'submitted') {
      void deleteDraft(storeKey).finally(() =>
        location.assign(`/app/submissions/${encodeURIComponent(saved.id)}?sent=1`),
      );
      return;
    }
    keep();
    say(
      tr(
        `已保存到服务器（草稿，第 ${saved.version} 版，${when(work.savedAt)}）`,
        `Saved on the server (draft, version ${saved.version}, ${when(work.savedAt)})`,
      ),
      'server',
    );
    status(tr('草稿已保存到服务器', 'Draft saved on the server'), 'ok');
  };

  window.addEventListener('nx:sent', (e) => {
    const d = (e as CustomEvent<SentDetail>).detail;
    if (d.pending.key === work.key) stored(d.saved, d.pending.status);
  });

  async function save(st: 'draft' | 'submitted') {
    const r = view.check(st === 'draft' ? 'draft' : 'submit');
    if (!r.ok) {
      status(tr('表单中有需要修改的地方，未发送', 'The form has things to fix; nothing was sent'), 'error');
      return;
    }
    const p: Pending = {
      key: work.key,
      formId,
      submissionId: work.submissionId,
      version: work.version,
      status: st,
      data: view.data(),
      savedAt: new Date().toISOString(),
      draft: queued?.draft ?? storeKey,
    };
    const offline = async () => {
      await enqueue(p);
      say(
        tr(
          `离线：已保存在本机（${when(p.savedAt)}），联网后自动发送到服务器`,
          `Offline: saved on this device (${when(p.savedAt)}); it is sent to the server when the connection returns`,
        ),
        'device',
      );
      status(tr('已保存在本机，等待联网', 'Saved on this device, waiting for a connection'), 'info');
    };
    if (!navigator.onLine) return offline();
    saveBtn.disabled = submitBtn.disabled = true;
    try {
      const saved = await send(p);
      if (queued) await dequeue(p.key);
      stored(saved, st);
    } catch (e) {
      if (e instanceof NetworkError) await offline();
      else if (e instanceof ApiError && e.status === 409) {
        status(
          tr(
            '这份填报已被别人修改，请刷新后再改',
            'Someone else changed this submission; reload before editing',
          ),
          'error',
        );
      } else if (e instanceof AttachmentUploadError) {
        // A file the server would not take: said under the field that holds it, naming the file.
        const message = e.body.message ?? { 'zh-CN': e.code, en: e.code };
        const named = (m: string, sep: string) => `${e.ref.name}${sep}${m}`;
        view.showErrors([
          {
            path: pointerOf(p.data, e.ref.id) ?? '',
            code: e.code,
            message: { 'zh-CN': named(message['zh-CN'], '：'), en: named(message.en, ': ') },
          },
        ]);
        status(
          `${tr('附件未上传', 'A file was not uploaded')}: ${named(t(message), tr('：', ': '))}`,
          'error',
        );
      } else if (e instanceof ApiError) {
        if (e.body.errors?.length) view.showErrors(e.body.errors);
        status(`${tr('服务器未接受', 'The server refused it')}: ${t(e.body.message ?? e.code)}`, 'error');
      } else throw e;
    } finally {
      saveBtn.disabled = submitBtn.disabled = false;
    }
  }
  saveBtn.addEventListener('click', () => void save('draft'));
  submitBtn.addEventListener('click', () => void save('submitted'));
  blankBtn.addEventListener('click', () => {
    if (!confirm(tr('清空本机正在填写的内容？', 'Clear what you typed on this device?'))) return;
    void deleteDraft(storeKey).finally(() => location.assign(`/app/fill/${encodeURIComponent(formId)}`));
  });
}

/** A reload made because the definition changed, by form: not made again within this time. */
const RELOAD_GUARD_MS = 60_000;

/**
 * When the definition the page was drawn with came from the service worker's cache and its
 * background refresh brought a different one: reloads the page if nothing was typed in it yet (a
 * working copy kept on the device is restored after the reload; the
 * worker now has the new one; at most once a minute per form), else says so above the form with
 * a reload button (what was typed is kept on the device). Submits are validated by the server
 * against its own definition in any case.
 */
async function formUpdated(app: HTMLElement, formUrl: string, untouched: () => boolean): Promise<void> {
  if (!(await newerThanGiven(formUrl))) return;
  const mark = `nx.formReloaded ${formUrl}`;
  const last = Number(sessionStorage.getItem(mark) ?? 0);
  if (untouched() && Date.now() - last > RELOAD_GUARD_MS) {
    sessionStorage.setItem(mark, String(Date.now()));
    location.reload();
    return;
  }
  if (document.getElementById('form-updated')) return;
  const reload = h('button', { type: 'button', id: 'form-updated-reload' }, tr('刷新', 'Reload'));
  reload.addEventListener('click', () => location.reload());
  app.prepend(
    h(
      'p',
      { id: 'form-updated', class: 'status info', role: 'alert' },
      tr(
        '表单已更新，请刷新（已填写的内容保存在本机）',
        'The form was updated; reload (what you typed is kept on this device)',
      ),
      ' ',
      reload,
    ),
  );
}
