import { text } from '../i18n.ts';
import { type Problem, problem } from './problem.ts';

/**
 * Shape limits of untrusted JSON, checked by a walk that keeps its own stack (no recursion), so a
 * value nested 100,000 levels deep is refused instead of overflowing the stack of the code that
 * would walk it next (hashing, loaders, rule compilers).
 */

/** Deepest JSON accepted in a request body or a definition (objects and arrays nested). */
export const MAX_JSON_DEPTH = 100;
/** Most JSON values (objects, arrays, scalars) in one definition. */
export const MAX_DEFINITION_NODES = 100_000;
/** Longest array literal in a definition (options lists, constant arrays in rules …). */
export const MAX_DEFINITION_ARRAY = 10_000;

export interface JsonLimits {
  readonly depth: number;
  readonly nodes?: number;
  readonly arrayItems?: number;
}

export interface ShapeFault {
  readonly kind: 'depth' | 'nodes' | 'array';
  /** JSON pointer of the value that broke the limit. */
  readonly pointer: string;
  readonly limit: number;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string;
}

/** The first place `value` breaks `limits`, or undefined when it keeps them. */
export function jsonShapeFault(value: unknown, limits: JsonLimits): ShapeFault | undefined {
  const maxNodes = limits.nodes ?? Number.POSITIVE_INFINITY;
  const maxItems = limits.arrayItems ?? Number.POSITIVE_INFINITY;
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    nodes++;
    if (nodes > maxNodes) return { kind: 'nodes', pointer: '', limit: maxNodes };
    const v = frame.value;
    if (v === null || typeof v !== 'object') continue;
    const depth = frame.depth + 1;
    if (depth > limits.depth) return { kind: 'depth', pointer: pointerOf(frame), limit: limits.depth };
    if (Array.isArray(v)) {
      if (v.length > maxItems) return { kind: 'array', pointer: pointerOf(frame), limit: maxItems };
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], depth, parent: frame, key: String(i) });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push({ value: (v as Record<string, unknown>)[k], depth, parent: frame, key: k });
      }
    }
  }
  return undefined;
}

function pointerOf(frame: Frame): string {
  const keys: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) {
    keys.push(f.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  return keys.length === 0 ? '' : `/${keys.reverse().join('/')}`;
}

/**
 * The size limits every definition loader checks first (forms, overlays, workflows, rulesets,
 * reports): nesting depth, number of values, length of each array. One problem at most, since a
 * definition past them is not walked any further.
 */
export function definitionLimitProblems(json: unknown, file?: string): Problem[] {
  const fault = jsonShapeFault(json, {
    depth: MAX_JSON_DEPTH,
    nodes: MAX_DEFINITION_NODES,
    arrayItems: MAX_DEFINITION_ARRAY,
  });
  if (fault === undefined) return [];
  const params = { limit: fault.limit };
  switch (fault.kind) {
    case 'depth':
      return [
        problem(
          'NX_ERR_DEF_TOO_DEEP',
          fault.pointer,
          text(
            `定义嵌套超过 ${fault.limit} 层`,
            `The definition is nested more than ${fault.limit} levels deep`,
          ),
          text(
            '把深层嵌套的规则拆平（如用 and/or 的多个参数代替层层嵌套）',
            'Flatten the nesting (e.g. give and/or several arguments instead of nesting them)',
          ),
          { file, params },
        ),
      ];
    case 'nodes':
      return [
        problem(
          'NX_ERR_DEF_TOO_LARGE',
          fault.pointer,
          text(`定义包含的值超过 ${fault.limit} 个`, `The definition holds more than ${fault.limit} values`),
          text('把定义拆成几份（如多张表单或规则集）', 'Split the definition (several forms or rulesets)'),
          { file, params },
        ),
      ];
    case 'array':
      return [
        problem(
          'NX_ERR_DEF_ARRAY_TOO_LONG',
          fault.pointer,
          text(`数组超过 ${fault.limit} 项`, `The array has more than ${fault.limit} items`),
          text(
            '长列表放在参数或数据里，不要写进定义',
            'Keep long lists in parameters or data, not in the definition',
          ),
          { file, params },
        ),
      ];
  }
}
