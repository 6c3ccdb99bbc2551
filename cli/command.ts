import type { Command } from 'commander';

/** One CLI command module: `cli/commands/<name>.ts` exports `command`. */
export interface CliCommand {
  register(program: Command): void;
}
