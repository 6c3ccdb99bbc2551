/**
 * Completion from a JSON Schema at the cursor of a JSON text being typed: property names where a
 * key goes, enum and const values where a value goes. The text before the cursor is scanned
 * tolerantly (it is usually unfinished), so this needs no parser and runs the same in Node.
 */

type Schema = Readonly<Record<string, unknown>>;
export type JsonPath = readonly (string | number)[];

/** Where the cursor is: about to write a key of the object at `path`, or the value at `path`. */
export interface JsonCursor {
  readonly kind: 'key' | 'value';
  readonly path: JsonPath;
  /** Where the word being typed starts (its opening quote), else the cursor. */
  readonly from: number;
  /** The object's members already written before the cursor (keys → their scalar values). */
  readonly siblings: Readonly<Record<string, unknown>>;
}

type Frame =
  | { kind: 'object'; key: string | undefined; afterColon: boolean; members: Record<string, unknown> }
  | { kind: 'array'; index: number; empty: boolean };

const LITERAL = /^(?:-?\d[\d.eE+-]*|true|false|null)/;

/** The cursor's place in a JSON text, or undefined where nothing can be completed (inside a number …). */
export function jsonCursor(text: string, pos: number): JsonCursor | undefined {
  const stack: Frame[] = [];
  /** Keys and indexes of the containers, in step with `stack`. */
  const path: (string | number)[] = [];
  let i = 0;
  let openString = -1;
  const top = () => stack.at(-1);
  const setValue = (v: unknown) => {
    const t = top();
    if (t?.kind === 'object' && t.afterColon && t.key !== undefined) t.members[t.key] = v;
    if (t?.kind === 'array') t.empty = false;
  };
  const enter = (f: Frame) => {
    const t = top();
    if (t) path.push(t.kind === 'object' ? (t.key ?? '') : t.index);
    if (t?.kind === 'array') t.empty = false;
    stack.push(f);
  };
  while (i < pos) {
    const c = text[i] as string;
    if (c === '"') {
      const start = i;
      i++;
      while (i < pos && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= pos) {
        openString = start;
        break;
      }
      i++;
      let s = '';
      try {
        s = JSON.parse(text.slice(start, i)) as string;
      } catch {
        s = text.slice(start + 1, i - 1);
      }
      const t = top();
      if (t?.kind === 'object' && !t.afterColon) t.key = s;
      else setValue(s);
      continue;
    }
    if (c === '{') enter({ kind: 'object', key: undefined, afterColon: false, members: {} });
    else if (c === '[') enter({ kind: 'array', index: 0, empty: true });
    else if (c === '}' || c === ']') {
      stack.pop();
      path.pop();
      setValue({});
    } else if (c === ':') {
      const t = top();
      if (t?.kind === 'object') t.afterColon = true;
    } else if (c === ',') {
      const t = top();
      if (t?.kind === 'object') {
        t.afterColon = false;
        t.key = undefined;
      } else if (t?.kind === 'array') t.index++;
    } else if (!/\s/.test(c)) {
      const m = LITERAL.exec(text.slice(i, pos + 1));
      if (!m) return undefined;
      if (i + m[0].length >= pos) return undefined; // the cursor is inside a number or literal
      setValue(JSON.parse(m[0]) as unknown);
      i += m[0].length;
      continue;
    }
    i++;
  }
  const t = top();
  if (!t) return undefined;
  const from = openString >= 0 ? openString : pos;
  if (t.kind === 'object') {
    if (!t.afterColon) return { kind: 'key', path: [...path], from, siblings: t.members };
    if (t.key === undefined || t.key in t.members) return undefined;
    return { kind: 'value', path: [...path, t.key], from, siblings: t.members };
  }
  return { kind: 'value', path: [...path, t.index], from, siblings: {} };
}

/** Every schema a schema stands for: `$ref` followed by `$id`, `anyOf`/`oneOf`/`allOf` spread. */
function expand(s: Schema | undefined, ids: ReadonlyMap<string, Schema>, seen = new Set<Schema>()): Schema[] {
  if (!s || seen.has(s)) return [];
  seen.add(s);
  if (typeof s.$ref === 'string') return expand(ids.get(s.$ref), ids, seen);
  const parts = [s.anyOf, s.oneOf, s.allOf].flatMap((x) => (Array.isArray(x) ? (x as Schema[]) : []));
  return parts.length ? parts.flatMap((p) => expand(p, ids, seen)) : [s];
}

/** The schemas with an `$id`, by it (TypeBox's recursive types refer to themselves so). */
function idsOf(root: Schema): Map<string, Schema> {
  const ids = new Map<string, Schema>();
  const seen = new Set<unknown>();
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const o = v as Schema;
    if (typeof o.$id === 'string') ids.set(o.$id, o);
    for (const x of Object.values(o)) walk(x);
  };
  walk(root);
  return ids;
}

const constOf = (s: Schema | undefined, ids: ReadonlyMap<string, Schema>): unknown[] =>
  expand(s, ids).flatMap((x) => (x.const !== undefined ? [x.const] : Array.isArray(x.enum) ? x.enum : []));

/** The schemas of a child: an array's items, an object's property (or additional properties). */
function child(s: Schema, key: string | number, ids: ReadonlyMap<string, Schema>): Schema[] {
  const props = s.properties as Record<string, Schema> | undefined;
  if (typeof key === 'number')
    return s.items && typeof s.items === 'object' ? expand(s.items as Schema, ids) : [];
  if (props && Object.hasOwn(props, key)) return expand(props[key], ids);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    return expand(s.additionalProperties as Schema, ids);
  return [];
}

export interface SchemaOption {
  /** What is inserted: `"name"` for a key, the JSON of a value. */
  readonly label: string;
  readonly kind: 'property' | 'value';
  readonly detail?: string;
}

/**
 * What may be written at the cursor according to `root`. For a key: the properties of the object's
 * schema not written yet, narrowed to the alternatives whose constants match what the object
 * already says (`"type": "select"` offers a select field's properties). For a value: its
 * constants and enums, and `true`/`false` for a boolean.
 */
export function schemaOptions(root: Schema, cursor: JsonCursor): SchemaOption[] {
  const ids = idsOf(root);
  const objectPath = cursor.kind === 'key' ? cursor.path : cursor.path.slice(0, -1);
  let here = expand(root, ids);
  for (const k of objectPath) here = here.flatMap((s) => child(s, k, ids));
  const fits = (s: Schema) =>
    Object.entries(cursor.siblings).every(([k, v]) => {
      const consts = constOf((s.properties as Record<string, Schema> | undefined)?.[k], ids);
      return consts.length === 0 || consts.includes(v);
    });
  const objects = here.filter((s) => s.properties !== undefined).filter(fits);
  if (cursor.kind === 'key') {
    const out = new Map<string, SchemaOption>();
    for (const s of objects)
      for (const [name, p] of Object.entries(s.properties as Record<string, Schema>)) {
        if (name in cursor.siblings || out.has(name)) continue;
        const detail = expand(p, ids).find((x) => typeof x.description === 'string')?.description;
        out.set(name, {
          label: JSON.stringify(name),
          kind: 'property',
          ...(detail ? { detail: String(detail) } : {}),
        });
      }
    return [...out.values()];
  }
  const key = cursor.path.at(-1) as string | number;
  const targets =
    typeof key === 'number'
      ? here.flatMap((s) => child(s, key, ids))
      : objects.flatMap((s) => child(s, key, ids));
  const values = new Set<string>();
  for (const s of targets) {
    for (const v of constOf(s, ids)) values.add(JSON.stringify(v));
    if (s.type === 'boolean') for (const b of ['true', 'false']) values.add(b);
  }
  return [...values].map((label) => ({ label, kind: 'value' }));
}
