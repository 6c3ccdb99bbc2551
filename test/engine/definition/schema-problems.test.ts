import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../../../engine/definition/schema-problems.ts';

const Shape = Type.Union([
  Type.Object(
    { type: Type.Literal('circle'), r: Type.Number({ minimum: 0 }) },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('square'), side: Type.Number() }, { additionalProperties: false }),
]);
const Drawing = Type.Object({
  name: Type.String({ minLength: 1 }),
  shapes: Type.Array(Shape, { maxItems: 3 }),
});
const pairs = (v: unknown) => schemaProblems(Drawing, v, 'd.json').map((p) => [p.code, p.pointer]);

describe('schemaProblems', () => {
  it('finds nothing wrong with a valid value', () => {
    expect(pairs({ name: 'a', shapes: [{ type: 'circle', r: 1 }] })).toEqual([]);
  });

  it('reports a tagged union member by its tag, with one precise problem', () => {
    const ps = schemaProblems(Drawing, { name: 'a', shapes: [{ type: 'square', r: 1 }] });
    expect(ps.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_DEF_MISSING_PROPERTY', '/shapes/0'],
      ['NX_ERR_DEF_UNKNOWN_PROPERTY', '/shapes/0/r'],
    ]);
    expect(ps[0]?.message.en).toContain('"side"');
  });

  it('reports an unknown tag with the known ones, or lets a hook decide', () => {
    const v = { name: 'a', shapes: [{ type: 'triangle' }] };
    const ps = schemaProblems(Drawing, v);
    expect(ps.map((p) => [p.code, p.pointer])).toEqual([['NX_ERR_DEF_UNKNOWN_TYPE', '/shapes/0/type']]);
    expect(ps[0]?.hint.en).toContain('circle, square');
    expect(schemaProblems(Drawing, v, undefined, { onUnknownTag: () => [] })).toEqual([]);
  });

  it('maps leaf errors to stable codes with the file attached', () => {
    const ps = schemaProblems(Drawing, { name: '', shapes: [{ type: 'circle', r: -1 }, 3, 4, 5] }, 'd.json');
    expect(ps.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_DEF_OUT_OF_RANGE', '/name'],
      ['NX_ERR_DEF_OUT_OF_RANGE', '/shapes'],
      ['NX_ERR_DEF_OUT_OF_RANGE', '/shapes/0/r'],
      ['NX_ERR_DEF_WRONG_TYPE', '/shapes/1'],
      ['NX_ERR_DEF_WRONG_TYPE', '/shapes/2'],
      ['NX_ERR_DEF_WRONG_TYPE', '/shapes/3'],
    ]);
    expect(ps.every((p) => p.file === 'd.json')).toBe(true);
  });

  it('escapes ~ and / in pointers', () => {
    expect(pairs({ name: 'a', shapes: [{ type: 'circle', r: 1, 'a/b~c': 1 }] })).toEqual([
      ['NX_ERR_DEF_UNKNOWN_PROPERTY', '/shapes/0/a~1b~0c'],
    ]);
  });
});
