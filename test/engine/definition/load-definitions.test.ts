import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formKind } from '../../../engine/definition/form-kind.ts';
import { loadKindDir, valuesOrThrow } from '../../../engine/definition/load-definitions.ts';
import { nxError } from '../../../engine/errors/define-errors.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { fieldAt, validForm } from './form-factory.ts';

/** A folder of forms: two good ones, two broken in different ways, and a JSON Schema (skipped). */
function formsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nx-kind-'));
  const write = (name: string, def: unknown) => writeFileSync(join(dir, name), JSON.stringify(def));
  write('a.json', validForm());
  write('b.json', { ...validForm(), id: 'household-b' });
  const typo = { ...validForm(), id: 'household-c' };
  fieldAt(typo, 0, 0).type = 'txet';
  write('c.json', typo);
  writeFileSync(join(dir, 'd.json'), '{ "id": ');
  write('form.schema.json', { type: 'object' });
  return dir;
}

describe('loadKindDir', () => {
  it('collects every problem of every file in the folder, not only the first bad file', () => {
    const r = loadKindDir(formKind, formsDir());
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.file?.split('/').pop(), p.code])).toEqual([
      ['c.json', 'NX_ERR_DEF_UNKNOWN_TYPE'],
      ['d.json', 'NX_ERR_DEF_JSON_SYNTAX'],
    ]);
  });

  it('reports a second file with an id already used in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-kind-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(validForm()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(validForm()));
    const r = loadKindDir(formKind, dir);
    expect(r.problems.map((p) => [p.file?.split('/').pop(), p.code, p.pointer])).toEqual([
      ['b.json', 'NX_ERR_DEF_DUPLICATE_ID', '/id'],
    ]);
  });

  it('valuesOrThrow lists them all in one error, each with its file and pointer', () => {
    const r = loadKindDir(formKind, formsDir());
    let thrown: unknown;
    try {
      valuesOrThrow(r, (m, e) => nxError('NX_ERR_DEF_INVALID', m, e), {
        'zh-CN': '表单目录',
        en: 'The forms',
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(NxError);
    const err = thrown as NxError;
    expect(err.statusCode).toBe(400);
    expect(err.errors?.map((e) => [e.code, e.path, String(e.params?.file).split('/').pop()])).toEqual([
      ['NX_ERR_DEF_UNKNOWN_TYPE', '/sections/0/fields/0/type', 'c.json'],
      ['NX_ERR_DEF_JSON_SYNTAX', '', 'd.json'],
    ]);
    expect(err.messageText.en).toMatch(
      /^The forms: 2 problem\(s\): .*c\.json#\/sections\/0\/fields\/0\/type/,
    );
  });

  it('returns every value when the folder is clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-kind-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(validForm()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...validForm(), id: 'household-b' }));
    const r = loadKindDir(formKind, dir);
    expect(r.ok && r.value.map((f) => f.id)).toEqual(['household-mini', 'household-b']);
  });
});
