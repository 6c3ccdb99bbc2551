import { session } from './api.ts';
import type { FileRef } from './attachment-upload.ts';
import { getBlob, putBlob } from './store.ts';

const hex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Keeps a picked or drawn file on this device (IndexedDB, by the SHA-256 of its bytes — the id
 * the server will give it) and returns the reference a field stores. Nothing is sent here: the
 * file goes up with the save that refers to it (`outbox.ts`).
 */
export async function keepFile(blob: Blob, name: string): Promise<FileRef> {
  const id = hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  const type = blob.type;
  await putBlob({ id, name, type, size: blob.size, blob, savedAt: new Date().toISOString() });
  return { id, name, type, size: blob.size };
}

/** The file's content: kept on this device, else read from the server (undefined when it cannot be). */
export async function fileContent(id: string): Promise<Blob | undefined> {
  const kept = await getBlob(id).catch(() => undefined);
  if (kept) return kept.blob;
  const s = session();
  try {
    const res = await fetch(`/api/attachments/${encodeURIComponent(id)}`, {
      headers: { 'x-nuanxin-client': 'web', ...(s ? { authorization: `Bearer ${s.token}` } : {}) },
      credentials: 'omit',
    });
    return res.ok ? await res.blob() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A small picture of an image as a `data:` URL (the pages' policy allows `data:` images, not
 * `blob:`), so a list of photos never holds the full pictures in the page.
 */
export async function thumbnail(blob: Blob, width = 240): Promise<string | undefined> {
  if (!blob.type.startsWith('image/')) return undefined;
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = Math.min(1, width / bitmap.width);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL(blob.type === 'image/png' ? 'image/png' : 'image/jpeg', 0.8);
  } catch {
    return undefined; // not a picture the browser can read: the name alone is shown
  }
}

/** A size in words: 183 KB, 2.4 MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
