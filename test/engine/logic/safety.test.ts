import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { compileLogic } from '../../../engine/logic/compile.ts';

/** No rule can reach a prototype, a function or a global, whatever the rule and the data. */
describe('rule safety', () => {
  it('json-logic-js itself leaks Object.prototype; the compiler refuses the path', () => {
    expect(jsonLogic.apply({ var: '__proto__' }, {})).toBe(Object.prototype);
    for (const path of [
      '__proto__',
      'constructor',
      'a.prototype',
      'x.constructor.name',
      'row.__proto__',
      'ctx.constructor',
    ]) {
      let err: unknown;
      try {
        compileLogic({ var: path });
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(NxError);
      expect((err as NxError).code).toBe('NX_ERR_LOGIC_FORBIDDEN_PATH');
      expect((err as NxError).errors?.[0]?.path).toBe('/var');
    }
  });

  it('a computed path to a prototype reads nothing at run time', () => {
    const ev = compileLogic({ var: [{ cat: ['__pro', 'to__'] }, 'none'] });
    expect(ev({ data: {} })).toBe('none');
    const ctor = compileLogic({ var: { cat: ['s.', 'constructor'] } });
    expect(ctor({ data: { s: 'x' } })).toBeNull();
  });

  it('reads own properties only: inherited methods and lengths of objects are not there', () => {
    const data = Object.create({ inherited: 'secret' }) as Record<string, unknown>;
    data.own = 1;
    expect(compileLogic({ var: 'inherited' })({ data })).toBeNull();
    expect(compileLogic({ var: 'own' })({ data })).toBe(1);
    expect(compileLogic({ var: 's.toString' })({ data: { s: 'x' } })).toBeNull();
    expect(compileLogic({ var: 'a.hasOwnProperty' })({ data: { a: {} } })).toBeNull();
    expect(compileLogic({ var: 'list.map' })({ data: { list: [] } })).toBeNull();
    expect(compileLogic({ var: 'list.length' })({ data: { list: [1, 2] } })).toBe(2);
  });

  it('never runs an inherited getter', () => {
    const proto = {};
    Object.defineProperty(proto, 'secret', {
      get() {
        throw new Error('inherited getter ran');
      },
    });
    const data = Object.create(proto) as Record<string, unknown>;
    expect(compileLogic({ var: 'secret' })({ data })).toBeNull();
    expect(compileLogic({ var: ['secret', 'd'] })({ data })).toBe('d');
    expect(compileLogic({ var: 'row.secret' })({ data: {}, row: data })).toBeNull();
    expect(compileLogic({ var: 'x.secret' })({ data: { x: data } })).toBeNull();
  });

  it('an own "__proto__" key from JSON data stays unreachable and harmless', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const ev = compileLogic({ var: [{ cat: ['__proto__', '.polluted'] }, false] });
    expect(ev({ data })).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('operations named after Object.prototype members are unknown', () => {
    for (const op of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty']) {
      expect(() => compileLogic(JSON.parse(`{"${op}": [1]}`)), op).toThrow(/NX_ERR_LOGIC_UNKNOWN_OP/);
    }
  });

  it('reports an unknown operation with the pointer of its node', () => {
    try {
      compileLogic({ and: [true, { if: [{ var: 'a' }, { frobnicate: [1] }, 2] }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NxError);
      expect((e as NxError).code).toBe('NX_ERR_LOGIC_UNKNOWN_OP');
      expect((e as NxError).errors?.[0]).toMatchObject({
        path: '/and/1/if/1/frobnicate',
        params: { op: 'frobnicate' },
      });
    }
  });

  it('log returns its value without touching the console', () => {
    const ev = compileLogic({ log: { var: 'a' } });
    const before = console.log;
    (console as { log: unknown }).log = () => {
      throw new Error('console used');
    };
    try {
      expect(ev({ data: { a: 3 } })).toBe(3);
    } finally {
      console.log = before;
    }
  });

  it('folds constant sub-trees once and shares no mutable state between runs', () => {
    const ev = compileLogic({ merge: [[1, 2], { var: 'x' }] });
    const r1 = ev({ data: { x: 3 } }) as number[];
    r1.push(99);
    expect(ev({ data: { x: 4 } })).toEqual([1, 2, 4]);
    const constant = compileLogic({ merge: [[1], [2]] });
    expect(Object.isFrozen(constant({ data: null }))).toBe(true);
  });
});
