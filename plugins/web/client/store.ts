import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/**
 * What the page keeps on this device, in IndexedDB (database `nuanxin`), so it outlives the tab
 * and the browser: the device session, each working copy of a form being filled (`drafts`) and
 * the saves waiting for the network (`outbox`), and the files those refer to (`blobs`: photos,
 * documents, signatures, by the SHA-256 of their bytes). Readable by this origin's pages and its
 * service worker only.
 */
export interface StoredDraft {
  /** `<user>.<form>.<submission id | new>`. */
  id: string;
  user: string;
  formId: string;
  key: string;
  data: Record<string, unknown>;
  submissionId?: string;
  version?: number;
  savedAt?: string;
}

/** A save that could not reach the server yet (see `outbox.ts`). */
export interface StoredPending {
  key: string;
  user: string;
  formId: string;
  submissionId?: string;
  version?: number;
  status: 'draft' | 'submitted';
  data: Record<string, unknown>;
  savedAt: string;
  /** The working copy this save came from: forgotten once a submitted save reaches the server. */
  draft?: string;
  /** The server's last refusal, for the worker to act on (fix and send again, or discard). */
  error?: {
    status: number;
    code: string;
    message?: { 'zh-CN': string; en: string };
    at: string;
    /** The file whose upload was refused (too large, a type the server does not take …). */
    file?: string;
  };
}

/** A file picked or drawn on this device, kept until no working copy or queued save refers to it. */
export interface StoredBlob {
  /** SHA-256 of the bytes, hex: the id the server gives the same content. */
  id: string;
  name: string;
  type: string;
  size: number;
  blob: Blob;
  savedAt: string;
  /** The users whose upload of it the server has confirmed (the server lets each attach what they uploaded). */
  uploadedBy?: string[];
}

interface NxSchema extends DBSchema {
  kv: { key: string; value: unknown };
  drafts: { key: string; value: StoredDraft };
  outbox: { key: string; value: StoredPending; indexes: { user: string } };
  blobs: { key: string; value: StoredBlob };
}

let opened: Promise<IDBPDatabase<NxSchema>> | undefined;

export function db(): Promise<IDBPDatabase<NxSchema>> {
  opened ??= openDB<NxSchema>('nuanxin', 2, {
    upgrade(d, from) {
      if (from < 1) {
        d.createObjectStore('kv');
        d.createObjectStore('drafts', { keyPath: 'id' });
        d.createObjectStore('outbox', { keyPath: 'key' }).createIndex('user', 'user');
      }
      if (from < 2) d.createObjectStore('blobs', { keyPath: 'id' });
    },
  }).then(async (d) => {
    await migrateLocalStorage(d);
    return d;
  });
  return opened;
}

/**
 * Once per browser: the working copies (`nx.work.<user>.<form>.<sid|new>`) and outboxes
 * (`nx.outbox.<user>`) that earlier versions kept in localStorage move here, and leave it.
 */
async function migrateLocalStorage(d: IDBPDatabase<NxSchema>): Promise<void> {
  if (await d.get('kv', 'migrated.localStorage')) return;
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i) ?? '');
  const tx = d.transaction(['kv', 'drafts', 'outbox'], 'readwrite');
  for (const k of keys) {
    const raw = localStorage.getItem(k);
    if (raw === null) continue;
    try {
      if (k.startsWith('nx.outbox.')) {
        const user = k.slice('nx.outbox.'.length);
        for (const p of JSON.parse(raw) as Omit<StoredPending, 'user'>[]) {
          await tx.objectStore('outbox').put({ ...p, user });
        }
      } else if (k.startsWith('nx.work.')) {
        const id = k.slice('nx.work.'.length);
        // Usernames may hold dots; form ids and the last part (a submission id or `new`) do not.
        const parts = id.split('.');
        parts.pop();
        const formId = parts.pop() ?? '';
        const user = parts.join('.');
        const w = JSON.parse(raw) as Omit<StoredDraft, 'id' | 'user' | 'formId'>;
        await tx.objectStore('drafts').put({ ...w, id, user, formId });
      } else continue;
    } catch {
      continue; // unreadable: left where it is
    }
    localStorage.removeItem(k);
  }
  await tx.objectStore('kv').put(new Date().toISOString(), 'migrated.localStorage');
  await tx.done;
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get('kv', key)) as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  const d = await db();
  if (value === undefined) await d.delete('kv', key);
  else await d.put('kv', value, key);
}

export const draftId = (user: string, formId: string, sid: string | undefined): string =>
  `${user}.${formId}.${sid ?? 'new'}`;

export async function getDraft(id: string): Promise<StoredDraft | undefined> {
  return (await db()).get('drafts', id);
}

export async function putDraft(d: StoredDraft): Promise<void> {
  await (await db()).put('drafts', d);
}

export async function deleteDraft(id: string): Promise<void> {
  await (await db()).delete('drafts', id);
}

export async function outboxOf(user: string): Promise<StoredPending[]> {
  const all = await (await db()).getAllFromIndex('outbox', 'user', user);
  return all.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

export async function getPending(key: string): Promise<StoredPending | undefined> {
  return (await db()).get('outbox', key);
}

export async function putPending(p: StoredPending): Promise<void> {
  await (await db()).put('outbox', p);
}

export async function deletePending(key: string): Promise<void> {
  await (await db()).delete('outbox', key);
}

export async function getBlob(id: string): Promise<StoredBlob | undefined> {
  return (await db()).get('blobs', id);
}

/** Keeps a file (the same content twice is kept once; who uploaded it already is kept too). */
export async function putBlob(b: StoredBlob): Promise<void> {
  const tx = (await db()).transaction('blobs', 'readwrite');
  const had = await tx.store.get(b.id);
  await tx.store.put({ ...b, uploadedBy: had?.uploadedBy ?? b.uploadedBy });
  await tx.done;
}

/** Records that `user`'s upload of the file reached the server (`false`: forget every upload). */
export async function markUploaded(id: string, user: string | false): Promise<void> {
  const tx = (await db()).transaction('blobs', 'readwrite');
  const had = await tx.store.get(id);
  if (had) {
    const by = user === false ? [] : [...new Set([...(had.uploadedBy ?? []), user])];
    await tx.store.put({ ...had, uploadedBy: by });
  }
  await tx.done;
}

/**
 * Forgets the files that no working copy and no queued save refers to (of any user of the
 * device), once they are older than `graceMs` (a file just picked may not be in a working copy yet).
 */
export async function sweepBlobs(
  referenced: (data: unknown) => string[],
  graceMs = 3600_000,
): Promise<number> {
  const d = await db();
  const keep = new Set<string>();
  for (const w of await d.getAll('drafts')) for (const id of referenced(w.data)) keep.add(id);
  for (const p of await d.getAll('outbox')) for (const id of referenced(p.data)) keep.add(id);
  const cutoff = new Date(Date.now() - graceMs).toISOString();
  const tx = d.transaction('blobs', 'readwrite');
  let gone = 0;
  for (const id of await tx.store.getAllKeys()) {
    if (keep.has(id)) continue;
    const b = await tx.store.get(id);
    if (b && b.savedAt < cutoff) {
      await tx.store.delete(id);
      gone++;
    }
  }
  await tx.done;
  return gone;
}
