import { childPointer } from './problem.ts';

/**
 * A tolerant map of a (possibly invalid) form definition: every section and field with its JSON
 * pointer, walked without trusting the shape, so the semantic checks can run — and report —
 * even when the schema check has already found problems elsewhere.
 */
export interface FieldEntry {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly id: string | undefined;
  readonly type: string | undefined;
  readonly pointer: string;
  /** Set when this entry is a column of a table. */
  readonly table?: FieldEntry;
}

export interface FormOutline {
  readonly sections: readonly {
    raw: Readonly<Record<string, unknown>>;
    id: string | undefined;
    pointer: string;
  }[];
  /** Every field at any depth of groups, in document order; table columns follow their table. */
  readonly fields: readonly FieldEntry[];
  /** Column entries of each table entry. */
  readonly columns: ReadonlyMap<FieldEntry, readonly FieldEntry[]>;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function outlineForm(def: unknown): FormOutline {
  const sections: FormOutline['sections'][number][] = [];
  const fields: FieldEntry[] = [];
  const columns = new Map<FieldEntry, FieldEntry[]>();

  const visit = (list: unknown, base: string): void => {
    if (!Array.isArray(list)) return;
    for (const [i, raw] of list.entries()) {
      if (!isRecord(raw)) continue;
      const entry: FieldEntry = { raw, id: str(raw.id), type: str(raw.type), pointer: childPointer(base, i) };
      fields.push(entry);
      if (entry.type === 'group') visit(raw.fields, childPointer(entry.pointer, 'fields'));
      if (entry.type === 'table' && Array.isArray(raw.columns)) {
        const cols: FieldEntry[] = [];
        for (const [j, c] of raw.columns.entries()) {
          if (!isRecord(c)) continue;
          const col: FieldEntry = {
            raw: c,
            id: str(c.id),
            type: str(c.type),
            pointer: childPointer(entry.pointer, 'columns', j),
            table: entry,
          };
          cols.push(col);
          fields.push(col);
        }
        columns.set(entry, cols);
      }
    }
  };

  if (isRecord(def) && Array.isArray(def.sections)) {
    for (const [i, s] of def.sections.entries()) {
      if (!isRecord(s)) continue;
      const pointer = childPointer('/sections', i);
      sections.push({ raw: s, id: str(s.id), pointer });
      visit(s.fields, childPointer(pointer, 'fields'));
    }
  }
  return { sections, fields, columns };
}

/** Fields whose value is part of the submission data at the top level (groups hold none). */
export const dataFields = (o: FormOutline): FieldEntry[] =>
  o.fields.filter((f) => !f.table && f.type !== 'group' && f.id !== undefined);
