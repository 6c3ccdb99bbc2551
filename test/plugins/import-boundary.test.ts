import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Built-in plugins use exactly the API an outside integrator gets: from `engine/` they may import
 * `engine/index.ts` and nothing else. If a plugin needs more, the public API is missing something.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const PLUGINS = join(ROOT, 'plugins');
const PUBLIC_ENTRY = join(ROOT, 'engine/index.ts');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Every module specifier of static imports, re-exports and dynamic imports. */
function specifiers(code: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1] as string);
  return out;
}

/** Imports of `file` that reach into engine/ other than through the public entry. */
function engineInternals(file: string, code: string): string[] {
  return specifiers(code).filter((s) => {
    if (!s.startsWith('.')) return false;
    const target = resolve(dirname(file), s);
    const inEngine = !relative(join(ROOT, 'engine'), target).startsWith('..');
    return inEngine && target !== PUBLIC_ENTRY;
  });
}

describe('plugin import boundary', () => {
  it('finds the plugin sources it checks', () => {
    const files = sources(PLUGINS).map((f) => relative(ROOT, f));
    expect(files).toContain('plugins/rules/index.ts');
    expect(files).toContain('plugins/sms-outbox/index.ts');
  });

  it('detects an import of an engine internal (the check itself can fail)', () => {
    const file = join(PLUGINS, 'x/y.ts');
    expect(engineInternals(file, "import { compileLogic } from '../../engine/logic/compile.ts';")).toEqual([
      '../../engine/logic/compile.ts',
    ]);
    expect(engineInternals(file, "export * from '../../engine/plugin/types.ts';")).toHaveLength(1);
    expect(engineInternals(file, "const m = await import('../../engine/store/db.ts');")).toHaveLength(1);
    expect(engineInternals(file, "import { NxError } from '../../engine/index.ts';")).toEqual([]);
    expect(engineInternals(file, "import Fastify from 'fastify';")).toEqual([]);
  });

  it('no built-in plugin imports from engine/ other than engine/index.ts', () => {
    const offenders = sources(PLUGINS).flatMap((f) =>
      engineInternals(f, readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
