import type { ValidationError } from '../../../engine/entry/runtime.ts';
import { keepFile } from './attachment-files.ts';
import type { FileRef } from './attachment-upload.ts';
import { h } from './dom.ts';
import { t, tr } from './i18n.ts';

/** Checks a field's would-be value with the form's compiled runtime: the errors at the field. */
export type Precheck = (value: unknown) => readonly ValidationError[];

/** Short names of MIME types for people: JPEG, PNG, PDF. */
export const typeNames = (accept: readonly string[]): string =>
  accept
    .map((a) => (a === 'image/*' ? tr('图片', 'images') : (a.split('/')[1] ?? a).toUpperCase()))
    .join(tr('、', ', '));

/** One refusal in words: the file's name and the runtime's message (which names the limit passed). */
export const refusal = (name: string, e: ValidationError): string =>
  `${name}${tr('：', ': ')}${t(e.message)}`;

/** A stand-in id for a file not yet read: the runtime checks type, size and count without the bytes. */
const standIn = (i: number) => (i + 1).toString(16).padStart(64, 'f');

/**
 * Takes picked files one by one: each is first made ready (`prepare`: a photo shrunk on the
 * device), then checked with the field's own limits, as the server will check it (the value it
 * would make, through `precheck`), and only then read, hashed and kept on the device. Returns the
 * value with the files taken, and a line per refusal.
 */
export async function takeFiles(
  files: readonly File[],
  current: readonly FileRef[],
  precheck: Precheck,
  single: boolean,
  prepare?: (file: File) => Promise<File>,
): Promise<{ refs: FileRef[]; refused: string[] }> {
  const refs = [...current];
  const refused: string[] = [];
  for (const picked of files) {
    const file = prepare ? await prepare(picked) : picked;
    const name = file.name || 'file';
    const probe = {
      id: standIn(refs.length),
      name,
      type: file.type || 'application/octet-stream',
      size: file.size,
    };
    const errors = precheck(single ? probe : [...refs, probe]);
    if (errors[0]) {
      refused.push(refusal(name, errors[0]));
      continue;
    }
    const ref = await keepFile(file, name);
    if (refs.some((r) => r.id === ref.id)) {
      refused.push(`${name}${tr('：已经添加过这个文件', ': this file is already added')}`);
      continue;
    }
    if (single) refs.splice(0, refs.length);
    refs.push(ref);
  }
  return { refs, refused };
}

/**
 * A button-looking label for a visually hidden file input (keyboard: Tab to it, Enter or Space
 * opens the chooser). `capture` opens the camera on a phone.
 */
export function pickButton(
  id: string,
  text: string,
  accept: readonly string[],
  opts: { capture?: boolean; multiple?: boolean; describedBy: string },
): { label: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', {
    type: 'file',
    id,
    class: 'visually-hidden',
    accept: accept.join(','),
    capture: opts.capture ? 'environment' : null,
    multiple: opts.multiple ?? false,
    'aria-describedby': opts.describedBy,
  });
  const label = h('label', { for: id, class: 'button pick' }, text, input);
  return { label, input };
}
