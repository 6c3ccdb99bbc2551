import { maskIdNumber, maskPhone } from '../auth/mask.ts';
import type { FormDefinition, ScalarField } from '../definition/form-schema.ts';
import { dataFields } from './walk-fields.ts';

/**
 * How a personal value is masked: an ID number keeps 4+4 characters, a text 3+4 (as a phone), an
 * attachment reference keeps only its type and size (no id to fetch it by, no file name), a
 * location is hidden whole.
 */
export type PiiKind = 'idcard' | 'phone' | 'attachment' | 'location';

const ATTACHMENT_FIELD = new Set(['photo', 'file', 'signature']);

/** Where personal identifiers sit in a form's data: top-level fields and table columns. */
export interface PiiMap {
  top: Map<string, PiiKind>;
  tables: Map<string, Map<string, PiiKind>>;
}

const cache = new WeakMap<FormDefinition, PiiMap>();

/**
 * Whether a field holds personal data: its explicit `pii` mark, else its type (idcard and phone
 * are personal by default). The mark keeps masking when a definition retypes a field to text.
 */
export function piiKindOf(
  f: Pick<ScalarField, 'type'> & { pii?: boolean },
  inherited = false,
): PiiKind | undefined {
  // A signature identifies its signer: personal unless the definition says otherwise.
  const marked = f.pii ?? (inherited || f.type === 'idcard' || f.type === 'phone' || f.type === 'signature');
  if (!marked) return undefined;
  if (ATTACHMENT_FIELD.has(f.type)) return 'attachment';
  if (f.type === 'geopoint') return 'location';
  return f.type === 'idcard' ? 'idcard' : 'phone';
}

export function piiFields(def: FormDefinition): PiiMap {
  const hit = cache.get(def);
  if (hit) return hit;
  const map: PiiMap = { top: new Map(), tables: new Map() };
  for (const f of dataFields(def)) {
    if (f.type === 'table') {
      const cols = new Map<string, PiiKind>();
      for (const c of f.columns) {
        const kind = piiKindOf(c, f.pii === true);
        if (kind) cols.set(c.id, kind);
      }
      if (cols.size > 0) map.tables.set(f.id, cols);
    } else {
      const kind = piiKindOf(f);
      if (kind) map.top.set(f.id, kind);
    }
  }
  cache.set(def, map);
  return map;
}

/** Pointers-like names (`headIdNumber`, `members.idNumber`) of every personal field of a definition. */
export function piiFieldNames(def: FormDefinition): Set<string> {
  const pii = piiFields(def);
  const out = new Set(pii.top.keys());
  for (const [id, cols] of pii.tables) for (const col of cols.keys()) out.add(`${id}.${col}`);
  return out;
}

/** Every data field of a definition by name: top-level ids and `table.column`. */
export function fieldNames(def: FormDefinition): Set<string> {
  const out = new Set<string>();
  for (const f of dataFields(def)) {
    out.add(f.id);
    if (f.type === 'table') for (const c of f.columns) out.add(`${f.id}.${c.id}`);
  }
  return out;
}

/**
 * The personal fields of `before` that `after` keeps but no longer masks (retyped to text or
 * unmarked): a new version may do so only when an admin of the owning unit with `pii` confirms
 * it. A removed field is not counted: its old values stay masked by their own version.
 */
export function droppedPii(before: FormDefinition, after: FormDefinition): string[] {
  const still = piiFieldNames(after);
  const present = fieldNames(after);
  return [...piiFieldNames(before)].filter((name) => present.has(name) && !still.has(name));
}

/** A reference as a user without `pii` sees it: that there is a file, its type and size. */
const maskRef = (v: unknown): unknown => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  return { id: null, name: '***', type: r.type ?? null, size: r.size ?? null, masked: true };
};

/** One value masked as a field of `kind` shows it; non-strings (numbers) are masked as their digits. */
export const maskValue = (kind: PiiKind, v: unknown): unknown => {
  if (kind === 'attachment') return Array.isArray(v) ? v.map(maskRef) : maskRef(v);
  if (kind === 'location') return v === null || v === undefined ? v : { masked: true };
  if (typeof v === 'number' || typeof v === 'bigint') v = String(v);
  return typeof v === 'string' ? (kind === 'idcard' ? maskIdNumber(v) : maskPhone(v)) : v;
};

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

/** A masked attachment or location written back unchanged is the stored value. */
function sameMask(kind: PiiKind, next: unknown, prev: unknown): unknown {
  if (prev === undefined || prev === null) return next;
  return JSON.stringify(next) === JSON.stringify(maskValue(kind, prev)) ? prev : next;
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
  const keep = (kind: PiiKind, next: unknown, prev: unknown) =>
    kind === 'attachment' || kind === 'location'
      ? sameMask(kind, next, prev)
      : typeof next === 'string' &&
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
