import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formJsonSchema, schemaFileText } from '../../engine/definition/form-json-schema.ts';
import { workflowJsonSchema } from '../../engine/workflow/workflow-schema.ts';
import { rulesetJsonSchema } from '../../plugins/rules/ruleset-schema.ts';
import { ruleCasesJsonSchema } from '../../plugins/rules/run-cases.ts';
import type { CliCommand } from '../command.ts';

/**
 * Every JSON Schema file the project publishes, by file name. A new kind of definition adds
 * one line here.
 */
export const schemaFiles: Readonly<Record<string, () => unknown>> = {
  'form.schema.json': formJsonSchema,
  'workflow.schema.json': workflowJsonSchema,
  'ruleset.schema.json': rulesetJsonSchema,
  'ruleset-cases.schema.json': ruleCasesJsonSchema,
};

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
      .action((opts: { out: string; check?: boolean }) => {
        let stale = 0;
        if (!opts.check) mkdirSync(opts.out, { recursive: true });
        for (const [name, build] of Object.entries(schemaFiles)) {
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
