import { ApiError, api, NetworkError, session } from './api.ts';
import { AttachmentUploadError, forgetUploads, refIds, uploadFiles } from './attachment-upload.ts';
import {
  deleteDraft,
  deletePending,
  getPending,
  outboxOf,
  putPending,
  type StoredPending,
  sweepBlobs,
} from './store.ts';

/**
 * Saves that could not reach the server wait here (IndexedDB, this device, per user) and are
 * sent when the connection returns — after the browser was closed too. Each carries an
 * Idempotency-Key chosen when it was first queued, so a send whose answer was lost and is sent
 * again still stores one submission. A refusal (400/409/422) stays queued with the server's
 * answer, for the worker to open and fix, send again, or discard (`pages/outbox.ts`).
 * The files a save refers to (photos, signatures) wait with it in IndexedDB and are uploaded
 * first, each once (`attachment-upload.ts`).
 */
export type Pending = Omit<StoredPending, 'user'>;

export interface Saved {
  id: string;
  version: number;
  status: string;
}

/** Announced on `window` as `nx:sent` when a queued save reached the server. */
export interface SentDetail {
  pending: Pending;
  saved: Saved;
}

/** Announced on `window` as `nx:outbox` whenever the queue changes (its new length). */
export const OUTBOX_EVENT = 'nx:outbox';

const user = () => session()?.user.username ?? 'anonymous';

const changed = async () => {
  const n = (await pending()).length;
  window.dispatchEvent(new CustomEvent<number>(OUTBOX_EVENT, { detail: n }));
};

/** The current user's queue, oldest first. */
export function pending(): Promise<Pending[]> {
  return outboxOf(user()).catch(() => []);
}

export function pendingByKey(key: string): Promise<Pending | undefined> {
  return getPending(key).then((p) => (p?.user === user() ? p : undefined));
}

/** Queues (or replaces, for the same key) a save. */
export async function enqueue(p: Pending): Promise<void> {
  await putPending({ ...p, user: user() });
  await changed();
}

/** Takes a save out of the queue (sent, or discarded by the worker). */
export async function dequeue(key: string): Promise<void> {
  await deletePending(key);
  await changed();
}

export const newKey = (): string => crypto.randomUUID();

/**
 * One save: its files first, then create with the key, or update the known submission at its
 * version. Files uploaded long ago may have been removed by the server's retention (nothing
 * referred to them): then they are uploaded again and the save sent once more.
 */
export async function send(p: Pending): Promise<Saved> {
  await uploadFiles(p.data, user());
  try {
    return await save(p);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'NX_ERR_ATTACHMENT_UNKNOWN') throw e;
    await forgetUploads(p.data);
    if ((await uploadFiles(p.data, user())) === 0) throw e;
    return save(p);
  }
}

function save(p: Pending): Promise<Saved> {
  if (p.submissionId) {
    return api<Saved>('PATCH', `/api/submissions/${encodeURIComponent(p.submissionId)}`, {
      data: p.data,
      status: p.status,
      version: p.version,
    });
  }
  return api<Saved>(
    'POST',
    `/api/forms/${encodeURIComponent(p.formId)}/submissions`,
    { data: p.data, status: p.status },
    { 'idempotency-key': p.key },
  );
}

/**
 * Sends one queued save. Reached: out of the queue, announced. Refused: kept with the answer.
 * Not reached: kept as it is (NetworkError is thrown on).
 */
export async function sendQueued(p: Pending): Promise<Saved | undefined> {
  try {
    const s = await send(p);
    await dequeue(p.key);
    if (p.status === 'submitted' && p.draft) await deleteDraft(p.draft).catch(() => undefined);
    void sweepBlobs(refIds).catch(() => undefined);
    window.dispatchEvent(new CustomEvent<SentDetail>('nx:sent', { detail: { pending: p, saved: s } }));
    return s;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const error = {
      status: e.status,
      code: e.code,
      message: e.body.message,
      at: new Date().toISOString(),
      file: e instanceof AttachmentUploadError ? e.ref.name : undefined,
    };
    await putPending({ ...p, error, user: user() });
    await changed();
    return undefined;
  }
}

let flushing: Promise<{ sent: number; failed: number }> | undefined;

/** One round at a time across this device's tabs (each tab flushes when the connection returns). */
const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
  'locks' in navigator ? (navigator.locks.request('nx-outbox', fn) as Promise<T>) : fn();

/**
 * Sends everything queued, oldest first; network failures stop the round and stay queued,
 * refusals stay too, marked for the worker. A save the server refused is not sent again by
 * itself: the worker fixes it (or says “send again”). One flush at a time.
 */
export function flush(onSent?: (p: Pending, s: Saved) => void): Promise<{ sent: number; failed: number }> {
  flushing ??= exclusive(async () => {
    let sent = 0;
    let failed = 0;
    for (const p of await pending()) {
      if (p.error) continue;
      try {
        const s = await sendQueued(p);
        if (s) {
          sent++;
          onSent?.(p, s);
        } else failed++;
      } catch (e) {
        failed++;
        if (e instanceof NetworkError) break;
        throw e;
      }
    }
    return { sent, failed };
  }).finally(() => {
    flushing = undefined;
  });
  return flushing;
}
