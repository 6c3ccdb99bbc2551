import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CliCommand } from './command.ts';

/**
 * Builds the `nuanxin` program from every module in `cli/commands/`: each exports
 * `command: CliCommand`, so a new command is a new file and nothing else changes.
 */
export async function buildProgram(): Promise<Command> {
  const program = new Command('nuanxin')
    .description('暖心 Nuanxin — 低代码表单与审批流程引擎 / low-code form and workflow engine')
    .version('0.1.0')
    .showHelpAfterError();
  const dir = join(import.meta.dirname, 'commands');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { command?: CliCommand };
    mod.command?.register(program);
  }
  return program;
}

/** Runs the CLI and returns the exit code (1 on a failed check or a usage error). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const e = err as {
      code?: string;
      message?: string;
      messageText?: { 'zh-CN': string; en: string };
      errors?: { path: string; message: { 'zh-CN': string; en: string } }[];
    };
    if (e.messageText && e.code) {
      // An NxError: its code once, then the message in both languages, then each located problem.
      process.stderr.write(`nuanxin: ${e.code}: ${e.messageText['zh-CN']}\n  ${e.messageText.en}\n`);
      for (const d of e.errors ?? [])
        process.stderr.write(`  - ${d.path}: ${d.message['zh-CN']}\n    ${d.message.en}\n`);
      return 1;
    }
    process.stderr.write(`nuanxin: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return 1;
  }
}
