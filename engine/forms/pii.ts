import { maskIdNumber, maskPhone } from '../auth/mask.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import { dataFields } from './walk-fields.ts';

type Kind = 'idcard' | 'phone';

/** Where personal identifiers sit in a form's data: top-level fields and table columns. */
export interface PiiMap {
  top: Map<string, Kind>;
  tables: Map<string, Map<string, Kind>>;
}

const cache = new WeakMap<FormDefinition, PiiMap>();

export function piiFields(def: FormDefinition): PiiMap {
  const hit = cache.get(def);
  if (hit) return hit;
  const map: PiiMap = { top: new Map(), tables: new Map() };
  for (const f of dataFields(def)) {
    if (f.type === 'idcard' || f.type === 'phone') map.top.set(f.id, f.type);
    else if (f.type === 'table') {
      const cols = new Map<string, Kind>();
      for (const c of f.columns) if (c.type === 'idcard' || c.type === 'phone') cols.set(c.id, c.type);
      if (cols.size > 0) map.tables.set(f.id, cols);
    }
  }
  cache.set(def, map);
  return map;
}

const maskValue = (kind: Kind, v: unknown): unknown =>
  typeof v === 'string' ? (kind === 'idcard' ? maskIdNumber(v) : maskPhone(v)) : v;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `data` with every ID number and phone masked (the input is not changed). */
export function maskData(def: FormDefinition, data: Record<string, unknown>): Record<string, unknown> {
  const pii = piiFields(def);
  const out: Record<string, unknown> = { ...data };
  for (const [id, kind] of pii.top) if (id in out) out[id] = maskValue(kind, out[id]);
  for (const [id, cols] of pii.tables) {
    const rows = out[id];
    if (!Array.isArray(rows)) continue;
    out[id] = rows.map((row) => {
      if (!isRecord(row)) return row;
      const r = { ...row };
      for (const [col, kind] of cols) if (col in r) r[col] = maskValue(kind, r[col]);
      return r;
    });
  }
  return out;
}

/**
 * Undoes masking on a write from a caller without `pii`: a value that still equals the mask
 * of the stored one is the stored one (so reading, editing another field and writing back
 * does not overwrite ID numbers with asterisks). Table rows are matched by position.
 */
export function unmaskData(
  def: FormDefinition,
  incoming: Record<string, unknown>,
  current: Record<string, unknown>,
): Record<string, unknown> {
  const pii = piiFields(def);
  const out: Record<string, unknown> = { ...incoming };
  const keep = (kind: Kind, next: unknown, prev: unknown) =>
    typeof next === 'string' &&
    next.includes('*') &&
    typeof prev === 'string' &&
    maskValue(kind, prev) === next
      ? prev
      : next;
  for (const [id, kind] of pii.top) if (id in out) out[id] = keep(kind, out[id], current[id]);
  for (const [id, cols] of pii.tables) {
    const rows = out[id];
    const prevRows = current[id];
    if (!Array.isArray(rows) || !Array.isArray(prevRows)) continue;
    out[id] = rows.map((row, i) => {
      const prev = prevRows[i];
      if (!isRecord(row) || !isRecord(prev)) return row;
      const r = { ...row };
      for (const [col, kind] of cols) if (col in r) r[col] = keep(kind, r[col], prev[col]);
      return r;
    });
  }
  return out;
}
