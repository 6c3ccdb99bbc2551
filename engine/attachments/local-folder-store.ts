import { createReadStream } from 'node:fs';
import { link, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type AttachmentStore, SHA256_HEX } from './attachment-store.ts';

/**
 * Attachments in a local folder: `<dir>/ab/abcdef…` (the first two hex digits fan the files out),
 * spooled uploads in `<dir>/tmp/`. A spooled file is linked to its address (never overwriting:
 * two uploads of the same content at once store it once) and then unlinked.
 */
export function localFolderStore(dir: string): AttachmentStore {
  const root = resolve(dir);
  const tempDir = join(root, 'tmp');
  const pathOf = (id: string) => {
    if (!SHA256_HEX.test(id)) throw new Error(`not an attachment id: ${id}`);
    return join(root, id.slice(0, 2), id);
  };
  return {
    kind: 'local',
    tempDir,
    async save(tempFile, id) {
      const target = pathOf(id);
      await mkdir(join(root, id.slice(0, 2)), { recursive: true });
      try {
        await link(tempFile, target);
        return { created: true };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
        throw err;
      } finally {
        await unlink(tempFile).catch(() => undefined);
      }
    },
    async open(id): Promise<Readable | null> {
      const p = pathOf(id);
      try {
        await stat(p);
      } catch {
        return null;
      }
      return createReadStream(p);
    },
    async has(id) {
      return stat(pathOf(id)).then(
        () => true,
        () => false,
      );
    },
    async remove(id) {
      await rm(pathOf(id), { force: true });
    },
    async *list() {
      let fans: string[];
      try {
        fans = await readdir(root);
      } catch {
        return;
      }
      for (const fan of fans.sort()) {
        if (!/^[0-9a-f]{2}$/.test(fan)) continue;
        for (const name of (await readdir(join(root, fan))).sort()) if (SHA256_HEX.test(name)) yield name;
      }
    },
  };
}
