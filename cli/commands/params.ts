import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, migratePlugins, openDatabase } from '../../engine/index.ts';
import {
  type AreaType,
  listStoredParameters,
  RULES_MIGRATIONS,
  type StoredParameter,
  setParameter,
} from '../../plugins/rules/index.ts';
import type { CliCommand } from '../command.ts';

/**
 * `nuanxin params`: the standards (低保标准 …) in the database, as dated values per org unit and
 * area. Every change is written to the audit log with it.
 */

class CliFailure extends Error {}

/** The database with the rules plugin's tables (tracked under the plugin's name, as the server does). */
export async function openRulesDb(option: string | undefined): Promise<Kysely<Database>> {
  const db = await openDatabase(option);
  try {
    await migratePlugins(db, { migrations: [{ pluginName: 'rules', migrations: RULES_MIGRATIONS }] });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

async function withDb(
  option: string | undefined,
  fn: (db: Kysely<Database>) => Promise<void>,
): Promise<void> {
  let db: Kysely<Database> | undefined;
  try {
    db = await openRulesDb(option);
    await fn(db);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`nuanxin params: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
    process.exitCode = 1;
  } finally {
    await db?.destroy();
  }
}

function areaOf(s: string | undefined): AreaType | null {
  if (s === undefined || s === 'both') return null;
  if (s === 'urban' || s === 'rural') return s;
  throw new CliFailure(`--area 应为 urban、rural 或 both / --area must be urban, rural or both: ${s}`);
}

const table = (items: readonly StoredParameter[]): string =>
  items
    .map(
      (p) =>
        `${p.name.padEnd(32)} ${p.orgCode.padEnd(12)} ${(p.area ?? 'both').padEnd(6)} ${p.validFrom}  ${String(p.value).padStart(10)}`,
    )
    .join('\n');

export const command: CliCommand = {
  register(program: Command) {
    const params = program
      .command('params')
      .description('参数（标准）/ standards per org unit, area and date');

    params
      .command('set')
      .description('设置参数自某日起的取值 / set a standard from a date (audited)')
      .argument('<name>', '参数名，如 dibao_standard / parameter name')
      .argument('<value>', '取值 / value')
      .requiredOption('--org <code>', '单位代码 / org unit code')
      .requiredOption('--from <YYYY-MM-DD>', '生效日期 / in force from')
      .option('--area <area>', 'urban | rural（默认城乡通用 / default: both)')
      .option('--by <username>', '记入审计的用户 / user recorded in the audit log')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(
        (
          name: string,
          value: string,
          opts: { org: string; from: string; area?: string; by?: string; db?: string },
        ) =>
          withDb(opts.db, async (db) => {
            const num = Number(value);
            if (value.trim() === '' || !Number.isFinite(num))
              throw new CliFailure(`取值应为数字 / the value must be a number: ${value}`);
            const unit = await getOrgUnit(db, opts.org);
            if (!unit) throw new CliFailure(`找不到单位 / no org unit ${opts.org}`);
            let actor: string | null = null;
            if (opts.by) {
              const u = await db
                .selectFrom('users')
                .select('id')
                .where('username', '=', opts.by)
                .executeTakeFirst();
              if (!u) throw new CliFailure(`找不到用户 / no user ${opts.by}`);
              actor = u.id;
            }
            const r = await setParameter(
              db,
              { name, orgCode: unit.code, area: areaOf(opts.area), validFrom: opts.from, value: num },
              { actor, orgPath: unit.path },
            );
            const was = r.previousValue !== undefined ? ` (原值 / was ${r.previousValue})` : '';
            process.stdout.write(
              `${r.created ? '已添加 / added' : '已更新 / updated'}: ${name} = ${num} @ ${unit.code} ${r.parameter.area ?? 'both'} from ${opts.from}${was}\n`,
            );
          }),
      );

    params
      .command('list')
      .description('列出参数 / list the stored standards')
      .option('--name <name>', '只列出此参数 / only this parameter')
      .option('--org <code>', '只列出此单位的 / only this org unit')
      .option('--json', '以 JSON 输出 / print JSON')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action((opts: { name?: string; org?: string; json?: boolean; db?: string }) =>
        withDb(opts.db, async (db) => {
          const items = await listStoredParameters(db, {
            ...(opts.name ? { name: opts.name } : {}),
            ...(opts.org ? { orgCodes: [opts.org] } : {}),
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ items }, null, 2)}\n`);
          else if (items.length === 0) process.stdout.write('没有参数 / no parameters stored\n');
          else process.stdout.write(`${table(items)}\n`);
        }),
      );
  },
};
