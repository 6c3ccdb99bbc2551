import { type Text, text } from '../i18n.ts';
import {
  compileFieldPattern,
  type FieldPattern,
  isPatternFault,
  MAX_PATTERN_LENGTH,
  MAX_PATTERN_PROGRAM,
  type PatternFaultKind,
} from '../runtime/pattern.ts';
import type { FieldEntry } from './form-outline.ts';
import { childPointer, type Problem, problem } from './problem.ts';

/**
 * Checks of one field on its own (no other field involved): duplicate option values, a pattern
 * that the linear-time engine cannot run, a lower limit above the upper one, a default that its own field
 * would reject, and a `calculate` on a field that holds no single value.
 */
export function fieldProblems(entry: FieldEntry, file?: string): Problem[] {
  const out: Problem[] = [];
  const f = entry.raw;
  const add = (code: string, pointer: string, message: Text, hint: Text, params?: Record<string, unknown>) =>
    out.push(problem(code, pointer, message, hint, { file, ...(params ? { params } : {}) }));

  if (Array.isArray(f.options)) {
    const first = new Map<string, number>();
    for (const [i, o] of f.options.entries()) {
      if (typeof o !== 'object' || o === null || !('value' in o)) continue;
      // 1 and "1" collide: a browser posts option values as strings and they are coerced back.
      const key = String((o as { value: unknown }).value);
      const j = first.get(key);
      if (j === undefined) {
        first.set(key, i);
        continue;
      }
      add(
        'NX_ERR_DEF_DUPLICATE_OPTION',
        childPointer(entry.pointer, 'options', i, 'value'),
        text(
          `选项值 "${key}" 重复（第 ${j + 1} 项已使用）`,
          `Option value "${key}" is repeated (already used by option ${j + 1})`,
        ),
        text('每个选项的 value 必须唯一；改用新的值', 'Each option needs its own value; pick a new one'),
        { value: key, first: childPointer(entry.pointer, 'options', j, 'value') },
      );
    }
  }

  const compiled = typeof f.pattern === 'string' ? compileFieldPattern(f.pattern) : undefined;
  const regex = compiled !== undefined && !isPatternFault(compiled) ? compiled : undefined;
  if (compiled !== undefined && isPatternFault(compiled)) {
    const [code, zh, en, hintZh, hintEn] = PATTERN_FAULTS[compiled.fault];
    add(
      code,
      childPointer(entry.pointer, 'pattern'),
      text(`${zh}：${compiled.detail}`, `${en}: ${compiled.detail}`),
      text(hintZh, hintEn),
      { pattern: f.pattern, fault: compiled.fault },
    );
  }

  for (const [lo, hi] of [
    ['min', 'max'],
    ['minLength', 'maxLength'],
    ['minRows', 'maxRows'],
    ['minItems', 'maxItems'],
  ] as const) {
    const a = f[lo];
    const b = f[hi];
    const comparable = (typeof a === 'number' && typeof b === 'number') || (isDate(a) && isDate(b));
    if (comparable && (a as number | string) > (b as number | string)) {
      add(
        'NX_ERR_DEF_MIN_ABOVE_MAX',
        childPointer(entry.pointer, lo),
        text(
          `${lo} (${String(a)}) 大于 ${hi} (${String(b)})`,
          `${lo} (${String(a)}) is above ${hi} (${String(b)})`,
        ),
        text(`把 ${lo} 调到不大于 ${hi}，或交换两者`, `Make ${lo} at most ${hi}, or swap them`),
        { [lo]: a, [hi]: b },
      );
    }
  }

  if (f.calculate !== undefined && (entry.type === 'table' || entry.type === 'group')) {
    add(
      'NX_ERR_DEF_CALC_NOT_ALLOWED',
      childPointer(entry.pointer, 'calculate'),
      text(
        `${entry.type === 'table' ? '表格' : '分组'}不能设置 calculate`,
        `A ${entry.type} cannot have "calculate"`,
      ),
      entry.type === 'table'
        ? text(
            '把 calculate 放在表格的列上（按行计算），或放在表格外的汇总字段上',
            'Put calculate on a column (per row), or on a summary field outside the table',
          )
        : text(
            '分组不保存数据；把 calculate 放在组内的字段上',
            'A group holds no data; put calculate on a field inside it',
          ),
    );
  }

  if (f.default !== undefined && entry.type !== undefined) {
    const why = defaultFault(entry.type, f.default, f, regex);
    if (why) {
      add(
        'NX_ERR_DEF_BAD_DEFAULT',
        childPointer(entry.pointer, 'default'),
        text(
          `默认值 ${JSON.stringify(f.default)} 不合本字段：${why['zh-CN']}`,
          `Default ${JSON.stringify(f.default)} does not fit this field: ${why.en}`,
        ),
        text('改正默认值，或删去 default', 'Correct the default, or remove it'),
        { default: f.default },
      );
    }
  }
  return out;
}

/** Code, message (zh, en) and fix hint (zh, en) for each way a pattern cannot be used. */
const PATTERN_FAULTS: Record<PatternFaultKind, readonly [string, string, string, string, string]> = {
  syntax: [
    'NX_ERR_DEF_BAD_REGEX',
    '正则表达式无效',
    'Invalid regular expression',
    '使用 RE2 能运行的 ECMAScript 正则语法；JSON 中反斜杠要写两次，如 "^\\\\d{6}$"',
    'Use ECMAScript syntax that RE2 can run; in JSON a backslash is written twice, e.g. "^\\\\d{6}$"',
  ],
  unsupported: [
    'NX_ERR_DEF_REGEX_UNSUPPORTED',
    '正则表达式需要回溯，不能使用',
    'The regular expression needs backtracking and cannot be used',
    '去掉反向引用和前后断言；需要时改用 constraints 中的规则（如 {"!":{"in":[…]}}）另行检查',
    'Remove backreferences and lookarounds; check that part with a rule in constraints instead',
  ],
  'too-long': [
    'NX_ERR_DEF_REGEX_TOO_COMPLEX',
    '正则表达式过长',
    'The regular expression is too long',
    `正则最多 ${MAX_PATTERN_LENGTH} 个字符；拆成更简单的格式，其余用 constraints 检查`,
    `A pattern has at most ${MAX_PATTERN_LENGTH} characters; simplify it and check the rest with constraints`,
  ],
  'too-complex': [
    'NX_ERR_DEF_REGEX_TOO_COMPLEX',
    '正则表达式过于复杂',
    'The regular expression is too complex',
    `编译后最多 ${MAX_PATTERN_PROGRAM} 条指令；减少重复次数（如 {1000}）或拆分检查`,
    `At most ${MAX_PATTERN_PROGRAM} compiled instructions; lower repeat counts (such as {1000}) or split the check`,
  ],
};

/** A real calendar date written YYYY-MM-DD (so 2021-02-30 is refused). */
export function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const optionValues = (f: Readonly<Record<string, unknown>>): string[] =>
  Array.isArray(f.options)
    ? f.options.flatMap((o) => (typeof o === 'object' && o !== null && 'value' in o ? [String(o.value)] : []))
    : [];

/** Why `v` would be refused as the value of a field of this type, or undefined when it fits. */
function defaultFault(
  type: string,
  v: unknown,
  f: Readonly<Record<string, unknown>>,
  regex: FieldPattern | undefined,
): Text | undefined {
  const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
  const inRange = (x: number | string): Text | undefined => {
    const min = f.min as number | string | undefined;
    const max = f.max as number | string | undefined;
    if (min !== undefined && typeof min === typeof x && x < min)
      return text(`小于下限 ${min}`, `below min ${min}`);
    if (max !== undefined && typeof max === typeof x && x > max)
      return text(`大于上限 ${max}`, `above max ${max}`);
    return undefined;
  };
  switch (type) {
    case 'text':
    case 'textarea': {
      if (typeof v !== 'string') return text('应为字符串', 'expected a string');
      const min = num(f.minLength);
      const max = num(f.maxLength);
      if (min !== undefined && [...v].length < min)
        return text(`短于 ${min} 个字符`, `shorter than ${min} characters`);
      if (max !== undefined && [...v].length > max)
        return text(`长于 ${max} 个字符`, `longer than ${max} characters`);
      if (regex && !regex.test(v)) return text(`不匹配 pattern`, `does not match the pattern`);
      return undefined;
    }
    case 'phone':
    case 'idcard':
    case 'orgunit':
      return typeof v === 'string' ? undefined : text('应为字符串', 'expected a string');
    case 'integer':
      return Number.isInteger(v) ? inRange(v as number) : text('应为整数', 'expected an integer');
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? inRange(v) : text('应为数字', 'expected a number');
    case 'money':
      if (typeof v !== 'number' || !Number.isFinite(v)) return text('应为金额数字', 'expected an amount');
      if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6)
        return text('金额最多两位小数（分）', 'at most 2 decimals (fen)');
      return inRange(v);
    case 'date':
      return isDate(v) ? inRange(v) : text('应为有效日期 YYYY-MM-DD', 'expected a valid date YYYY-MM-DD');
    case 'boolean':
      return typeof v === 'boolean' ? undefined : text('应为 true 或 false', 'expected true or false');
    case 'select': {
      const values = optionValues(f);
      return values.includes(String(v))
        ? undefined
        : text(`不在选项中（${values.join(', ')}）`, `not an option (${values.join(', ')})`);
    }
    case 'multiselect': {
      if (!Array.isArray(v)) return text('应为选项值数组', 'expected an array of option values');
      const values = optionValues(f);
      const bad = v.find((x) => !values.includes(String(x)));
      if (bad !== undefined)
        return text(`${JSON.stringify(bad)} 不在选项中`, `${JSON.stringify(bad)} is not an option`);
      const min = num(f.minItems);
      const max = num(f.maxItems);
      if (min !== undefined && v.length < min) return text(`少于 ${min} 项`, `fewer than ${min} items`);
      if (max !== undefined && v.length > max) return text(`多于 ${max} 项`, `more than ${max} items`);
      return undefined;
    }
    case 'table': {
      if (!Array.isArray(v) || v.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
        return text('应为行对象的数组', 'expected an array of row objects');
      }
      const min = num(f.minRows);
      const max = num(f.maxRows);
      if (min !== undefined && v.length < min) return text(`少于 ${min} 行`, `fewer than ${min} rows`);
      if (max !== undefined && v.length > max) return text(`多于 ${max} 行`, `more than ${max} rows`);
      return undefined;
    }
    default:
      // Plugin field types validate their own values at run time.
      return undefined;
  }
}
