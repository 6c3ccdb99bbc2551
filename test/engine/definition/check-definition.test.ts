import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkDefinition } from '../../../engine/definition/check-definition.ts';

const Thing = Type.Object({ id: Type.String(), when: Type.Optional(Type.Unknown()) });

describe('checkDefinition', () => {
  it('stops at the schema: the kind checks see only a value of the right shape', () => {
    let ran = false;
    const r = checkDefinition(Thing, { id: 3 }, { file: 't.json' }, () => {
      ran = true;
    });
    expect(r.ok).toBe(false);
    expect(ran).toBe(false);
    expect(r.problems[0]?.file).toBe('t.json');
  });

  it("collects every problem the kind's checks add, each with the file, and loads when there is none", () => {
    const r = checkDefinition(Thing, { id: 'a' }, { file: 't.json' }, (def, c) => {
      c.add('NX_ERR_X_ONE', '/id', `一 ${def.id}`, `one ${def.id}`, '改', 'fix');
      c.add('NX_ERR_X_TWO', '', '二', 'two', '改', 'fix');
    });
    expect(r.problems.map((p) => [p.code, p.pointer, p.message.en, p.file])).toEqual([
      ['NX_ERR_X_ONE', '/id', 'one a', 't.json'],
      ['NX_ERR_X_TWO', '', 'two', 't.json'],
    ]);
    expect(checkDefinition(Thing, { id: 'a' }, {}, () => {})).toEqual({
      ok: true,
      value: { id: 'a' },
      problems: [],
    });
  });

  it('compiles rules: the paths a rule reads, or a problem at the rule for one that does not compile', () => {
    let read: string[] | undefined;
    const r = checkDefinition(Thing, { id: 'a', when: { '>': [{ var: 'x.y' }, 1] } }, {}, (def, c) => {
      read = c.rule(def.when, '/when');
      expect(c.rule({ nope: [1] }, '/other')).toBeUndefined();
    });
    expect(read).toEqual(['x.y']);
    expect(r.problems.map((p) => [p.code, p.pointer.startsWith('/other')])).toEqual([
      ['NX_ERR_LOGIC_UNKNOWN_OP', true],
    ]);
  });
});
