import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readJsonFile } from '../../engine/definition/load-file.ts';
import { loadForm } from '../../engine/definition/load-form.ts';
import { type LoadResult, type Problem, problem } from '../../engine/definition/problem.ts';
import { text } from '../../engine/i18n.ts';
import { ENGINE_VERSION } from '../../engine/plugin/engine-version.ts';
import { loadPluginsFromFile } from '../../engine/plugin/load-plugins.ts';
import { loadWorkflow } from '../../engine/workflow/load-workflow.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import { loadRuleset } from '../../plugins/rules/load-ruleset.ts';
import { loadRuleCases } from '../../plugins/rules/run-cases.ts';
import type { CliCommand } from '../command.ts';

/**
 * The kinds of definition files `nuanxin validate` knows, by name. A new kind (workflows,
 * rulesets, report templates) joins by adding an entry here: the folder its files live in
 * and the loader that checks one parsed file.
 */
export interface DefinitionKind {
  /** Folder name that marks a file as this kind, e.g. `forms` for `forms/household-survey.json`. */
  readonly folder: string;
  /** Checks one parsed file; problems carry `file` and JSON pointers. */
  load(json: unknown, file: string): LoadResult<unknown>;
}

/** Effects workflows may name: those the configured plugins register (filled in before checking). */
export const workflowEffects: { names: readonly string[] } = { names: [] };

export const definitionKinds: Record<string, DefinitionKind> = {
  form: { folder: 'forms', load: (json, file) => loadForm(json, { file }) },
  workflow: {
    folder: 'workflows',
    load: (json, file) => loadWorkflow(json, { file, effects: workflowEffects.names }),
  },
  ruleset: { folder: 'rulesets', load: (json, file) => loadRuleset(json, { file }) },
  // Test cases live beside their ruleset; they name their schema, which is how they are told apart.
  'ruleset-cases': { folder: 'ruleset-cases', load: (json, file) => loadRuleCases(json, file) },
};

/** The effects of the plugins in `nuanxin.config.json` (the built-ins it lists); none without one. */
export async function configuredEffectNames(config = 'nuanxin.config.json'): Promise<string[]> {
  if (!existsSync(config)) return [];
  const loaded = await loadPluginsFromFile(config, {
    engineVersion: ENGINE_VERSION,
    builtins: builtinPlugins,
  });
  return loaded.effects.names();
}

/** Kinds recognised by folder or `$schema` but without a checker here yet. */
const KNOWN_KIND_FOLDERS: Record<string, string> = {
  workflows: 'workflow',
  rulesets: 'ruleset',
  reports: 'report',
};

/**
 * Which kind a file is: its `"kind"` property, else the schema it names in `"$schema"`
 * (`…/form.schema.json` → form), else a folder on its path (`forms/` → form), else a form.
 */
export function sniffKind(file: string, json: unknown): string {
  const obj =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : {};
  if (typeof obj.kind === 'string') return obj.kind;
  const schema =
    typeof obj.$schema === 'string' ? /([a-z-]+)\.schema\.json$/.exec(obj.$schema)?.[1] : undefined;
  if (schema) return schema;
  const folders = file.split(/[\\/]/).slice(0, -1).reverse();
  for (const f of folders) {
    const byKind = Object.entries(definitionKinds).find(([, k]) => k.folder === f)?.[0];
    if (byKind) return byKind;
    const known = KNOWN_KIND_FOLDERS[f];
    if (known) return known;
  }
  return 'form';
}

export interface FileReport {
  file: string;
  kind: string | null;
  ok: boolean;
  problems: Problem[];
}

/** Expands files and folders (recursively) into definition files, sorted; JSON Schema files are skipped. */
export function definitionFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json') && !entry.name.endsWith('.schema.json')) files.push(path);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      missing.push(p);
      continue;
    }
    if (isDir) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

/** Reads and checks one file with the loader of its kind. */
export function validateFile(file: string): FileReport {
  const json = readJsonFile(file);
  if (!json.ok) return { file, kind: null, ok: false, problems: json.problems };
  const kind = sniffKind(file, json.value);
  const def = definitionKinds[kind];
  if (!def) {
    const known = Object.keys(definitionKinds).join(', ');
    return {
      file,
      kind,
      ok: false,
      problems: [
        problem(
          'NX_ERR_DEF_UNKNOWN_KIND',
          '',
          text(`无法检查 "${kind}" 类定义`, `No checker for definitions of kind "${kind}"`),
          text(`可检查的种类：${known}`, `Kinds that can be checked: ${known}`),
          { file, params: { kind } },
        ),
      ],
    };
  }
  const r = def.load(json.value, file);
  return { file, kind, ok: r.ok, problems: r.problems };
}

/** `file:pointer`, or `file:line:column` for a syntax error, or the file alone for the whole document. */
export function location(p: Problem): string {
  const file = p.file ?? '';
  const line = p.params?.line;
  const column = p.params?.column;
  if (p.code === 'NX_ERR_DEF_JSON_SYNTAX' && typeof line === 'number' && typeof column === 'number') {
    return `${file}:${line}:${column}`;
  }
  return p.pointer === '' ? file : `${file}:${p.pointer}`;
}

/** One problem as two lines: zh-CN first, English beneath it. */
export function formatProblem(p: Problem): string {
  const head = `${location(p)}  ${p.code}  `;
  return `${head}${p.message['zh-CN']}（${p.hint['zh-CN']}）\n${' '.repeat(4)}${p.message.en} (${p.hint.en})\n`;
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('validate')
      .description('检查定义文件（表单等）/ check definition files (forms …)')
      .argument('[paths...]', '文件或目录 / files or folders (default: forms and workflows)')
      .option('--json', '以 JSON 输出 / print JSON')
      .action(async (given: string[], opts: { json?: boolean }) => {
        const paths = given.length > 0 ? given : ['forms', ...(existsSync('workflows') ? ['workflows'] : [])];
        workflowEffects.names = await configuredEffectNames();
        const { files, missing } = definitionFiles(paths);
        const reports: FileReport[] = missing.map((file) => ({
          file,
          kind: null,
          ok: false,
          problems: [
            problem(
              'NX_ERR_DEF_FILE_READ',
              '',
              text('文件或目录不存在', 'No such file or folder'),
              text('检查路径', 'Check the path'),
              { file, params: { reason: 'ENOENT' } },
            ),
          ],
        }));
        reports.push(...files.map(validateFile));
        const ok = reports.every((r) => r.ok);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ok, files: reports }, null, 2)}\n`);
        } else {
          for (const r of reports) for (const p of r.problems) process.stdout.write(formatProblem(p));
          const bad = reports.filter((r) => !r.ok);
          const count = bad.reduce((n, r) => n + r.problems.length, 0);
          process.stdout.write(
            ok
              ? `✓ ${reports.length} 个定义文件均无问题 / ${reports.length} definition file(s) valid\n`
              : `✗ ${bad.length}/${reports.length} 个文件共 ${count} 个问题 / ${count} problem(s) in ${bad.length} of ${reports.length} file(s)\n`,
          );
        }
        if (!ok) process.exitCode = 1;
      });
  },
};
