import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, migratePlugins } from '../../engine/entry/server.ts';
import { openDatabase } from '../../engine/index.ts';
import {
  type AreaType,
  BUILTIN_RULESETS_DIR,
  type ChangePreview,
  checkParameterRecord,
  createDbParameterSource,
  createRulesService,
  listStoredParameters,
  loadRulesetsDir,
  previewParameterChange,
  RULES_MIGRATIONS,
  type RulesService,
  type StoredParameter,
  setParameter,
  withdrawParameter,
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
    process.stderr.write(
      `nuanxin params: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}${located(e)}\n`,
    );
    process.exitCode = 1;
  } finally {
    await db?.destroy();
  }
}

async function actorOf(db: Kysely<Database>, username: string | undefined): Promise<string | null> {
  if (!username) return null;
  const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!u) throw new CliFailure(`找不到用户 / no user ${username}`);
  return u.id;
}

function areaOf(s: string | undefined): AreaType | null {
  if (s === undefined || s === 'both') return null;
  if (s === 'urban' || s === 'rural') return s;
  throw new CliFailure(`--area 应为 urban、rural 或 both / --area must be urban, rural or both: ${s}`);
}

/** The rulesets whose declarations a value is checked against (the built-in ones unless --rulesets). */
function rulesService(db: Kysely<Database>, dir: string | undefined): RulesService {
  return createRulesService({
    rulesets: loadRulesetsDir(dir ?? BUILTIN_RULESETS_DIR),
    source: createDbParameterSource(db),
  });
}

/** Located problems of a refused value, one per line: `/value NX_ERR_…: 中文 / English`. */
function located(e: unknown): string {
  const errors = (
    e as { errors?: { path: string; code: string; message: { 'zh-CN': string; en: string } }[] }
  ).errors;
  return errors?.length
    ? `\n${errors.map((d) => `  ${d.path} ${d.code}: ${d.message['zh-CN']} / ${d.message.en}`).join('\n')}`
    : '';
}

const previewText = (p: ChangePreview): string =>
  [
    `影响测算 / preview (${p.ruleset}, as of ${p.asOf}, ${p.households} 户 / households):`,
    `  进入名册 / join the roster: ${p.rosterJoined}; 退出名册 / leave it: ${p.rosterLeft}; 困难类型变化 / hardship type changed: ${p.hardshipTypeChanged}; 补差金额变化 / entitlement changed: ${p.entitlementChanged}`,
    `  月支出 / monthly cost: ${p.costBefore} → ${p.costAfter} (${p.costChange >= 0 ? '+' : ''}${p.costChange})`,
    ...Object.entries(p.transitions).map(([k, n]) => `  ${k}: ${n}`),
  ].join('\n');

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
      .description(
        '设置参数自某日起的取值（先显示影响测算；取代同日旧值，留审计）/ set a standard from a date (shows its effect first; supersedes a value of the same date; audited)',
      )
      .argument('<name>', '参数名，如 dibao_standard / parameter name')
      .argument('<value>', '取值 / value')
      .requiredOption('--org <code>', '单位代码 / org unit code')
      .requiredOption('--from <YYYY-MM-DD>', '生效日期 / in force from')
      .option('--area <area>', 'urban | rural（默认城乡通用 / default: both)')
      .option('--note <text>', '原因 / why (kept with the value)')
      .option('--dry-run', '只测算影响，不保存 / only show the effect, save nothing')
      .option('--rulesets <dir>', '规则集目录（声明参数）/ folder of rulesets declaring the parameters')
      .option('--by <username>', '记入审计的用户 / user recorded in the audit log')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(
        (
          name: string,
          value: string,
          opts: {
            org: string;
            from: string;
            area?: string;
            note?: string;
            dryRun?: boolean;
            rulesets?: string;
            by?: string;
            db?: string;
          },
        ) =>
          withDb(opts.db, async (db) => {
            const num = Number(value);
            if (value.trim() === '' || !Number.isFinite(num))
              throw new CliFailure(`取值应为数字 / the value must be a number: ${value}`);
            const unit = await getOrgUnit(db, opts.org);
            if (!unit) throw new CliFailure(`找不到单位 / no org unit ${opts.org}`);
            const actor = await actorOf(db, opts.by);
            const service = rulesService(db, opts.rulesets);
            const record = {
              name,
              orgCode: unit.code,
              area: areaOf(opts.area),
              validFrom: opts.from,
              value: num,
            };
            checkParameterRecord(record, service.catalog);
            for (const id of service.catalog.get(name)?.rulesets ?? []) {
              const compiled = service.get(id);
              if (compiled)
                process.stdout.write(
                  `${previewText(await previewParameterChange(db, compiled, { record, orgPath: unit.path }))}\n`,
                );
            }
            if (opts.dryRun) {
              process.stdout.write('未保存（--dry-run）/ nothing saved (--dry-run)\n');
              return;
            }
            const r = await setParameter(
              db,
              record,
              { actor, orgPath: unit.path, ...(opts.note ? { note: opts.note } : {}) },
              service.catalog,
            );
            const was = r.previousValue !== undefined ? ` (取代原值 / supersedes ${r.previousValue})` : '';
            process.stdout.write(
              `${r.created ? '已添加 / added' : '已取代 / superseded'}: ${name} = ${num} @ ${unit.code} ${r.parameter.area ?? 'both'} from ${opts.from}${was}\n`,
            );
          }),
      );

    params
      .command('withdraw')
      .description(
        '撤回某日起的取值（之前的取值重新生效；留审计）/ withdraw the value from a date (the earlier value applies again; audited)',
      )
      .argument('<name>', '参数名 / parameter name')
      .requiredOption('--org <code>', '单位代码 / org unit code')
      .requiredOption('--from <YYYY-MM-DD>', '要撤回的取值的生效日期 / the date of the value to withdraw')
      .option('--area <area>', 'urban | rural（默认城乡通用 / default: both)')
      .option('--note <text>', '原因 / why')
      .option('--by <username>', '记入审计的用户 / user recorded in the audit log')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .action(
        (
          name: string,
          opts: { org: string; from: string; area?: string; note?: string; by?: string; db?: string },
        ) =>
          withDb(opts.db, async (db) => {
            const unit = await getOrgUnit(db, opts.org);
            if (!unit) throw new CliFailure(`找不到单位 / no org unit ${opts.org}`);
            const actor = await actorOf(db, opts.by);
            const w = await withdrawParameter(
              db,
              { name, orgCode: unit.code, area: areaOf(opts.area), validFrom: opts.from },
              { actor, orgPath: unit.path, ...(opts.note ? { note: opts.note } : {}) },
            );
            process.stdout.write(
              `已撤回 / withdrawn: ${name} = ${w.value} @ ${unit.code} ${w.area ?? 'both'} from ${w.validFrom}\n`,
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
