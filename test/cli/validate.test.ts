import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffKind } from '../../engine/definition/load-definitions.ts';
import { coreDefinitionKinds } from '../../engine/plugin/core-kinds.ts';
import { fieldAt, validForm } from '../engine/definition/form-factory.ts';
import { runCli } from './run-cli.ts';
import { runMain } from './run-main.ts';

/** A folder with a good form, a broken one and a file with a JSON syntax error. */
function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'nx-validate-'));
  const forms = join(dir, 'forms');
  mkdirSync(forms);
  writeFileSync(join(forms, 'good.json'), JSON.stringify(validForm(), null, 2));
  const bad = validForm();
  bad.id = 'household-bad';
  fieldAt(bad, 0, 0).type = 'txet';
  fieldAt(bad, 0, 4).visibleIf = { '==': [{ var: 'helth' }, 'ill'] };
  writeFileSync(join(forms, 'bad.json'), JSON.stringify(bad, null, 2));
  writeFileSync(join(forms, 'syntax.json'), '{\n  "id": "x",\n}\n');
  return { dir, forms };
}

describe('nuanxin validate', () => {
  it('exits 0 for the project forms (the default path)', async () => {
    const r = await runMain(['validate']);
    expect(r.stdout).toMatch(/✓ \d+ 个定义文件均无问题/);
    expect(r.code).toBe(0);
  });

  it('prints every problem as file:pointer  CODE  message (hint), zh-CN then en, and exits 1', async () => {
    const { forms } = workspace();
    const r = await runMain(['validate', forms]);
    expect(r.code).toBe(1);
    const bad = join(forms, 'bad.json');
    expect(r.stdout).toContain(
      `${bad}:/sections/0/fields/0/type  NX_ERR_DEF_UNKNOWN_TYPE  未知字段类型 "txet"（是否应为 "text"？`,
    );
    expect(r.stdout).toContain('    Unknown field type "txet" (Did you mean "text"?');
    expect(r.stdout).toContain(`${bad}:/sections/0/fields/4/visibleIf/==/0/var  NX_ERR_DEF_UNKNOWN_FIELD`);
    expect(r.stdout).toContain(`${join(forms, 'syntax.json')}:3:1  NX_ERR_DEF_JSON_SYNTAX`);
    expect(r.stdout).toContain('3 problem(s) in 2 of 3 file(s)');
  });

  it('prints a machine form with --json', async () => {
    const { forms } = workspace();
    const r = await runMain(['validate', '--json', join(forms, 'good.json'), join(forms, 'bad.json')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      files: { file: string; kind: string; ok: boolean; problems: { code: string; pointer: string }[] }[];
    };
    expect(out.ok).toBe(false);
    expect(out.files.map((f) => [f.file.endsWith('good.json'), f.kind, f.ok])).toEqual([
      [true, 'form', true],
      [false, 'form', false],
    ]);
    expect(out.files[1]?.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['NX_ERR_DEF_UNKNOWN_TYPE', '/sections/0/fields/0/type'],
      ['NX_ERR_DEF_UNKNOWN_FIELD', '/sections/0/fields/4/visibleIf/==/0/var'],
    ]);
  });

  it('reports a path that does not exist', async () => {
    const r = await runMain(['validate', '--json', 'no/such/place']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].problems[0].code).toBe('NX_ERR_DEF_FILE_READ');
  });

  it('tells the kind of a file by "kind", "$schema" or its folder', () => {
    const kinds = coreDefinitionKinds();
    expect(sniffKind('x/forms/a.json', {}, kinds)).toBe('form');
    expect(sniffKind('x/workflows/a.json', {}, kinds)).toBe('workflow');
    expect(sniffKind('a.json', { $schema: '../schemas/workflow.schema.json' }, kinds)).toBe('workflow');
    expect(sniffKind('forms/a.json', { kind: 'workflow' }, kinds)).toBe('workflow');
    // A report's own "kind" (list, aggregate …) is not a definition kind: its folder decides.
    expect(sniffKind('x/overlays/a.json', { kind: 'list' }, kinds)).toBe('overlay');
    expect(sniffKind('a.json', {}, kinds)).toBe('form');
  });

  it('exits 1 from a real process when a definition is broken', () => {
    const { forms } = workspace();
    const r = runCli(['validate', join(forms, 'bad.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NX_ERR_DEF_UNKNOWN_TYPE');
  });
});
