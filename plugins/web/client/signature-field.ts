import SignaturePad from 'signature_pad';
import type { ScalarField } from '../../../engine/entry/definition.ts';
import { asHeld, type HeldRef, limitsOf, preview } from './attachment-fields.ts';
import { keepFile, sizeText } from './attachment-files.ts';
import type { FileRef } from './attachment-upload.ts';
import { h } from './dom.ts';
import { type Precheck, pickButton, refusal, takeFiles } from './file-picker.ts';
import type { Control } from './form-fields.ts';
import { tr } from './i18n.ts';

const SAVE_AFTER_MS = 250;

/**
 * `signature`: drawn on the screen with a finger or a mouse (`signature_pad` on a canvas) and
 * kept as a PNG, checked against the field's limits like any file; 撤销一笔 takes the last stroke
 * back, 清除 starts again. A signature already given is shown as a picture with 重新签字. Where
 * the field also accepts photos (a fingerprint pressed on paper), a photo can be taken instead.
 */
export function signatureControl(
  f: Extract<ScalarField, { type: 'signature' }>,
  id: string,
  describedBy: string,
  precheck: Precheck,
): Control {
  const { accept } = limitsOf(f);
  let value: HeldRef | undefined;
  const group = h('div', { class: 'signature', role: 'group', id, tabindex: -1 });
  group.setAttribute('aria-describedby', describedBy);
  const canvas = h('canvas', {
    class: 'pad',
    id: `${id}-pad`,
    role: 'img',
    'aria-label': tr(
      '签字区：用手指或鼠标在框内签名',
      'Signing area: sign inside the box with a finger or a mouse',
    ),
  });
  const undo = h('button', { type: 'button', class: 'undo' }, tr('撤销一笔', 'Undo a stroke'));
  const clear = h('button', { type: 'button', class: 'clear' }, tr('清除重签', 'Clear'));
  const drawArea = h('div', { class: 'pad-area' }, canvas, h('div', { class: 'pad-tools' }, undo, clear));
  const again = h('button', { type: 'button', class: 'sign-again' }, tr('重新签字', 'Sign again'));
  const shown = h('div', { class: 'signed' });
  const said = h('p', { class: 'help signature-state', 'aria-live': 'polite' });
  const refused = h('p', { class: 'error pick-error', role: 'alert' });
  const photoTypes = accept.filter((a) => a !== 'image/png' && a.startsWith('image/'));
  const photo = photoTypes.length
    ? pickButton(`${id}-photo`, tr('拍照（指模）', 'Photo of a fingerprint'), accept, {
        capture: true,
        describedBy: `${id}-label`,
      })
    : undefined;
  group.append(
    drawArea,
    shown,
    said,
    ...(photo ? [h('div', { class: 'pick-row' }, photo.label)] : []),
    refused,
  );

  const pad = new SignaturePad(canvas, { backgroundColor: 'rgb(255, 255, 255)', penColor: '#111' });
  const changed = () => group.dispatchEvent(new Event('change', { bubbles: true }));

  const set = (v: HeldRef | undefined, how: 'drawn' | 'shown') => {
    value = v;
    group.dataset.state = v ? 'signed' : 'empty';
    said.textContent = v
      ? tr(
          `已签字（${sizeText(v.size)}），随表单一起保存`,
          `Signed (${sizeText(v.size)}); saved with the form`,
        )
      : tr('尚未签字', 'Not signed yet');
    drawArea.hidden = how === 'shown' && v !== undefined;
    shown.hidden = !drawArea.hidden;
    if (shown.hidden) shown.replaceChildren();
    else if (v) shown.replaceChildren(preview(v, 'signature-preview'), again);
  };

  /** Sizes the canvas to its box at the screen's density; strokes are kept across a resize. */
  const fit = () => {
    if (canvas.closest('fieldset:disabled')) {
      pad.off(); // shown read-only (a submission, a case): nothing to draw
      drawArea.hidden = true;
    }
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const w = canvas.offsetWidth;
    const hgt = canvas.offsetHeight;
    if (w === 0 || (canvas.width === Math.round(w * ratio) && canvas.height === Math.round(hgt * ratio)))
      return;
    const strokes = pad.toData();
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(hgt * ratio);
    canvas.getContext('2d')?.scale(ratio, ratio);
    pad.clear();
    pad.fromData(strokes);
  };
  new ResizeObserver(fit).observe(canvas);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const keepDrawing = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (pad.isEmpty()) {
        set(undefined, 'drawn');
        changed();
        return;
      }
      const png = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/png'));
      if (!png) return;
      const probe = { id: 'f'.repeat(64), name: `${f.id}.png`, type: png.type, size: png.size };
      const errors = precheck(probe);
      if (errors[0]) {
        refused.textContent = refusal(tr('签字', 'Signature'), errors[0]);
        return;
      }
      refused.textContent = '';
      set(await keepFile(png, `${f.id}.png`), 'drawn');
      changed();
    }, SAVE_AFTER_MS);
  };
  pad.addEventListener('endStroke', keepDrawing);
  undo.addEventListener('click', () => {
    const strokes = pad.toData();
    strokes.pop();
    pad.fromData(strokes);
    keepDrawing();
  });
  clear.addEventListener('click', () => {
    pad.clear();
    keepDrawing();
  });
  again.addEventListener('click', () => {
    pad.clear();
    set(undefined, 'drawn');
    changed();
    canvas.focus();
  });
  photo?.input.addEventListener('change', async (e) => {
    e.stopPropagation();
    const files = Array.from(photo.input.files ?? []);
    photo.input.value = '';
    const got = await takeFiles(files, [], precheck, true);
    refused.textContent = got.refused.join(tr('；', '; '));
    const ref: FileRef | undefined = got.refs[0];
    if (!ref) return;
    pad.clear();
    set(ref, 'shown');
    changed();
  });
  if (f.readOnly) {
    pad.off();
    drawArea.hidden = true;
  }
  set(undefined, 'drawn');
  return {
    focusable: group,
    node: group,
    read: () => (value ? { ...value } : undefined),
    write: (v) => {
      const r = asHeld(v)[0];
      set(r, 'shown');
    },
  };
}
