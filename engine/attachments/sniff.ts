/** MIME types an upload may declare, and how their content starts (checked from the first bytes). */
const MAGIC: Record<string, (h: Buffer) => boolean> = {
  'image/jpeg': (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  'image/png': (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (h) =>
    h.subarray(0, 4).toString('latin1') === 'RIFF' && h.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (h) => h.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** The types the upload API accepts (a field may narrow them with `accept`). */
export const UPLOAD_TYPES: readonly string[] = Object.keys(MAGIC);

/** Whether the content's first bytes are those of `type`. */
export function contentMatches(type: string, head: Buffer): boolean {
  return MAGIC[type]?.(head) ?? false;
}
