import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Built-in plugins use exactly the API an outside integrator gets: from `engine/` they may import
 * the subpath entries (`engine/entry/{plugin,runtime,server,definition}.ts`, the package's
 * `nuanxin/plugin` … exports) and nothing else. If a plugin needs more, an entry is missing something.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const PLUGINS = join(ROOT, 'plugins');
const SUBPATHS = ['plugin', 'runtime', 'server', 'definition'] as const;
const ENTRIES = SUBPATHS.map((s) => join(ROOT, `engine/entry/${s}.ts`));
const PACKAGE_ENTRIES = SUBPATHS.map((s) => `nuanxin/${s}`);

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

/** Imports of `file` that reach into engine/ other than through a subpath entry. */
function engineInternals(file: string, code: string): string[] {
  return specifiers(code).filter((s) => {
    if (s === 'nuanxin' || s.startsWith('nuanxin/')) return !PACKAGE_ENTRIES.includes(s);
    if (!s.startsWith('.')) return false;
    const target = resolve(dirname(file), s);
    const inEngine = !relative(join(ROOT, 'engine'), target).startsWith('..');
    return inEngine && !ENTRIES.includes(target);
  });
}

/** The names a module exports (`export { a, type B as C } from …`), not following `export *`. */
function exportedNames(path: string): string[] {
  const src = readFileSync(path, 'utf8');
  return [...src.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
    (m[1] as string)
      .split(',')
      .map(
        (n) =>
          n
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)
            .pop() as string,
      )
      .filter(Boolean),
  );
}

/** The plugin a file belongs to (`plugins/<name>/…`), or undefined for plugins/builtins.ts. */
const pluginOf = (file: string): string | undefined => {
  const parts = relative(PLUGINS, file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : undefined;
};

/** Whether every import of `spec` in `code` is `import type { … }`: erased from the bundle, nothing runs. */
const typeOnly = (code: string, spec: string): boolean => {
  const imports = [...code.matchAll(/\bimport\s+(type\s+)?[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g)].filter(
    (m) => m[2] === spec,
  );
  return imports.length > 0 && imports.every((m) => m[1] !== undefined);
};

/**
 * Imports of `file` that reach into another plugin's folder. Allowed: a type-only import of another
 * plugin's `views.ts`, the answer shapes it publishes for pages (types only; nothing of it runs).
 */
function otherPlugins(file: string, code: string): string[] {
  const own = pluginOf(file);
  // plugins/builtins.ts lists the built-ins by importing them: it is the host's, not a plugin.
  if (own === undefined) return [];
  return specifiers(code).filter((s) => {
    if (s.endsWith('/views.ts') && typeOnly(code, s)) return false;
    if (!s.startsWith('.')) return false;
    const target = resolve(dirname(file), s);
    const inPlugins = !relative(PLUGINS, target).startsWith('..');
    return inPlugins && pluginOf(target) !== undefined && pluginOf(target) !== own;
  });
}

/** The engine's tables: the core schema's and the workflow store's, read from their type declarations. */
function coreTables(): string[] {
  const names = (path: string, start: RegExp) => {
    const src = readFileSync(join(ROOT, path), 'utf8');
    const body = src.slice(src.search(start)).split('\n}')[0] ?? '';
    return [...body.matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1] as string);
  };
  return [
    ...names('engine/store/schema.ts', /export interface Database \{/),
    ...names('engine/workflow-store/tables.ts', /export type WorkflowTables = \{/),
  ];
}

/** SQL a file writes against the engine's tables (Kysely builders or raw table names in `sql`). */
function coreSql(code: string, tables: readonly string[]): string[] {
  const out: string[] = [];
  const re =
    /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin)\(\s*['"]([a-z_]+)(?:\s+as\s+\w+)?['"]/g;
  for (const m of code.matchAll(re)) if (tables.includes(m[2] as string)) out.push(`${m[1]}('${m[2]}')`);
  for (const m of code.matchAll(/withTables<\{\s*([a-z_]+)\s*:/g))
    if (tables.includes(m[1] as string)) out.push(`withTables<{ ${m[1]} }>`);
  // Raw SQL naming a table after FROM, JOIN, INTO or UPDATE (sql`…`, sql.raw, sql.table).
  for (const m of code.matchAll(/\b(from|join|into|update)\s+["`]?([a-z_]+)\b/gi))
    if (tables.includes(m[2] as string) && /\bsql\b/.test(code)) out.push(`${m[1]} ${m[2]}`);
  for (const m of code.matchAll(/\bsql\.table\(\s*['"]([a-z_]+)['"]/g))
    if (tables.includes(m[1] as string)) out.push(`sql.table('${m[1]}')`);
  return out;
}

/**
 * Known debt (issue 14): reads a plugin still makes of the engine's tables. Nothing may be added;
 * an entry fixed must be taken off (the test fails either way).
 */
const KNOWN_CORE_SQL: string[] = [];

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
    expect(engineInternals(file, "import { NxError } from '../../engine/entry/plugin.ts';")).toEqual([]);
    expect(engineInternals(file, "import { NxError } from '../../engine/index.ts';")).toHaveLength(1);
    expect(engineInternals(file, "import { who } from 'nuanxin/server';")).toEqual([]);
    expect(engineInternals(file, "import { x } from 'nuanxin/engine/store/db.ts';")).toHaveLength(1);
    expect(engineInternals(file, "import Fastify from 'fastify';")).toEqual([]);
  });

  it('the package exports the four subpaths, and the main entry stays small', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(pkg.exports).toEqual({
      '.': './engine/index.ts',
      ...Object.fromEntries(SUBPATHS.map((s) => [`./${s}`, `./engine/entry/${s}.ts`])),
    });
    const main = join(ROOT, 'engine/index.ts');
    const names = new Set([...exportedNames(main), ...exportedNames(join(ROOT, 'engine/entry/plugin.ts'))]);
    expect(readFileSync(main, 'utf8')).toContain("export * from './entry/plugin.ts';");
    expect(names.size).toBeGreaterThan(40);
    expect(names.size).toBeLessThan(100);
  });

  it('no built-in plugin imports from engine/ other than the subpath entries', () => {
    const offenders = sources(PLUGINS).flatMap((f) =>
      engineInternals(f, readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('detects an import of another plugin and SQL on an engine table (the checks themselves can fail)', () => {
    const file = join(PLUGINS, 'report/x.ts');
    expect(otherPlugins(file, "import { latestOutputs } from '../rules/index.ts';")).toEqual([
      '../rules/index.ts',
    ]);
    expect(otherPlugins(file, "import { reportKind } from './report-kind.ts';")).toEqual([]);
    // Another plugin's views by `import type` are allowed; a value import of them, or a type import of
    // any other file of another plugin, is not.
    const page = join(PLUGINS, 'web/client/x.ts');
    expect(otherPlugins(page, "import type { FindingView } from '../../crosschecks/views.ts';")).toEqual([]);
    expect(otherPlugins(page, "import { FindingView } from '../../crosschecks/views.ts';")).toHaveLength(1);
    expect(otherPlugins(page, "import type { X } from '../../crosschecks/findings.ts';")).toHaveLength(1);
    const tables = coreTables();
    expect(tables).toEqual(expect.arrayContaining(['submissions', 'org_units', 'workflow_instances']));
    expect(coreSql("db.selectFrom('submissions').selectAll()", tables)).toEqual([
      "selectFrom('submissions')",
    ]);
    expect(coreSql('db.withTables<{ workflow_instances: Row }>()', tables)).toHaveLength(1);
    expect(coreSql("db.selectFrom('rule_decisions')", tables)).toEqual([]);
    expect(coreSql('await sql`select data from submissions where id = 1`.execute(db)', tables)).toEqual([
      'from submissions',
    ]);
    expect(coreSql("sql`update workflow_instances set state = 'x'`", tables)).toHaveLength(1);
    expect(coreSql("sql.table('org_units')", tables)).toHaveLength(1);
    expect(coreSql('// read from submissions through the engine', tables)).toEqual([]);
  });

  it("no built-in plugin imports another plugin's files (services between plugins instead)", () => {
    const offenders = sources(PLUGINS).flatMap((f) =>
      otherPlugins(f, readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("a plugin's views.ts holds types only (another plugin's pages may import it as types)", () => {
    const views = sources(PLUGINS).filter((f) => f.endsWith('/views.ts'));
    expect(views.length).toBeGreaterThan(0);
    for (const f of views) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, relative(ROOT, f)).not.toMatch(/\bexport\s+(const|let|var|function|class|enum|default)\b/);
      expect(code, relative(ROOT, f)).not.toMatch(/\bimport\s+(?!type\b)/);
    }
  });

  it("no built-in plugin writes SQL on the engine's tables beyond the known debt", () => {
    const tables = coreTables();
    const offenders = sources(PLUGINS)
      .filter((f) => coreSql(readFileSync(f, 'utf8'), tables).length > 0)
      .map((f) => relative(ROOT, f))
      .sort();
    expect(offenders).toEqual(KNOWN_CORE_SQL);
  });
});
