import { describe, expect, it } from 'vitest';
import { compileLogic } from '../../../engine/logic/compile.ts';
import { createOperationRegistry, defaultOperationRegistry } from '../../../engine/logic/registry.ts';
import type { OperationDefinition } from '../../../engine/logic/types.ts';

const STANDARD = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'cat',
  'substr',
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  'merge',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'log',
];
const CUSTOM = [
  'idcard_age',
  'idcard_sex',
  'idcard_birthdate',
  'idcard_valid',
  'sum',
  'count',
  'round',
  'date_diff',
  'today',
];

describe('createOperationRegistry', () => {
  it('holds every standard and custom operation, each with arity and a description', () => {
    const reg = createOperationRegistry();
    for (const name of [...STANDARD, ...CUSTOM]) {
      const op = reg.get(name);
      expect(op, name).toBeDefined();
      expect(op?.description?.length, name).toBeGreaterThan(0);
      expect(op?.arity, name).toHaveLength(2);
    }
    expect(reg.names().sort()).toEqual([...STANDARD, ...CUSTOM].sort());
  });

  it('treats prototype names as unknown operations', () => {
    const reg = createOperationRegistry();
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty'])
      expect(reg.has(name)).toBe(false);
  });

  it('fork() adds operations without changing the original', () => {
    const base = createOperationRegistry();
    const fork = base.fork();
    const double: OperationDefinition = {
      name: 'double',
      arity: [1, 1],
      compile:
        ([a]) =>
        (env) =>
          Number(a?.(env)) * 2,
    };
    fork.register(double);
    expect(fork.has('double')).toBe(true);
    expect(base.has('double')).toBe(false);
    expect(compileLogic({ double: { var: 'x' } }, fork)({ data: { x: 21 } })).toBe(42);
    expect(() => compileLogic({ double: 1 }, base)).toThrow(/NX_ERR_LOGIC_UNKNOWN_OP/);
  });

  it('returns independent registries, and the default one is read-only', () => {
    const a = createOperationRegistry();
    a.register({ name: 'x1', compile: () => () => 1 });
    expect(createOperationRegistry().has('x1')).toBe(false);
    expect(() => defaultOperationRegistry().register({ name: 'x2', compile: () => () => 2 })).toThrow(
      /NX_ERR_LOGIC_SEALED_REGISTRY/,
    );
    expect(defaultOperationRegistry().fork().has('sum')).toBe(true);
  });
});
