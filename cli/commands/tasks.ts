import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Principal } from '../../engine/auth/principal.ts';
import { getUser } from '../../engine/auth/users.ts';
import { ENGINE_VERSION } from '../../engine/plugin/engine-version.ts';
import { loadPluginsFromFile } from '../../engine/plugin/load-plugins.ts';
import { openDatabase } from '../../engine/store/open.ts';
import { loadWorkflowCatalog } from '../../engine/workflow-store/catalog.ts';
import { WorkflowService } from '../../engine/workflow-store/service.ts';
import type { Task } from '../../engine/workflow-store/tasks.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import type { CliCommand } from '../command.ts';

export interface TasksOptions {
  user: string;
  db?: string;
  config?: string;
  workflows?: string;
  state?: string;
  form?: string;
  json?: boolean;
}

/** One task as a line: when, state, case, actions; overdue ones marked. */
export function formatTask(t: Task): string {
  const mark = t.overdue ? '⚠ 逾期/overdue ' : '';
  const actions = t.actions.map((a) => a.action).join(',');
  return `${mark}${t.stateLabel['zh-CN']} / ${t.stateLabel.en}  ${t.formId}  ${t.submissionId}  ${t.orgUnit}  [${actions}]${t.deadline ? `  due ${t.deadline}` : ''}\n`;
}

/** The tasks of one user, as the server would list them (same workflows, same rules). */
export async function tasksOf(opts: TasksOptions): Promise<Task[]> {
  const config = opts.config ?? (existsSync('nuanxin.config.json') ? 'nuanxin.config.json' : undefined);
  const plugins = config
    ? await loadPluginsFromFile(config, { engineVersion: ENGINE_VERSION, builtins: builtinPlugins })
    : undefined;
  const db = await openDatabase(opts.db);
  try {
    const row = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', opts.user)
      .executeTakeFirst();
    const user = row ? await getUser(db, row.id) : undefined;
    if (!user || user.disabled) throw new Error(`no such user: ${opts.user}`);
    const dir = opts.workflows ?? 'workflows';
    const catalog = await loadWorkflowCatalog(db, {
      ...(existsSync(dir) ? { dir } : {}),
      ...(plugins ? { effects: plugins.effects, operations: plugins.operations } : {}),
    });
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      orgCode: user.orgCode,
      orgPath: user.orgPath,
      roles: user.roles,
      permissions: user.permissions,
      tokenId: 'cli',
      tokenKind: 'api',
    };
    return await new WorkflowService(db, catalog).tasks(principal, {
      ...(opts.state ? { state: opts.state } : {}),
      ...(opts.form ? { form: opts.form } : {}),
    });
  } finally {
    await db.destroy();
  }
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('tasks')
      .description('待办列表 / the cases a user may act on now, overdue first')
      .requiredOption('--user <name>', 'username')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .option('--workflows <dir>', 'workflow folder (default: ./workflows)')
      .option('--state <state>', 'only this state')
      .option('--form <id>', 'only this form')
      .option('--json', '以 JSON 输出 / print JSON')
      .action(async (opts: TasksOptions) => {
        const tasks = await tasksOf(opts);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ user: opts.user, tasks }, null, 2)}\n`);
          return;
        }
        for (const t of tasks) process.stdout.write(formatTask(t));
        process.stdout.write(`${tasks.length} 项待办 / task(s) for ${opts.user}\n`);
      });
  },
};
