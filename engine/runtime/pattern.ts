import { NxError } from '../errors/nx-error.ts';
import { type PatternEngine, patternEngine } from './pattern-engine.ts';

/**
 * Field patterns run on RE2JS (a pure-JS port of RE2): matching takes time linear in the value,
 * whatever the pattern, in Node and in the page alike, so `^(a+)+$` cannot stall the server or
 * the browser. The syntax is ECMAScript's where RE2 has the same feature; what needs
 * backtracking (backreferences, lookahead, lookbehind) is refused when the definition is loaded.
 */

/** Longest pattern source a definition may give, in characters. */
export const MAX_PATTERN_LENGTH = 1000;
/** Largest compiled program (RE2 instructions); `[\p{Han}]{1000}` is about 1,000. */
export const MAX_PATTERN_PROGRAM = 2000;
/** Longest value a pattern is run on; a longer value is refused as too long. */
export const MAX_PATTERN_INPUT = 10_000;

export interface FieldPattern {
  /** True when the pattern occurs somewhere in `s` (like `RegExp.prototype.test`, unanchored). */
  test(s: string): boolean;
}

export type PatternFaultKind = 'syntax' | 'unsupported' | 'too-long' | 'too-complex';

export interface PatternFault {
  readonly fault: PatternFaultKind;
  /** The engine's or the scanner's explanation, in English (it quotes the pattern). */
  readonly detail: string;
}

/** Compiles a definition's pattern, or says why it cannot run on the linear-time engine. */
export function compileFieldPattern(source: string): FieldPattern | PatternFault {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { fault: 'too-long', detail: `${source.length} characters (at most ${MAX_PATTERN_LENGTH})` };
  }
  const unsupported = backtrackingFeature(source);
  if (unsupported !== undefined) return { fault: 'unsupported', detail: unsupported };
  const RE2JS = patternEngine();
  if (RE2JS === undefined) {
    throw new NxError('NX_ERR_RUNTIME_PATTERN_ENGINE', 500, {
      'zh-CN': '正则表达式引擎尚未加载：编译含 pattern 的表单前须先调用 loadPatternEngine()',
      en: 'The pattern engine is not loaded: call loadPatternEngine() before compiling a form with patterns',
    });
  }
  let re: ReturnType<PatternEngine['compile']>;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(scriptProperties(source)));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { fault: 'syntax', detail: msg.replace(/^error parsing regexp:\s*/, '') };
  }
  const size = re.programSize();
  if (size > MAX_PATTERN_PROGRAM) {
    return { fault: 'too-complex', detail: `${size} instructions (at most ${MAX_PATTERN_PROGRAM})` };
  }
  return { test: (s) => re.test(s) };
}

/** True when some field of `def` (a form definition, any nesting) has a `pattern`. */
export function hasFieldPatterns(def: unknown): boolean {
  if (Array.isArray(def)) return def.some(hasFieldPatterns);
  if (def === null || typeof def !== 'object') return false;
  const o = def as Record<string, unknown>;
  if (typeof o.pattern === 'string' && typeof o.type === 'string') return true;
  return Object.values(o).some(hasFieldPatterns);
}

export function isPatternFault(p: FieldPattern | PatternFault): p is PatternFault {
  return (p as PatternFault).fault !== undefined;
}

/**
 * ECMAScript writes a script property `\p{Script=Han}` or `\p{sc=Han}`; RE2 writes `\p{Han}`.
 * Escaped backslashes are skipped so `\\p{…}` (a literal backslash) stays as it is.
 */
function scriptProperties(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = source[i + 1];
    if ((next === 'p' || next === 'P') && source[i + 2] === '{') {
      const close = source.indexOf('}', i + 3);
      const body = close < 0 ? '' : source.slice(i + 3, close);
      const eq = body.indexOf('=');
      const key = eq < 0 ? '' : body.slice(0, eq);
      if (key === 'Script' || key === 'sc' || key === 'Script_Extensions' || key === 'scx') {
        out += `\\${next}{${body.slice(eq + 1)}}`;
        i = close;
        continue;
      }
    }
    out += c + (next ?? '');
    i++;
  }
  return out;
}

/** Names the first backtracking-only construct in `source` (outside character classes), if any. */
function backtrackingFeature(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return `backreference \\${next}`;
      if (!inClass && next === 'k' && source[i + 2] === '<') return 'named backreference \\k<…>';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (source[i + 1] === ']') i++; // `[]…]` is not special in RE2, but `[]` is empty in ECMAScript
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const a = source[i + 2];
      const b = source[i + 3];
      if (a === '=') return 'lookahead (?=…)';
      if (a === '!') return 'negative lookahead (?!…)';
      if (a === '<' && b === '=') return 'lookbehind (?<=…)';
      if (a === '<' && b === '!') return 'negative lookbehind (?<!…)';
    }
  }
  return undefined;
}
