import { describe, expect, it } from 'vitest';
import { FormOverlaySchema } from '../../../engine/entry/definition.ts';
import { FormDefinitionSchema } from '../../../engine/entry/runtime.ts';
import { jsonCursor, schemaOptions } from '../../../plugins/web/client/schema-completion.ts';

/** Completion from the form and overlay schemas at the cursor (`|` marks it in each text). */

const at = (marked: string) => {
  const pos = marked.indexOf('|');
  return { text: marked.replace('|', ''), pos };
};
const cursorAt = (marked: string) => {
  const { text, pos } = at(marked);
  return jsonCursor(text, pos);
};
const optionsAt = (schema: object, marked: string) => {
  const { text, pos } = at(marked);
  const c = jsonCursor(text, pos);
  return c ? schemaOptions(schema as Record<string, unknown>, c).map((o) => o.label) : undefined;
};
const form = (marked: string) => optionsAt(FormDefinitionSchema, marked);

describe('where the cursor is in a JSON text', () => {
  it('a key of a nested object, with the members before it', () => {
    const { text, pos } = at('{"sections":[{"id":"a","fields":[{"id":"x","type":"select", "|');
    expect(jsonCursor(text, pos)).toEqual({
      kind: 'key',
      path: ['sections', 0, 'fields', 0],
      from: text.length - 1,
      siblings: { id: 'x', type: 'select' },
    });
  });

  it('a value after a colon, an array item, and nothing inside a number', () => {
    expect(cursorAt('{"period":{"kind": |')).toMatchObject({
      kind: 'value',
      path: ['period', 'kind'],
    });
    expect(cursorAt('{"a":[1, {"b":2}, |')).toMatchObject({
      kind: 'value',
      path: ['a', 2],
    });
    expect(cursorAt('{"version": 1|2}')).toBeUndefined();
  });
});

describe('options from the schemas', () => {
  it('the top-level properties of a form not written yet', () => {
    const top = form('{"id":"x", |');
    expect(top).toEqual(expect.arrayContaining(['"version"', '"title"', '"sections"', '"period"']));
    expect(top).not.toContain('"id"');
  });

  it('a field’s properties narrowed by its type, through the recursive group', () => {
    const select = form('{"sections":[{"fields":[{"id":"x","type":"select", "|');
    expect(select).toEqual(expect.arrayContaining(['"options"', '"display"', '"label"']));
    expect(select).not.toContain('"columns"');
    const table = form('{"sections":[{"fields":[{"id":"t","type":"table", |');
    expect(table).toContain('"columns"');
    const inGroup = form(
      '{"sections":[{"fields":[{"type":"group","fields":[{"type":"group","fields":[{"type":"integer", |',
    );
    expect(inGroup).toEqual(expect.arrayContaining(['"min"', '"max"']));
    expect(inGroup).not.toContain('"options"');
  });

  it('enum and const values where a value goes', () => {
    expect(form('{"period":{"kind": |')).toEqual(['"none"', '"month"', '"quarter"', '"custom"']);
    const types = form('{"sections":[{"fields":[{"type": "|');
    expect(types).toEqual(expect.arrayContaining(['"text"', '"select"', '"table"', '"group"', '"idcard"']));
    expect(form('{"sections":[{"fields":[{"type":"text","required": |')).toEqual(
      expect.arrayContaining(['true', 'false']),
    );
  });

  it('the overlay operations by name', () => {
    expect(optionsAt(FormOverlaySchema, '{"form":"x","operations":[{"op": |')).toEqual([
      '"addField"',
      '"hideField"',
      '"relabel"',
      '"setOptions"',
      '"tighten"',
      '"setCalculation"',
    ]);
    expect(optionsAt(FormOverlaySchema, '{"operations":[{"op":"relabel", |')).toEqual([
      '"field"',
      '"label"',
      '"help"',
    ]);
  });
});
