import type { Readable } from 'node:stream';

/**
 * Where attachment contents live, addressed by the SHA-256 of their bytes (hex). An upload is
 * first spooled to a file in `tempDir` (hashed and size-checked while it streams, see `receive`);
 * `save` then moves it to its address. Saving content that is already there stores nothing twice.
 * Implementations: `localFolderStore` (the default) and `s3Store` (several servers).
 */
export interface AttachmentStore {
  /** `local` or `s3`, for `doctor` and the logs. */
  readonly kind: string;
  /** A local folder for spooled uploads (on the same file system as a local store, so a move is a rename). */
  readonly tempDir: string;
  /** Moves the spooled file to the address `id`; `created` is false when the content was stored already. */
  save(tempFile: string, id: string, size: number): Promise<{ created: boolean }>;
  /** The content as a stream, or null when there is none. */
  open(id: string): Promise<Readable | null>;
  has(id: string): Promise<boolean>;
  remove(id: string): Promise<void>;
  /** Every stored id (for backups and `doctor`). */
  list(): AsyncIterable<string>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
