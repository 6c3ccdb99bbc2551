import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FormDefinition } from '../../engine/definition/form-schema.ts';
import { loadForm } from '../../engine/definition/load-form.ts';
import type { Problem } from '../../engine/definition/problem.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import type { CompiledForm, ValidationResult } from '../../engine/runtime/types.ts';
import { buildAll, type Fixture } from '../fixtures/build-submissions.ts';

/** Helpers shared by the tests of the seed's three forms (forms/*.json). */

const repo = join(import.meta.dirname, '..', '..');

export function readForm(id: string): unknown {
  return JSON.parse(readFileSync(join(repo, 'forms', `${id}.json`), 'utf8'));
}

export function loadSeedForm(id: string): { definition: FormDefinition; problems: Problem[] } {
  const r = loadForm(readForm(id), { file: `forms/${id}.json` });
  if (!r.ok) return { definition: undefined as never, problems: r.problems };
  return { definition: r.value, problems: r.problems };
}

export function compileSeedForm(id: string): CompiledForm {
  const { definition, problems } = loadSeedForm(id);
  expect(problems).toEqual([]);
  return compileForm(definition);
}

export function readFixtures(formId: string): [string, Fixture][] {
  const dir = join(repo, 'test', 'fixtures', 'submissions', formId);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture]);
}

/** Reads a JSON pointer; undefined when a step is missing. */
export function at(data: unknown, pointer: string): unknown {
  let d = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (d === null || typeof d !== 'object' || !Object.hasOwn(d, seg)) return undefined;
    d = (d as Record<string, unknown>)[seg];
  }
  return d;
}

const key = (e: { path: string; code: string }) => `${e.path} ${e.code}`;

/** Checks one validation result against a fixture's `expect`: same ok, exactly the same errors. */
export function expectFixture(result: ValidationResult, fixture: Fixture): void {
  const got = result.errors.map(key).sort();
  const want = (fixture.expect.errors ?? []).map(key).sort();
  expect(got, fixture.description).toEqual(want);
  expect(result.ok, fixture.description).toBe(fixture.expect.ok);
  for (const e of result.errors) {
    expect(e.message['zh-CN'].length, e.code).toBeGreaterThan(0);
    expect(e.message.en.length, e.code).toBeGreaterThan(0);
  }
  for (const [id, value] of Object.entries(fixture.expect.data ?? {})) {
    expect(result.data[id], `${fixture.description}: ${id}`).toEqual(value);
  }
  for (const pointer of fixture.expect.cleared ?? []) {
    expect(at(fixture.data, pointer), `${pointer} is set in the fixture`).not.toBeUndefined();
    expect(at(result.data, pointer) ?? null, `${pointer} cleared`).toBeNull();
  }
}

interface Labelled {
  path: string;
  text: { 'zh-CN': string; en: string };
}

/** Every label, title, description, help and option label of a definition, with where it is. */
export function texts(node: unknown, path = ''): Labelled[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => texts(n, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const out: Labelled[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (['label', 'title', 'description', 'help', 'message', 'placeholder'].includes(k)) {
      out.push({ path: `${path}/${k}`, text: v as Labelled['text'] });
    } else {
      out.push(...texts(v, `${path}/${k}`));
    }
  }
  return out;
}

const CJK = /[\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]/;

/** Chinese first and English beside it: both present, the Chinese with Chinese characters, the English with Latin words. */
export function expectBilingual(definition: unknown): void {
  const all = texts(definition);
  expect(all.length).toBeGreaterThan(10);
  for (const { path, text } of all) {
    expect(Object.keys(text).sort(), path).toEqual(['en', 'zh-CN']);
    expect(text['zh-CN'], path).toMatch(CJK);
    expect(text.en, path).toMatch(LATIN);
    expect(text.en, path).not.toBe(text['zh-CN']);
  }
}

/** Ids of the fields of a definition, in order, groups and tables descended (tables as `table.column`). */
export function fieldIds(definition: FormDefinition): string[] {
  const walk = (fields: readonly unknown[], prefix: string): string[] =>
    fields.flatMap((f) => {
      const field = f as { id: string; type: string; fields?: unknown[]; columns?: unknown[] };
      if (field.type === 'group') return walk(field.fields ?? [], prefix);
      if (field.type === 'table') return [prefix + field.id, ...walk(field.columns ?? [], `${field.id}.`)];
      return [prefix + field.id];
    });
  return definition.sections.flatMap((s) => walk(s.fields, ''));
}

/**
 * What every seed form's suite checks (call it inside the form's `describe`): bilingual labels,
 * fixture files in step with their builder, enough valid and invalid fixtures, and each fixture's
 * expected result. Returns the compiled form for the suite's own tests.
 */
export function seedFormBasics(id: string): CompiledForm {
  it('labels everything in Chinese first and English beside it', () => {
    expectBilingual(readForm(id));
  });

  it('keeps the fixture files in step with the factories that build them', () => {
    const built = JSON.parse(JSON.stringify(buildAll()[id]));
    const onDisk = Object.fromEntries(readFixtures(id).map(([f, x]) => [f.replace(/\.json$/, ''), x]));
    expect(onDisk).toEqual(built);
  });

  const form = compileSeedForm(id);
  const fixtures = readFixtures(id);

  it('has at least 3 valid and 6 invalid fixtures', () => {
    expect(fixtures.filter(([, f]) => f.expect.ok).length).toBeGreaterThanOrEqual(3);
    expect(fixtures.filter(([, f]) => !f.expect.ok).length).toBeGreaterThanOrEqual(6);
  });

  it.each(fixtures)('fixture %s gives its expected result', (_name, fixture) => {
    expectFixture(form.validate(fixture.data, fixture.context), fixture);
  });
  return form;
}
