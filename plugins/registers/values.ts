import type { FormBinding, KeyType, Property, RegisterDefinition } from './register-schema.ts';

/**
 * How submission values become register values: keys and member identifiers normalised (an
 * ID number's x read as X), property values coerced to their column's type.
 */

/** The normalised key, or undefined when empty or (for idcard) not 18 characters. */
export function normaliseKey(type: KeyType, raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = String(raw).trim();
  if (s === '') return undefined;
  if (type === 'idcard') {
    const up = s.toUpperCase();
    return /^\d{17}[\dX]$/.test(up) ? up : undefined;
  }
  return s;
}

export type PropertyValue = string | number | null;

/** A value as its column stores it: numbers finite, booleans 0/1, dates and text as strings. */
export function columnValue(p: Pick<Property, 'type'>, raw: unknown): PropertyValue {
  if (raw === undefined || raw === null || raw === '') return null;
  switch (p.type) {
    case 'text':
    case 'date':
      return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : JSON.stringify(raw);
    case 'integer': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isFinite(n) ? Math.trunc(n) : null;
    }
    case 'number':
    case 'money': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return raw === true || raw === 1 || raw === 'true' ? 1 : 0;
    case 'codes': {
      const list = (Array.isArray(raw) ? raw : [raw]).filter(
        (x): x is string | number => typeof x === 'string' || typeof x === 'number',
      );
      return list.length === 0 ? null : JSON.stringify(list.map(String));
    }
  }
}

/** A stored column value as a form field holds it: booleans true/false, codes an array. */
export function fieldValue(p: Pick<Property, 'type'>, stored: unknown): unknown {
  if (stored === null || stored === undefined) return null;
  if (p.type === 'boolean') return stored === 1 || stored === true || stored === '1';
  if (p.type === 'codes') {
    try {
      const v = JSON.parse(String(stored)) as unknown;
      return Array.isArray(v) ? v : null;
    } catch {
      return null;
    }
  }
  if ((p.type === 'number' || p.type === 'money' || p.type === 'integer') && typeof stored !== 'number')
    return Number(stored);
  return stored;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The date a version is true from: the binding's `datedBy` field when it holds a day, else undefined. */
export function effectiveOf(
  binding: Pick<FormBinding, 'datedBy'>,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  const v = binding.datedBy === undefined ? undefined : data[binding.datedBy];
  return typeof v === 'string' && DAY.test(v) ? v : undefined;
}

/** What one submission says about its record. */
export interface Extracted {
  readonly key: string;
  readonly properties: Record<string, PropertyValue>;
  /** Member identifiers, normalised, in form order, without repeats and without the key. */
  readonly members: string[];
  /** The version the form was filled against; undefined when the form does not say. */
  readonly base: number | undefined;
  /** The day the version is true from (the binding's `datedBy` field); undefined: the day it is written. */
  readonly effective?: string | undefined;
}

/** Reads a submission's data through a binding; undefined when the key is missing or malformed. */
export function extract(
  def: RegisterDefinition,
  binding: FormBinding,
  data: Readonly<Record<string, unknown>>,
): Extracted | undefined {
  const key = normaliseKey(def.key.type, data[binding.key]);
  if (key === undefined) return undefined;
  const properties: Record<string, PropertyValue> = {};
  for (const p of def.properties) {
    const field = binding.properties[p.id];
    properties[p.id] = field === undefined ? null : columnValue(p, data[field]);
  }
  const members: string[] = [];
  if (binding.members && def.members) {
    const rows = data[binding.members.table];
    if (Array.isArray(rows)) {
      for (const row of rows) {
        if (typeof row !== 'object' || row === null) continue;
        const id = normaliseKey(def.members.type, (row as Record<string, unknown>)[binding.members.field]);
        if (id !== undefined && id !== key && !members.includes(id)) members.push(id);
      }
    }
  }
  const rawBase = binding.baseVersion === undefined ? undefined : data[binding.baseVersion];
  const base = typeof rawBase === 'number' && Number.isInteger(rawBase) && rawBase >= 0 ? rawBase : undefined;
  const effective = effectiveOf(binding, data);
  return { key, properties, members, base, ...(effective ? { effective } : {}) };
}
