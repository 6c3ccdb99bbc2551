import { type Static, Type } from '@sinclair/typebox';

/**
 * What a submission stores for an uploaded file: the SHA-256 of its bytes (its id in the store),
 * the name it was uploaded with, its MIME type and its size in bytes. The page and the server
 * check a field's limits (types, size, count) from this reference alone.
 */
export const AttachmentRef = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content, hex' }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    type: Type.String({ maxLength: 100 }),
    size: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, $id: 'AttachmentRef' },
);
export type AttachmentRef = Static<typeof AttachmentRef>;

const SHA256 = /^[0-9a-f]{64}$/;
const MIME = /^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/;

/** The reference as stored (unknown keys dropped), or null when `raw` is not one. */
export function asAttachmentRef(raw: unknown): AttachmentRef | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const { id, name, type, size } = r;
  if (typeof id !== 'string' || !SHA256.test(id)) return null;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 255) return null;
  if (typeof type !== 'string' || type.length > 100 || !MIME.test(type)) return null;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
  return { id, name: name.trim(), type, size };
}

/** Whether `type` is one of `accept` (`image/*` takes every image type). */
export function mimeAllowed(accept: readonly string[], type: string): boolean {
  for (const a of accept) {
    if (a === type) return true;
    if (a.endsWith('/*') && type.startsWith(a.slice(0, -1))) return true;
  }
  return false;
}

/** Limits of each attachment type when the definition gives none. */
export const ATTACHMENT_DEFAULTS: Readonly<
  Record<'photo' | 'file' | 'signature', { accept: readonly string[]; maxSize: number }>
> = {
  photo: { accept: ['image/jpeg', 'image/png', 'image/webp'], maxSize: 10 * 1024 * 1024 },
  file: { accept: ['application/pdf', 'image/jpeg', 'image/png'], maxSize: 10 * 1024 * 1024 },
  signature: { accept: ['image/png'], maxSize: 512 * 1024 },
};

/** Types whose values are attachment references. */
export const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(['photo', 'file', 'signature']);

/** Every reference in one value of an attachment field (a list, or one for a signature). */
export function refsOf(value: unknown): AttachmentRef[] {
  const list = Array.isArray(value) ? value : [value];
  const out: AttachmentRef[] = [];
  for (const v of list) {
    const r = asAttachmentRef(v);
    if (r) out.push(r);
  }
  return out;
}
