import { NetworkError, session } from '../api.ts';
import { sizeText } from '../attachment-files.ts';
import { refsIn } from '../attachment-upload.ts';
import { fill, h } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { when } from '../labels.ts';
import { dequeue, OUTBOX_EVENT, type Pending, pending, sendQueued } from '../outbox.ts';
import { status } from '../status.ts';
import { getBlob } from '../store.ts';

/** “附件 4 个，共 1.2 MB，已上传 2 个”: the files a save carries and how many reached the server. */
async function filesLine(p: Pending): Promise<HTMLElement | null> {
  const refs = refsIn(p.data);
  if (refs.length === 0) return null;
  const user = session()?.user.username ?? '';
  let up = 0;
  let missing = 0;
  for (const r of refs) {
    const b = await getBlob(r.id).catch(() => undefined);
    if (!b) missing++;
    else if (b.uploadedBy?.includes(user)) up++;
  }
  const total = sizeText(refs.reduce((n, r) => n + r.size, 0));
  const local = refs.length - missing;
  return h(
    'p',
    { class: 'files-state', 'data-files': refs.length, 'data-uploaded': up },
    tr(
      `附件 ${refs.length} 个，共 ${total}；本机待上传 ${local - up} 个`,
      `${refs.length} file(s), ${total} in all; ${local - up} waiting on this device to be uploaded`,
    ),
  );
}

/**
 * 待发送 / Queued saves: what waits on this device for the server, oldest first, each with what
 * the server answered last. The worker can send one again, open it in its form to fix it
 * (`/app/fill/<form>?q=<key>`), or discard it after confirming.
 */
export async function outboxPage(app: HTMLElement): Promise<void> {
  const list = h('ul', { id: 'outbox', class: 'outbox' });
  const empty = h(
    'p',
    { id: 'outbox-empty', class: 'help' },
    tr('没有等待发送的内容', 'Nothing is waiting to be sent'),
  );
  app.append(
    h(
      'p',
      { class: 'help' },
      tr(
        '离线时保存的内容存放在本机，联网后自动发送；服务器拒收的请修改后重发或丢弃。',
        'Saves made offline stay on this device and are sent when the connection returns; fix or discard what the server refused.',
      ),
    ),
    empty,
    list,
  );

  const item = async (p: Pending) => {
    const retry = h('button', { type: 'button', class: 'retry' }, tr('重新发送', 'Send again'));
    const edit = h(
      'a',
      {
        class: 'button edit',
        href: `/app/fill/${encodeURIComponent(p.formId)}?q=${encodeURIComponent(p.key)}`,
      },
      tr('打开修改', 'Open and fix'),
    );
    const discard = h('button', { type: 'button', class: 'danger discard' }, tr('丢弃', 'Discard'));
    retry.addEventListener('click', async () => {
      retry.disabled = true;
      try {
        const saved = await sendQueued({ ...p, error: undefined });
        status(
          saved
            ? tr('已发送到服务器', 'Sent to the server')
            : tr('服务器仍未接受，请打开修改', 'The server still refuses it: open it and fix it'),
          saved ? 'ok' : 'error',
        );
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        status(
          tr(
            '无法连接服务器，稍后自动重发',
            'Cannot reach the server; it is sent when the connection returns',
          ),
          'info',
        );
      }
      await draw();
    });
    discard.addEventListener('click', async () => {
      const what = tr(
        `丢弃“${p.formId}”在 ${when(p.savedAt)} 的保存？此操作不能撤销。`,
        `Discard the save of "${p.formId}" made ${when(p.savedAt)}? This cannot be undone.`,
      );
      if (!confirm(what)) return;
      await dequeue(p.key);
      status(tr('已丢弃', 'Discarded'), 'info');
      await draw();
    });
    return h(
      'li',
      { class: p.error ? 'pending refused' : 'pending', 'data-key': p.key },
      h(
        'p',
        {},
        h('strong', {}, p.formId),
        ' · ',
        p.status === 'submitted' ? tr('提交', 'submit') : tr('草稿', 'draft'),
        ' · ',
        when(p.savedAt),
      ),
      p.error
        ? h(
            'p',
            { class: 'error', role: 'alert' },
            `${tr('服务器拒收', 'Refused by the server')} (${p.error.status} ${p.error.code})`,
            p.error.file ? tr(`：附件“${p.error.file}”`, `: the file “${p.error.file}”`) : '',
            p.error.message ? `${tr('：', ': ')}${t(p.error.message)}` : '',
          )
        : h('p', { class: 'help' }, tr('等待联网', 'Waiting for a connection')),
      await filesLine(p),
      h('div', { class: 'actions' }, retry, edit, discard),
    );
  };

  async function draw() {
    const items = await pending();
    empty.hidden = items.length > 0;
    fill(list, ...(await Promise.all(items.map(item))));
  }
  window.addEventListener(OUTBOX_EVENT, () => void draw());
  await draw();
}
