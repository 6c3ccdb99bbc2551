import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../cli/commands/schemas.ts';
import { knownKinds } from '../../cli/definition-kinds.ts';
import { formJsonSchema, schemaFileText } from '../../engine/definition/form-json-schema.ts';
import { ROOT, runCli } from './run-cli.ts';
import { runMain } from './run-main.ts';

describe('nuanxin schemas', () => {
  it('the committed schemas/form.schema.json is the one the TypeBox schema produces (run `nuanxin schemas` when this fails)', () => {
    const committed = readFileSync(join(ROOT, 'schemas', 'form.schema.json'), 'utf8');
    expect(committed).toBe(schemaFileText(formJsonSchema()));
  });

  it('every committed schema in schemas/ is the one its kind produces (run `nuanxin schemas` when this fails)', async () => {
    for (const [name, build] of Object.entries(schemaFiles((await knownKinds()).kinds))) {
      expect(readFileSync(join(ROOT, 'schemas', name), 'utf8'), name).toBe(schemaFileText(build()));
    }
  });

  it('describes a form: field types by their `type`, bilingual labels, the recursive group', () => {
    const s = formJsonSchema() as { $id: string; required: string[]; properties: Record<string, unknown> };
    expect(s.$id).toBe('https://nuanxin.dev/schemas/form.schema.json');
    expect(s.required).toEqual(['id', 'version', 'title', 'sections']);
    const text = JSON.stringify(s);
    for (const t of ['idcard', 'orgunit', 'multiselect', 'table']) expect(text).toContain(`"const":"${t}"`);
    expect(text).toContain('"$ref":"GroupField"');
  });

  it('writes every schema file into --out, and --check tells a stale directory', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nx-schemas-'));
    const written = await runMain(['schemas', '--out', out]);
    expect(written.code).toBe(0);
    const files = schemaFiles((await knownKinds()).kinds);
    // The engine's kinds first, then the plugins' in their load order (which follows dependsOn), so
    // only the set of the plugins' files is fixed here.
    const names = Object.keys(files);
    expect(names.slice(0, 3)).toEqual(['form.schema.json', 'overlay.schema.json', 'workflow.schema.json']);
    expect(names.slice(3).sort()).toEqual([
      'comparison.schema.json',
      'department-list.schema.json',
      'register.schema.json',
      'report.schema.json',
      'ruleset-cases.schema.json',
      'ruleset.schema.json',
    ]);
    for (const [name, build] of Object.entries(files)) {
      expect(readFileSync(join(out, name), 'utf8')).toBe(schemaFileText(build()));
    }
    expect((await runMain(['schemas', '--out', out, '--check'])).code).toBe(0);
    writeFileSync(join(out, 'form.schema.json'), '{}\n');
    const stale = await runMain(['schemas', '--out', out, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/stale\s+.*form\.schema\.json/);
  });

  it('runs as a real process too (bin → tsx → main)', () => {
    const out = mkdtempSync(join(tmpdir(), 'nx-schemas-'));
    const r = runCli(['schemas', '--out', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'form.schema.json'), 'utf8')).toBe(schemaFileText(formJsonSchema()));
  });
});
