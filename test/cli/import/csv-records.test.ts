import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvScanner, csvRecords } from '../../../cli/import/csv-records.ts';

/** Every record of `text` fed in chunks cut at the given offsets. */
function scan(text: string, cuts: number[]): string[][] {
  const s = new CsvScanner();
  const out: string[][] = [];
  let from = 0;
  for (const at of [...cuts, text.length]) {
    out.push(...s.push(text.slice(from, at)));
    from = at;
  }
  const last = s.end();
  if (last) out.push(last);
  return out;
}

// Quoted fields with commas, doubled quotes (also two in a row and at a field's edges), line
// breaks of each kind inside and between records, an empty quoted field, a BOM, Chinese text.
const SAMPLE =
  '\ufeffid,说明,表\r\n' +
  '1,"他说""好"",然后走了","[{""name"":""张三""}]"\n' +
  '2,"两行\r\n文字",""\r' +
  '3,"""""",末尾\n' +
  '4,"a""",""""\n' +
  '\n' +
  '5,last,"x"';

const EXPECTED = [
  ['id', '说明', '表'],
  ['1', '他说"好",然后走了', '[{"name":"张三"}]'],
  ['2', '两行\r\n文字', ''],
  ['3', '""', '末尾'],
  ['4', 'a"', '"'],
  ['5', 'last', 'x'],
];

describe('CsvScanner', () => {
  it('reads quoted fields, doubled quotes, every kind of line break and a BOM', () => {
    expect(scan(SAMPLE, [])).toEqual(EXPECTED);
  });

  it('gives the same records wherever the chunks are cut (every single cut, every pair of cuts)', () => {
    for (let i = 0; i <= SAMPLE.length; i++) expect(scan(SAMPLE, [i]), `cut at ${i}`).toEqual(EXPECTED);
    for (let i = 0; i <= SAMPLE.length; i += 3)
      for (let j = i; j <= SAMPLE.length; j += 2)
        expect(scan(SAMPLE, [i, j]), `cuts ${i}, ${j}`).toEqual(EXPECTED);
  });

  it('ends a file without a final line break, and a quote that closes at the very end', () => {
    expect(scan('a,b\n1,"x"', [8])).toEqual([
      ['a', 'b'],
      ['1', 'x'],
    ]);
    expect(scan('a\n', [])).toEqual([['a']]);
    expect(scan('', [])).toEqual([]);
  });
});

describe('csvRecords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nuanxin-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a file of many chunks into the same records as one scan of it', async () => {
    const lines = ['n,text'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},"第${i}行 ""引号"", 逗号"`);
    const text = `${lines.join('\r\n')}\r\n`;
    const file = join(dir, 'many.csv');
    writeFileSync(file, text);
    const got: unknown[][] = [];
    const bytes = { read: 0 };
    for await (const r of csvRecords(file, bytes)) got.push(r);
    expect(got).toEqual(scan(text, []));
    expect(got[4999 + 1]).toEqual(['4999', '第4999行 "引号", 逗号']);
    expect(bytes.read).toBe(Buffer.byteLength(text));
  });
});
