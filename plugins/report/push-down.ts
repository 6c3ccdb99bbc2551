import { defaultOperationRegistry, type OperationRegistry } from '../../engine/entry/runtime.ts';
import type { ReportOutputTest } from './rules-port.ts';

/**
 * The tests a list's filter makes on decision outputs that every row it keeps passes: the filter
 * itself, or each operand of a top-level `and`, when it is `{"var":"decision.x"}` (truthy),
 * `{"!!": …}` of one, `{"!": …}` of one (falsy), or `==` / `===` between one and a literal. The
 * rules plugin says in SQL those it can say exactly (an output with a typed column) and the rows
 * read are still judged by the whole filter, so the rows listed are the same either way: a test
 * here is only a way to read fewer rows. Nothing is taken from a filter whose operations a
 * plugin has replaced.
 */
export function decisionTests(filter: unknown, operations?: OperationRegistry): ReportOutputTest[] {
  const standard = defaultOperationRegistry();
  const isStandard = (op: string) => !operations || operations.get(op) === standard.get(op);
  if (!['and', 'var', '!', '!!', '==', '==='].every(isStandard)) return [];
  const out: ReportOutputTest[] = [];
  const walk = (rule: unknown, depth: number) => {
    const one = single(rule);
    if (!one || depth > 20) return;
    const [op, arg] = one;
    if (op === 'and') {
      if (Array.isArray(arg)) for (const a of arg) walk(a, depth + 1);
      return;
    }
    const read = outputRead(rule);
    if (read !== undefined) {
      out.push({ output: read, test: 'truthy' });
      return;
    }
    if (op === '!!' || op === '!') {
      const operand = Array.isArray(arg) ? (arg.length === 1 ? arg[0] : undefined) : arg;
      const o = outputRead(operand);
      if (o !== undefined) out.push({ output: o, test: op === '!!' ? 'truthy' : 'falsy' });
      return;
    }
    if ((op === '==' || op === '===') && Array.isArray(arg) && arg.length === 2) {
      const [a, b] = arg as [unknown, unknown];
      const [o, v] = outputRead(a) !== undefined ? [outputRead(a), b] : [outputRead(b), a];
      if (o !== undefined && isLiteral(v)) out.push({ output: o, test: 'equals', value: v });
    }
  };
  walk(filter, 0);
  return out;
}

/** The one operation of a rule object, with its argument. */
function single(rule: unknown): [string, unknown] | undefined {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return undefined;
  const op = keys[0] as string;
  return [op, (rule as Record<string, unknown>)[op]];
}

/** `x` of `{"var":"decision.x"}` (or `["decision.x"]`, no default), else undefined. */
function outputRead(rule: unknown): string | undefined {
  const one = single(rule);
  if (one?.[0] !== 'var') return undefined;
  const arg = one[1];
  const path = Array.isArray(arg) ? (arg.length === 1 ? arg[0] : undefined) : arg;
  if (typeof path !== 'string') return undefined;
  const m = /^decision\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
  return m?.[1];
}

function isLiteral(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
