import { Kind, type TSchema } from '@sinclair/typebox';
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value';
import { text } from '../i18n.ts';
import { childPointer, type Problem, problem } from './problem.ts';
import { didYouMean } from './suggest.ts';

/**
 * TypeBox schema errors as Problems. The walk over objects, arrays and unions is done here so
 * that every problem gets an exact pointer and a useful hint; leaves (strings, numbers,
 * literals …) are checked by TypeBox's `Value.Errors`.
 *
 * Unions whose members are objects told apart by a literal `type` property (the field types)
 * are resolved by that property: a wrong field is reported against the member it names, not
 * as one "does not match any of 14 schemas" line.
 */
export interface SchemaProblemOptions {
  /** The discriminating property of object unions; `type` by default. */
  readonly discriminator?: string;
  /**
   * Called when a discriminated union has no member for the value's tag (e.g. a field type that
   * a plugin registers). Return the problems of that value — `[]` when it is acceptable — or
   * `undefined` to report `NX_ERR_DEF_UNKNOWN_TYPE`.
   */
  readonly onUnknownTag?: (args: UnknownTagArgs) => Problem[] | undefined;
}

export interface UnknownTagArgs {
  readonly value: Readonly<Record<string, unknown>>;
  readonly pointer: string;
  readonly tag: string;
  readonly known: readonly string[];
}

type Schema = TSchema & Record<string, unknown>;

/** Every problem of `value` against `schema`, with JSON pointers relative to the value's root. */
export function schemaProblems(
  schema: TSchema,
  value: unknown,
  file?: string,
  options: SchemaProblemOptions = {},
): Problem[] {
  const walker = new Walker(file, options);
  walker.collectIds(schema as Schema);
  walker.walk(schema as Schema, value, '');
  return walker.problems;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const kindOf = (s: Schema): string => String(s[Kind] ?? '');

const TYPE_NAMES: Record<string, [zh: string, en: string]> = {
  string: ['字符串', 'a string'],
  number: ['数字', 'a number'],
  integer: ['整数', 'an integer'],
  boolean: ['布尔值 true/false', 'true or false'],
  object: ['对象 {…}', 'an object {…}'],
  array: ['数组 […]', 'an array […]'],
  null: ['null', 'null'],
};

/** JSON type of a value, as a schema names it. */
export function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const typeName = (t: string, lang: 0 | 1): string => TYPE_NAMES[t]?.[lang] ?? t;
const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

class Walker {
  readonly problems: Problem[] = [];
  private readonly ids = new Map<string, Schema>();
  private readonly discriminator: string;

  constructor(
    private readonly file: string | undefined,
    private readonly options: SchemaProblemOptions,
  ) {
    this.discriminator = options.discriminator ?? 'type';
  }

  /** Recursive schemas refer to themselves by `$id`; index them so `This`/`Ref` can be followed. */
  collectIds(s: unknown, seen = new Set<unknown>()): void {
    if (!isRecord(s) || seen.has(s)) return;
    seen.add(s);
    if (typeof s.$id === 'string') this.ids.set(s.$id, s as Schema);
    for (const v of Object.values(s)) {
      if (Array.isArray(v)) for (const x of v) this.collectIds(x, seen);
      else this.collectIds(v, seen);
    }
  }

  private add(
    code: string,
    pointer: string,
    message: [string, string],
    hint: [string, string],
    params?: Record<string, unknown>,
  ) {
    this.problems.push(
      problem(code, pointer, text(...message), text(...hint), {
        file: this.file,
        ...(params ? { params } : {}),
      }),
    );
  }

  private resolve(s: Schema): Schema {
    const k = kindOf(s);
    if ((k === 'This' || k === 'Ref') && typeof s.$ref === 'string') return this.ids.get(s.$ref) ?? s;
    return s;
  }

  walk(raw: Schema, value: unknown, pointer: string): void {
    const s = this.resolve(raw);
    switch (kindOf(s)) {
      case 'Object':
        this.walkObject(s, value, pointer);
        return;
      case 'Array':
        this.walkArray(s, value, pointer);
        return;
      case 'Union':
        this.walkUnion(s, value, pointer);
        return;
      case 'Unknown':
      case 'Any':
        return;
      default:
        this.leaf(s, value, pointer);
        return;
    }
  }

  private wrongType(expected: string[], value: unknown, pointer: string): void {
    const actual = jsonTypeOf(value);
    this.add(
      'NX_ERR_DEF_WRONG_TYPE',
      pointer,
      [
        `应为${expected.map((t) => typeName(t, 0)).join('或')}，实际是${typeName(actual, 0)}`,
        `Expected ${expected.map((t) => typeName(t, 1)).join(' or ')}, got ${typeName(actual, 1)}`,
      ],
      [
        `把 ${show(value)} 改为${typeName(expected[0] ?? '', 0)}`,
        `Write ${typeName(expected[0] ?? '', 1)} here`,
      ],
      { expected, actual },
    );
  }

  private walkObject(s: Schema, value: unknown, pointer: string): void {
    if (!isRecord(value)) {
      this.wrongType(['object'], value, pointer);
      return;
    }
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const names = Object.keys(props);
    for (const name of (s.required as string[] | undefined) ?? []) {
      if (value[name] !== undefined) continue;
      this.add(
        'NX_ERR_DEF_MISSING_PROPERTY',
        pointer,
        [`缺少必填属性 "${name}"`, `Missing required property "${name}"`],
        [`添加 "${name}"${describe(props[name], 0)}`, `Add "${name}"${describe(props[name], 1)}`],
        { property: name },
      );
    }
    for (const [key, v] of Object.entries(value)) {
      const ps = props[key];
      if (ps) {
        this.walk(ps, v, childPointer(pointer, key));
      } else if (s.additionalProperties === false) {
        const guess = didYouMean(key, names);
        this.add(
          'NX_ERR_DEF_UNKNOWN_PROPERTY',
          childPointer(pointer, key),
          [`未知属性 "${key}"`, `Unknown property "${key}"`],
          guess
            ? [`是否应为 "${guess}"？`, `Did you mean "${guess}"?`]
            : [`此处可用的属性：${names.join(', ')}`, `Properties allowed here: ${names.join(', ')}`],
          { property: key, ...(guess ? { suggestion: guess } : {}) },
        );
      } else if (isRecord(s.additionalProperties)) {
        this.walk(s.additionalProperties as Schema, v, childPointer(pointer, key));
      }
    }
  }

  private walkArray(s: Schema, value: unknown, pointer: string): void {
    if (!Array.isArray(value)) {
      this.wrongType(['array'], value, pointer);
      return;
    }
    const min = typeof s.minItems === 'number' ? s.minItems : undefined;
    const max = typeof s.maxItems === 'number' ? s.maxItems : undefined;
    if (min !== undefined && value.length < min) {
      this.add(
        'NX_ERR_DEF_OUT_OF_RANGE',
        pointer,
        [`至少需要 ${min} 项，现有 ${value.length} 项`, `Needs at least ${min} item(s), has ${value.length}`],
        [`至少添加 ${min} 项`, `Add at least ${min} item(s)`],
        { minItems: min, actual: value.length },
      );
    }
    if (max !== undefined && value.length > max) {
      this.add(
        'NX_ERR_DEF_OUT_OF_RANGE',
        pointer,
        [`最多允许 ${max} 项，现有 ${value.length} 项`, `Allows at most ${max} item(s), has ${value.length}`],
        [`删去多余的项`, `Remove the extra items`],
        { maxItems: max, actual: value.length },
      );
    }
    if (isRecord(s.items))
      for (const [i, item] of value.entries()) this.walk(s.items as Schema, item, childPointer(pointer, i));
  }

  /** Members of a union with nested unions and self-references flattened. */
  private members(s: Schema, out: Schema[] = []): Schema[] {
    for (const m of (s.anyOf as Schema[] | undefined) ?? []) {
      const r = this.resolve(m);
      if (kindOf(r) === 'Union') this.members(r, out);
      else out.push(r);
    }
    return out;
  }

  private tagOf(member: Schema): string | undefined {
    if (kindOf(member) !== 'Object') return undefined;
    const p = (member.properties as Record<string, Schema> | undefined)?.[this.discriminator];
    return p && kindOf(p) === 'Literal' && typeof p.const === 'string' ? p.const : undefined;
  }

  private walkUnion(s: Schema, value: unknown, pointer: string): void {
    const members = this.members(s);
    const tags = members.map((m) => this.tagOf(m));
    if (tags.length > 0 && tags.every((t) => t !== undefined)) {
      this.walkTagged(members, tags as string[], value, pointer);
      return;
    }
    const refs = [...this.ids.values()];
    if (members.some((m) => Value.Check(m, refs, value))) return;
    if (members.every((m) => kindOf(m) === 'Literal')) {
      const allowed = members.map((m) => m.const);
      this.add(
        'NX_ERR_DEF_NOT_ALLOWED',
        pointer,
        [`不允许的取值 ${show(value)}`, `${show(value)} is not allowed`],
        [`可选值：${allowed.map(show).join(', ')}`, `Allowed values: ${allowed.map(show).join(', ')}`],
        { allowed },
      );
      return;
    }
    // When exactly one member has the value's JSON type, its own errors are the useful ones.
    const actual = jsonTypeOf(value);
    const sameType = members.filter((m) => {
      const t = String(m.type ?? '');
      return t === actual || (t === 'number' && actual === 'integer');
    });
    const only = sameType[0];
    if (sameType.length === 1 && only) {
      this.walk(only, value, pointer);
      return;
    }
    this.wrongType(
      [...new Set(members.map((m) => String(m.type ?? kindOf(m).toLowerCase())))],
      value,
      pointer,
    );
  }

  private walkTagged(members: Schema[], tags: string[], value: unknown, pointer: string): void {
    if (!isRecord(value)) {
      this.wrongType(['object'], value, pointer);
      return;
    }
    const tag = value[this.discriminator];
    const known = [...new Set(tags)];
    if (typeof tag !== 'string') {
      this.add(
        tag === undefined ? 'NX_ERR_DEF_MISSING_PROPERTY' : 'NX_ERR_DEF_WRONG_TYPE',
        tag === undefined ? pointer : childPointer(pointer, this.discriminator),
        [`缺少或无效的 "${this.discriminator}"`, `Missing or invalid "${this.discriminator}"`],
        [
          `"${this.discriminator}" 可选：${known.join(', ')}`,
          `"${this.discriminator}" is one of: ${known.join(', ')}`,
        ],
        { property: this.discriminator, known },
      );
      return;
    }
    const index = tags.indexOf(tag);
    const member = members[index];
    if (member) {
      this.walk(member, value, pointer);
      return;
    }
    const custom = this.options.onUnknownTag?.({ value, pointer, tag, known });
    if (custom) {
      this.problems.push(...custom);
      return;
    }
    this.problems.push(unknownTypeProblem(tag, childPointer(pointer, this.discriminator), known, this.file));
  }

  private leaf(s: Schema, value: unknown, pointer: string): void {
    for (const e of Value.Errors(s, [...this.ids.values()], value))
      this.problems.push(this.fromValueError(e, pointer));
  }

  private fromValueError(e: ValueError, base: string): Problem {
    const pointer = base + e.path;
    const s = e.schema as Schema;
    const v = e.value;
    const desc = typeof s.description === 'string' ? s.description : undefined;
    const mk = (
      code: string,
      message: [string, string],
      hint: [string, string],
      params?: Record<string, unknown>,
    ) =>
      problem(code, pointer, text(...message), text(...hint), {
        file: this.file,
        ...(params ? { params } : {}),
      });
    switch (e.type) {
      case ValueErrorType.String:
        return mk(...wrong('string', v));
      case ValueErrorType.Number:
        return mk(...wrong('number', v));
      case ValueErrorType.Integer:
        return mk(...wrong('integer', v));
      case ValueErrorType.Boolean:
        return mk(...wrong('boolean', v));
      case ValueErrorType.Literal:
        return mk(
          'NX_ERR_DEF_NOT_ALLOWED',
          [`应为 ${show(s.const)}，实际是 ${show(v)}`, `Expected ${show(s.const)}, got ${show(v)}`],
          [`改为 ${show(s.const)}`, `Write ${show(s.const)}`],
          { allowed: [s.const] },
        );
      case ValueErrorType.StringPattern:
        return mk(
          'NX_ERR_DEF_PATTERN',
          [`${show(v)} 的格式不对`, `${show(v)} does not match the required format`],
          desc
            ? [`格式：${desc}（正则 ${String(s.pattern)}）`, `Format: ${desc} (pattern ${String(s.pattern)})`]
            : [`应匹配正则 ${String(s.pattern)}`, `Must match the pattern ${String(s.pattern)}`],
          { pattern: s.pattern },
        );
      case ValueErrorType.StringMinLength:
      case ValueErrorType.StringMaxLength:
      case ValueErrorType.NumberMinimum:
      case ValueErrorType.NumberMaximum:
      case ValueErrorType.IntegerMinimum:
      case ValueErrorType.IntegerMaximum:
      case ValueErrorType.NumberExclusiveMinimum:
      case ValueErrorType.NumberExclusiveMaximum:
        return mk(
          'NX_ERR_DEF_OUT_OF_RANGE',
          [`${show(v)} 超出允许范围`, `${show(v)} is out of range: ${e.message}`],
          [rangeHint(s, 0), rangeHint(s, 1)],
        );
      default:
        return mk(
          'NX_ERR_DEF_SCHEMA',
          [`不符合定义结构：${e.message}`, e.message],
          ['对照 schemas/form.schema.json 修改', 'Compare with the JSON Schema in schemas/'],
        );
    }
  }
}

function wrong(
  expected: string,
  v: unknown,
): [string, [string, string], [string, string], Record<string, unknown>] {
  const actual = jsonTypeOf(v);
  return [
    'NX_ERR_DEF_WRONG_TYPE',
    [
      `应为${typeName(expected, 0)}，实际是${typeName(actual, 0)}`,
      `Expected ${typeName(expected, 1)}, got ${typeName(actual, 1)}`,
    ],
    [`把 ${show(v)} 改为${typeName(expected, 0)}`, `Write ${typeName(expected, 1)} here`],
    { expected: [expected], actual },
  ];
}

function rangeHint(s: Schema, lang: 0 | 1): string {
  const parts: string[] = [];
  const zh = lang === 0;
  if (typeof s.minLength === 'number')
    parts.push(zh ? `长度至少 ${s.minLength}` : `length at least ${s.minLength}`);
  if (typeof s.maxLength === 'number')
    parts.push(zh ? `长度至多 ${s.maxLength}` : `length at most ${s.maxLength}`);
  if (typeof s.minimum === 'number') parts.push(zh ? `不小于 ${s.minimum}` : `at least ${s.minimum}`);
  if (typeof s.maximum === 'number') parts.push(zh ? `不大于 ${s.maximum}` : `at most ${s.maximum}`);
  if (typeof s.exclusiveMinimum === 'number')
    parts.push(zh ? `大于 ${s.exclusiveMinimum}` : `above ${s.exclusiveMinimum}`);
  if (typeof s.exclusiveMaximum === 'number')
    parts.push(zh ? `小于 ${s.exclusiveMaximum}` : `below ${s.exclusiveMaximum}`);
  return parts.join(zh ? '，' : ', ') || (zh ? '调整取值' : 'Adjust the value');
}

/** A short reminder of what a missing property holds, taken from its schema. */
function describe(s: Schema | undefined, lang: 0 | 1): string {
  if (!s) return '';
  if (typeof s.description === 'string') return lang === 0 ? `（${s.description}）` : ` (${s.description})`;
  const t = typeof s.type === 'string' ? s.type : undefined;
  return t ? (lang === 0 ? `（${typeName(t, 0)}）` : ` (${typeName(t, 1)})`) : '';
}

/** The problem for a `type` no one knows, listing those that exist (reused by the form loader). */
export function unknownTypeProblem(
  tag: string,
  pointer: string,
  known: readonly string[],
  file?: string,
): Problem {
  const guess = didYouMean(tag, known);
  const list = known.join(', ');
  return problem(
    'NX_ERR_DEF_UNKNOWN_TYPE',
    pointer,
    text(`未知字段类型 "${tag}"`, `Unknown field type "${tag}"`),
    guess
      ? text(`是否应为 "${guess}"？可用类型：${list}`, `Did you mean "${guess}"? Known types: ${list}`)
      : text(`可用类型：${list}`, `Known types: ${list}`),
    { file, params: { type: tag, known: [...known], ...(guess ? { suggestion: guess } : {}) } },
  );
}
