import type { ScalarField } from '../../../engine/entry/definition.ts';
import { ATTACHMENT_DEFAULTS } from '../../../engine/entry/runtime.ts';
import { fileContent, sizeText, thumbnail } from './attachment-files.ts';
import { DEFAULT_PHOTO_MAX_DIMENSION, shrinkPhoto } from './attachment-shrink.ts';
import type { FileRef } from './attachment-upload.ts';
import { fill, h } from './dom.ts';
import { type Precheck, pickButton, takeFiles, typeNames } from './file-picker.ts';
import type { Control } from './form-fields.ts';
import { tr } from './i18n.ts';

/** A reference as a field may hold it: a file, or a personal one masked for this user (`id: null`). */
export type HeldRef = FileRef | { id: null; name: string; type: string; size: number; masked: true };

export const asHeld = (v: unknown): HeldRef[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter(
    (r): r is HeldRef => r !== null && typeof r === 'object' && 'type' in r && 'size' in r,
  );

type AttachmentField = Extract<ScalarField, { type: 'photo' | 'file' | 'signature' }>;

/** The field's accepted types and largest size, as the runtime applies them. */
export function limitsOf(f: AttachmentField): { accept: readonly string[]; maxSize: number } {
  const d = ATTACHMENT_DEFAULTS[f.type];
  return { accept: f.accept ?? d.accept, maxSize: f.maxSize ?? d.maxSize };
}

/** The picture of a held file, once read (from the device, else the server), or its name alone. */
export function preview(r: HeldRef, cls: string): HTMLElement {
  const box = h('span', { class: cls });
  if (r.id === null) {
    box.append(
      h('span', { class: 'masked' }, tr('（个人信息，无权查看）', '(personal data, not shown to you)')),
    );
    return box;
  }
  void fileContent(r.id)
    .then((b) => (b ? thumbnail(b) : undefined))
    .then((url) => {
      if (url) box.append(h('img', { src: url, alt: r.name, class: 'thumb' }));
    });
  return box;
}

/**
 * `photo` and `file`: the files kept so far (a small picture, name, size, a remove button), and
 * buttons to take a photo with the camera, choose one, or choose a file. What a field refuses
 * (type, size, count: the definition's limits through the compiled runtime) is said at once,
 * naming the file, and the file is not kept.
 */
export function fileListControl(
  f: Extract<ScalarField, { type: 'photo' | 'file' }>,
  id: string,
  describedBy: string,
  precheck: Precheck,
): Control {
  const { accept, maxSize } = limitsOf(f);
  const maxCount = f.maxCount ?? 1;
  // Photos are made smaller on the device before they are checked, kept and queued.
  const longest = f.type === 'photo' ? (f.maxDimension ?? DEFAULT_PHOTO_MAX_DIMENSION) : 0;
  const shrink = longest > 0 ? (file: File) => shrinkPhoto(file, longest) : undefined;
  let refs: HeldRef[] = [];
  const group = h('div', { class: `attachments ${f.type}`, role: 'group', id, tabindex: -1 });
  group.setAttribute('aria-describedby', describedBy);
  const list = h('ul', { class: 'files' });
  const refused = h('p', { class: 'error pick-error', role: 'alert' });
  const limits = h(
    'p',
    { class: 'help limits', id: `${id}-limits` },
    tr(
      `最多 ${maxCount} 个，每个不超过 ${sizeText(maxSize)}；${typeNames(accept)}`,
      `At most ${maxCount}, each up to ${sizeText(maxSize)}; ${typeNames(accept)}`,
    ),
  );
  const opts = { multiple: maxCount > 1, describedBy: `${id}-label ${id}-limits` };
  const pickers =
    f.type === 'photo'
      ? [
          pickButton(`${id}-camera`, tr('拍照', 'Take a photo'), accept, { ...opts, capture: true }),
          pickButton(`${id}-choose`, tr('从相册选择', 'Choose a photo'), accept, opts),
        ]
      : [pickButton(`${id}-choose`, tr('选择文件', 'Choose a file'), accept, opts)];
  const row = h('div', { class: 'pick-row' }, ...pickers.map((p) => p.label));
  group.append(list, row, limits, refused);

  const changed = () => group.dispatchEvent(new Event('change', { bubbles: true }));
  const draw = () => {
    fill(
      list,
      ...refs.map((r, i) => {
        const remove = h(
          'button',
          { type: 'button', class: 'remove-file' },
          tr(`删除：${r.name}`, `Remove: ${r.name}`),
        );
        remove.addEventListener('click', () => {
          refs.splice(i, 1);
          draw();
          changed();
          pickers[0]?.input.focus();
        });
        return h(
          'li',
          { class: 'file', 'data-id': r.id ?? '' },
          preview(r, 'file-preview'),
          h('span', { class: 'file-name' }, r.name, ' · ', sizeText(r.size)),
          remove,
        );
      }),
    );
    row.hidden = f.readOnly === true || refs.length >= maxCount;
    group.dataset.count = String(refs.length);
  };
  for (const p of pickers) {
    p.input.addEventListener('change', async (e) => {
      e.stopPropagation();
      const files = Array.from(p.input.files ?? []);
      p.input.value = '';
      if (files.length === 0) return;
      group.setAttribute('aria-busy', 'true');
      const kept = refs.filter((r): r is FileRef => r.id !== null);
      const masked = refs.filter((r) => r.id === null);
      const got = await takeFiles(files, kept, precheck, false, shrink);
      refs = [...masked, ...got.refs];
      refused.textContent = got.refused.join(tr('；', '; '));
      group.removeAttribute('aria-busy');
      draw();
      changed();
    });
  }
  draw();
  return {
    focusable: group,
    node: group,
    read: () => (refs.length ? refs.map((r) => ({ ...r })) : undefined),
    write: (v) => {
      refs = asHeld(v);
      draw();
    },
  };
}
