import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DefinitionKind } from '../../engine/definition/kind.ts';
import { checkReferences, loadDefinitionFile } from '../../engine/definition/load-definitions.ts';
import { type Problem, problem } from '../../engine/definition/problem.ts';
import { text } from '../../engine/i18n.ts';
import type { CliCommand } from '../command.ts';
import { type KnownKinds, knownKinds } from '../definition-kinds.ts';

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

/** The folders checked when no path is given: the engine's, then each kind's configured ones. */
export function defaultPaths(kinds: readonly DefinitionKind[]): string[] {
  const local = ['forms', 'overlays', 'workflows'].filter((d) => existsSync(d));
  const dirs = kinds.flatMap((k) => k.dirs ?? []).filter((d) => existsSync(d));
  return [...new Set([...local, ...dirs])];
}

/**
 * Checks the given files, each on its own and then its references, against the definitions in
 * the default folders (a report given alone still finds its workflow there).
 */
export function validateFiles(files: readonly string[], known: KnownKinds): FileReport[] {
  const load = (f: string) => loadDefinitionFile(f, known.kinds, known.ctx);
  const entries = files.map(load);
  const wanted = new Set(files.map((f) => resolve(f)));
  const context = definitionFiles(defaultPaths(known.kinds))
    .files.filter((f) => !wanted.has(resolve(f)))
    .map(load);
  checkReferences(entries, context, known.kinds, known.ctx);
  return entries.map((e) => ({
    file: e.file,
    kind: e.kind,
    ok: e.problems.length === 0,
    problems: e.problems,
  }));
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
      .description('检查定义文件及其相互引用 / check definition files and their references to each other')
      .argument(
        '[paths...]',
        "文件或目录（默认：forms、overlays、workflows 及插件的定义目录）/ files or folders (default: forms, overlays, workflows and the plugins' folders)",
      )
      .option('--json', '以 JSON 输出 / print JSON')
      .option('--config <file>', '插件配置（其定义种类与目录）/ plugin config (its kinds and folders)')
      .action(async (given: string[], opts: { json?: boolean; config?: string }) => {
        const known = await knownKinds(opts.config);
        const paths = given.length > 0 ? given : defaultPaths(known.kinds);
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
        reports.push(...validateFiles(files, known));
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
