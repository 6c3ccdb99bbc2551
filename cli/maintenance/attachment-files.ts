import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { AttachmentStore } from '../../engine/attachments/attachment-store.ts';

/** The folder beside a backup file that holds its attachments: `<backup>.attachments/`. */
export const attachmentsBesideBackup = (file: string): string => `${file}.attachments`;

const pathIn = (dir: string, id: string) => join(dir, id.slice(0, 2), id);

/** Ids of the attachments a SQLite database file knows (none before the attachments migration). */
export function attachmentIds(dbFile: string): string[] {
  const db = new SqliteDatabase(dbFile, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'attachments'").get();
    if (!has) return [];
    return (db.prepare('select id from attachments order by id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

/**
 * Copies the contents of `ids` from folder `from` to folder `to` (same layout), each checked
 * against its SHA-256 on the way; returns the ids missing in `from` or whose content is damaged.
 * Files already in `to` are kept (content-addressed: the same name is the same bytes).
 */
export function copyAttachments(
  ids: readonly string[],
  from: string,
  to: string,
): { copied: number; bad: string[] } {
  let copied = 0;
  const bad: string[] = [];
  for (const id of ids) {
    const src = pathIn(from, id);
    const dst = pathIn(to, id);
    if (existsSync(dst)) continue;
    if (!existsSync(src) || sha256File(src) !== id) {
      bad.push(id);
      continue;
    }
    mkdirSync(join(to, id.slice(0, 2)), { recursive: true });
    copyFileSync(src, dst);
    copied++;
  }
  return { copied, bad };
}

/** The attachments a database lists whose content is missing or damaged in the folder. */
export function missingAttachments(ids: readonly string[], dir: string): string[] {
  return ids.filter((id) => !existsSync(pathIn(dir, id)) || sha256File(pathIn(dir, id)) !== id);
}

/** Contents in the folder (for counts). */
export function storedCount(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .reduce((n, d) => n + readdirSync(join(dir, d)).length, 0);
}

function sha256File(path: string): string {
  // Attachments are at most a few tens of MB; a backup reads each once.
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The ids among `ids` the store does not hold (a few requests at a time). */
export async function missingInStore(store: AttachmentStore, ids: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      if (!(await store.has(id))) missing.push(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, ids.length) }, worker));
  return missing.sort();
}

/**
 * Puts into `store` the contents of `ids` it lacks, from folder `from` (a backup's attachments),
 * each checked against its SHA-256 first; returns how many were stored and the ids neither had.
 */
export async function restoreIntoStore(
  store: AttachmentStore,
  ids: readonly string[],
  from: string,
): Promise<{ copied: number; bad: string[] }> {
  let copied = 0;
  const bad: string[] = [];
  for (const id of await missingInStore(store, ids)) {
    const src = pathIn(from, id);
    if (!existsSync(src) || sha256File(src) !== id) {
      bad.push(id);
      continue;
    }
    // `save` takes a spooled file and removes it: a copy goes to the spool first.
    mkdirSync(store.tempDir, { recursive: true });
    const spooled = join(store.tempDir, `${randomUUID()}.part`);
    copyFileSync(src, spooled);
    await store.save(spooled, id, statSync(spooled).size);
    copied++;
  }
  return { copied, bad };
}
