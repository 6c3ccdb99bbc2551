import { randomBytes } from 'node:crypto';

let seq = 0;

/**
 * Ids that sort in creation order (time, then a per-process counter, then randomness), so "the
 * latest row" is well defined even for two rows written in the same millisecond.
 */
export function sortableId(prefix: string): string {
  seq = (seq + 1) % 36 ** 4;
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBytes(5).toString('hex')}`;
}
