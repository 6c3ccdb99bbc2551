import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { schemaFileText } from '../../engine/definition/form-json-schema.ts';
import type { DefinitionKind } from '../../engine/definition/kind.ts';
import { kindJsonSchema } from '../../engine/definition/kind.ts';
import type { CliCommand } from '../command.ts';
import { knownKinds } from '../definition-kinds.ts';

/**
 * Every JSON Schema file the project publishes, by file name: one per definition kind (the
 * engine's and the configured plugins'), `<kind>.schema.json`.
 */
export function schemaFiles(kinds: readonly DefinitionKind[]): Record<string, () => unknown> {
  return Object.fromEntries(kinds.map((k) => [`${k.name}.schema.json`, () => kindJsonSchema(k)]));
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('schemas')
      .description('写出定义文件的 JSON Schema / write the JSON Schema files of definitions')
      .option('--out <dir>', '输出目录 / output directory', 'schemas')
      .option(
        '--check',
        '只检查文件是否最新，过期则退出码 1 / only check the files are up to date (exit 1 if stale)',
      )
      .option('--config <file>', '插件配置（其定义种类）/ plugin config (its definition kinds)')
      .action(async (opts: { out: string; check?: boolean; config?: string }) => {
        const { kinds } = await knownKinds(opts.config);
        let stale = 0;
        if (!opts.check) mkdirSync(opts.out, { recursive: true });
        for (const [name, build] of Object.entries(schemaFiles(kinds))) {
          const path = join(opts.out, name);
          const body = schemaFileText(build());
          const same = read(path) === body;
          if (opts.check) {
            if (!same) stale++;
            process.stdout.write(`${same ? 'ok   ' : 'stale'}  ${path}\n`);
          } else {
            if (!same) writeFileSync(path, body);
            process.stdout.write(`${same ? 'unchanged' : 'written  '}  ${path}\n`);
          }
        }
        if (stale > 0) {
          process.stderr.write(
            `${stale} 个文件已过期，请运行 nuanxin schemas / ${stale} file(s) stale: run nuanxin schemas\n`,
          );
          process.exitCode = 1;
        }
      });
  },
};
