import { dirname, join } from 'node:path';
import { parseDatabaseUrl } from '../store/database.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { localFolderStore } from './local-folder-store.ts';

/**
 * The attachment store of a deployment: `NUANXIN_ATTACHMENTS_DIR` when set, else the folder
 * `attachments/` beside a SQLite database file, else `./data/attachments` (PostgreSQL). The
 * server, `backup`, `restore` and `doctor` all find it here.
 */
export function attachmentStoreFor(databaseUrl: string): AttachmentStore {
  return localFolderStore(attachmentsDirFor(databaseUrl));
}

export function attachmentsDirFor(databaseUrl: string): string {
  const fromEnv = process.env.NUANXIN_ATTACHMENTS_DIR;
  if (fromEnv) return fromEnv;
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'sqlite' && target.file !== ':memory:')
    return join(dirname(target.file), 'attachments');
  return './data/attachments';
}
