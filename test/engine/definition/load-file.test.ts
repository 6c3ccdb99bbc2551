import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../engine/definition/json-error-offset.ts';
import { lineColumn, parseJson, readJsonFile } from '../../../engine/definition/load-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'nx-load-file-'));
const write = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

describe('readJsonFile', () => {
  it('returns the parsed value of a good file', () => {
    const r = readJsonFile(write('ok.json', '{"id": "a", "version": 1}'));
    expect(r).toEqual({ ok: true, value: { id: 'a', version: 1 }, problems: [] });
  });

  it('reports a trailing comma as NX_ERR_DEF_JSON_SYNTAX with line and column', () => {
    const path = write('comma.json', '{\n  "id": "a",\n  "version": 1,\n}\n');
    const r = readJsonFile(path);
    expect(r.ok).toBe(false);
    const p = r.problems[0];
    expect(p?.code).toBe('NX_ERR_DEF_JSON_SYNTAX');
    expect(p?.file).toBe(path);
    expect(p?.params).toEqual({ line: 4, column: 1 });
    expect(p?.message.en).toContain('line 4, column 1');
    expect(p?.message['zh-CN']).toContain('第 4 行第 1 列');
  });

  it('places a missing colon on its own line and column', () => {
    const r = parseJson('{\n  "id": "a",\n  "title" {}\n}');
    expect(r.problems[0]?.params).toEqual({ line: 3, column: 11 });
  });

  it('places an unexpected end at the end of the text', () => {
    const r = parseJson('{\n  "id": ');
    expect(r.problems[0]?.params).toEqual({ line: 2, column: 9 });
  });

  it('ignores a byte-order mark', () => {
    expect(parseJson('\ufeff[1]').ok).toBe(true);
  });

  it('reports a missing file as NX_ERR_DEF_FILE_READ', () => {
    const r = readJsonFile(join(dir, 'nope.json'));
    expect(r.problems.map((p) => [p.code, p.params?.reason])).toEqual([['NX_ERR_DEF_FILE_READ', 'ENOENT']]);
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on what is valid, and points at the first bad character', () => {
    const cases: [string, number][] = [
      ['{"a": [1, 2.5e3, -0, true, null, "x\\u00e9\\n"]}', -1],
      ['{"a" 1}', 5],
      ['[1, 2,]', 6],
      ['{"a": 01}', 7],
      ['"\\x"', 2],
      ['{"a": 1} x', 9],
      ['[tru]', 1 + 3],
    ];
    for (const [src, at] of cases) {
      expect(jsonErrorOffset(src), src).toBe(at);
      let valid = true;
      try {
        JSON.parse(src);
      } catch {
        valid = false;
      }
      expect(valid, src).toBe(at === -1);
    }
  });
});
