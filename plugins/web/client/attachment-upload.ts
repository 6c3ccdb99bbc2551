import { ApiError, api } from './api.ts';
import { getBlob, markUploaded } from './store.ts';

/** What a photo, file or signature field holds: the SHA-256 of the bytes, name, MIME type, size. */
export interface FileRef {
  id: string;
  name: string;
  type: string;
  size: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export const isFileRef = (v: unknown): v is FileRef => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.id === 'string' && SHA256.test(r.id) && typeof r.type === 'string' && typeof r.size === 'number'
  );
};

/** Every file reference anywhere in a form's data (fields, table cells), each once. */
export function refsIn(data: unknown): FileRef[] {
  const out = new Map<string, FileRef>();
  const walk = (v: unknown) => {
    if (isFileRef(v)) out.set(v.id, v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(data);
  return [...out.values()];
}

export const refIds = (data: unknown): string[] => refsIn(data).map((r) => r.id);

/** An upload the server refused (too large, a type it does not take …): names the file. */
export class AttachmentUploadError extends ApiError {
  constructor(
    readonly ref: FileRef,
    e: ApiError,
  ) {
    super(e.status, e.code, e.body);
  }
}

/**
 * Uploads the files of `data` kept on this device that `user` has not uploaded yet, one at a
 * time, before the save that refers to them. The server stores content by its SHA-256, so an
 * upload sent again (its answer lost, another user's copy) stores nothing twice. A file not on
 * this device is already on the server (the save was read from it). NetworkError goes on; a
 * refusal becomes AttachmentUploadError.
 */
export async function uploadFiles(data: unknown, user: string): Promise<number> {
  let sent = 0;
  for (const ref of refsIn(data)) {
    const kept = await getBlob(ref.id).catch(() => undefined);
    if (!kept || kept.uploadedBy?.includes(user)) continue;
    try {
      await api('POST', `/api/attachments?name=${encodeURIComponent(ref.name || kept.name)}`, kept.blob, {
        'content-type': kept.type,
      });
    } catch (e) {
      if (e instanceof ApiError) throw new AttachmentUploadError(ref, e);
      throw e;
    }
    await markUploaded(ref.id, user);
    sent++;
  }
  return sent;
}

/** Forgets that the files of `data` were uploaded (the server no longer has them: sent again next time). */
export async function forgetUploads(data: unknown): Promise<void> {
  for (const id of refIds(data)) await markUploaded(id, false);
}

/** The JSON pointer of the field that holds the file `id` in `data` (`/photos`, `/members/0/photo`). */
export function pointerOf(data: unknown, id: string, at = ''): string | undefined {
  if (isFileRef(data)) return data.id === id ? at : undefined;
  if (Array.isArray(data)) {
    // A list of files is one field: its pointer, not the item's.
    if (data.some((x) => isFileRef(x) && x.id === id)) return at;
    for (let i = 0; i < data.length; i++) {
      const p = pointerOf(data[i], id, `${at}/${i}`);
      if (p !== undefined) return p;
    }
  } else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      const p = pointerOf(v, id, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}
