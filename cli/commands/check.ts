import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { isDate } from '../../engine/definition/field-problems.ts';
import { dataFields, outlineForm } from '../../engine/definition/form-outline.ts';
import { readJsonFile } from '../../engine/definition/load-file.ts';
import { loadForm } from '../../engine/definition/load-form.ts';
import type { Problem } from '../../engine/definition/problem.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import type { ValidateContext, ValidationResult } from '../../engine/runtime/types.ts';
import type { CliCommand } from '../command.ts';
import { formatProblem } from './validate.ts';

/** A form id (`household-survey` → `forms/household-survey.json`) or a path to a form file. */
export function resolveFormPath(formOrFile: string, formsDir = 'forms'): string {
  if (formOrFile.endsWith('.json') || existsSync(formOrFile)) return formOrFile;
  return join(formsDir, `${formOrFile}.json`);
}

const ENVELOPE_KEYS = new Set(['data', 'context', 'description', 'expect']);

/**
 * The submission in a data file: the file's object itself, or — for a test fixture shaped
 * `{ "data": {…}, "context": {…}, "description": … }` — its `data` and `context`, unless the
 * form really has a field called `data`.
 */
export function submissionOf(
  json: unknown,
  fieldIds: ReadonlySet<string>,
): { data: unknown; context: Record<string, unknown> } {
  const obj =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : null;
  const envelope =
    obj !== null &&
    typeof obj.data === 'object' &&
    obj.data !== null &&
    !fieldIds.has('data') &&
    Object.keys(obj).every((k) => ENVELOPE_KEYS.has(k));
  if (!envelope) return { data: json, context: {} };
  const context =
    typeof obj.context === 'object' && obj.context !== null ? (obj.context as Record<string, unknown>) : {};
  return { data: obj.data, context };
}

const fail = (message: string): void => {
  process.stderr.write(`nuanxin check: ${message}\n`);
  process.exitCode = 1;
};

function printProblems(problems: Problem[], json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, problems }, null, 2)}\n`);
  else for (const p of problems) process.stdout.write(formatProblem(p));
  process.exitCode = 1;
}

function printResult(result: ValidationResult): void {
  if (result.ok) {
    process.stdout.write('✓ 数据有效 / the submission is valid\n');
  } else {
    process.stdout.write(`✗ ${result.errors.length} 处错误 / ${result.errors.length} error(s)\n`);
    for (const e of result.errors) {
      process.stdout.write(
        `${e.path || '/'}  ${e.code}  ${e.message['zh-CN']}\n${' '.repeat(4)}${e.message.en}\n`,
      );
    }
  }
  process.stdout.write(`数据 / data:\n${JSON.stringify(result.data, null, 2)}\n`);
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('check')
      .description('按表单校验一份数据 / validate one submission against a form')
      .argument('<form>', '表单标识或文件 / form id (forms/<id>.json) or file')
      .argument('<data>', '数据文件（JSON）/ submission data file (JSON)')
      .option('--json', '以 JSON 输出 { ok, errors, data } / print { ok, errors, data } as JSON')
      .option('--date <YYYY-MM-DD>', '判断所用日期（ctx.today）/ the date the data is judged on (ctx.today)')
      .option('--draft', '草稿：不检查必填 / draft: skip required checks')
      .action(
        (formArg: string, dataPath: string, opts: { json?: boolean; date?: string; draft?: boolean }) => {
          if (opts.date !== undefined && !isDate(opts.date)) {
            fail(`--date 应为有效日期 YYYY-MM-DD / --date must be a valid date YYYY-MM-DD: ${opts.date}`);
            return;
          }
          const formPath = resolveFormPath(formArg);
          if (!existsSync(formPath)) {
            fail(`NX_ERR_DEF_NOT_FOUND: 找不到表单 / no such form: ${formPath}`);
            return;
          }
          const source = readJsonFile(formPath);
          const loaded = source.ok ? loadForm(source.value, { file: formPath }) : source;
          if (!loaded.ok) {
            printProblems(loaded.problems, opts.json === true);
            return;
          }
          const input = readJsonFile(dataPath);
          if (!input.ok) {
            printProblems(input.problems, opts.json === true);
            return;
          }
          const form = compileForm(loaded.value);
          const fieldIds = new Set(dataFields(outlineForm(loaded.value)).map((f) => f.id ?? ''));
          const { data, context } = submissionOf(input.value, fieldIds);
          const ctx: ValidateContext = {
            ...context,
            ...(opts.date !== undefined ? { today: opts.date } : {}),
            ...(opts.draft ? { mode: 'draft' as const } : {}),
          };
          const result = form.validate(data, ctx);
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ ok: result.ok, errors: result.errors, data: result.data }, null, 2)}\n`,
            );
          } else {
            printResult(result);
          }
          if (!result.ok) process.exitCode = 1;
        },
      );
  },
};
