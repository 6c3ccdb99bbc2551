import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { getUserByName } from '../../engine/auth/credentials.ts';
import type { User } from '../../engine/auth/users.ts';
import { type Database, getOrgUnit, migratePlugins } from '../../engine/entry/server.ts';
import {
  ENGINE_VERSION,
  type LoadedPlugins,
  loadPlugins,
  NxError,
  openDatabase,
} from '../../engine/index.ts';
import { builtinPlugins } from '../../plugins/builtins.ts';
import {
  type Actor,
  BUILTIN_FORMS_DIR,
  BUILTIN_REGISTERS_DIR,
  columnValue,
  dumpRegister,
  ensureRegisterTable,
  findByIdentifier,
  importRecords,
  listRecords,
  loadRegisters,
  mergeRecords,
  normaliseKey,
  type PropertyValue,
  REGISTERS_MIGRATIONS,
  type Reader,
  type RegisterDefinition,
  type RegistersService,
  rebuildRegister,
  requestTransfer,
} from '../../plugins/registers/index.ts';
import type { CliCommand } from '../command.ts';
import { fileRecords } from '../import/validated-rows.ts';
import { configuredPlugins, openWithPlugins } from '../plugins.ts';

/**
 * `nuanxin registers list|show|search|import|rebuild|merge|transfer`. The command works on the
 * database directly, as an operator at the top of the org tree (or as `--as <user>`, whose
 * unit bounds it); ID numbers are masked unless `--pii` is given.
 */

interface Common {
  db?: string;
  registers?: string;
  forms?: string;
  as?: string;
  pii?: boolean;
}

async function open(
  o: Common,
  registerId: string,
): Promise<{ db: Kysely<Database>; def: RegisterDefinition; actor: Actor; reader: Reader }> {
  const defs = loadRegisters(o.registers ?? BUILTIN_REGISTERS_DIR, o.forms ?? BUILTIN_FORMS_DIR);
  const def = defs.find((d) => d.id === registerId);
  if (!def) {
    throw new NxError('NX_ERR_REGISTERS_NOT_FOUND', 404, {
      'zh-CN': `没有登记簿“${registerId}”（已有：${defs.map((d) => d.id).join('、')}）`,
      en: `No register "${registerId}" (known: ${defs.map((d) => d.id).join(', ')})`,
    });
  }
  const db = await openDatabase(o.db);
  try {
    await migratePlugins(db, { migrations: [{ pluginName: 'registers', migrations: REGISTERS_MIGRATIONS }] });
    await ensureRegisterTable(db, def);
    const user = await asUser(db, o);
    const actor: Actor = user
      ? { username: user.username, orgPath: user.orgPath }
      : { username: 'cli', orgPath: '/' };
    return { db, def, actor, reader: readerOf(user, o) };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/**
 * The plugin set `show` builds a record's answer with: the configured one (`--config`, else
 * `./nuanxin.config.json`), so the sections its plugins add (the rules' decisions, the benefits)
 * are there as in the server's answer; without a registers plugin in it, the registers plugin
 * alone on `--registers`/`--forms`.
 */
async function showPlugins(o: Common & { config?: string }): Promise<LoadedPlugins> {
  const configured = await configuredPlugins(o.config);
  if (configured?.services.get('registers')) {
    if (o.registers || o.forms) {
      throw new NxError('NX_ERR_PLUGIN_CONFIG_INVALID', 400, {
        'zh-CN':
          '配置中已有 registers 插件，登记簿与表单的目录取自其配置（registersDir、formsDir），不能再用 --registers 或 --forms',
        en: 'The configuration has the registers plugin, whose registersDir and formsDir name the definitions: --registers and --forms do not apply',
      });
    }
    return configured;
  }
  const dirs = {
    ...(o.registers ? { registersDir: o.registers } : {}),
    ...(o.forms ? { formsDir: o.forms } : {}),
  };
  return loadPlugins(
    { plugins: [{ use: 'registers', config: dirs }] },
    { engineVersion: ENGINE_VERSION, builtins: builtinPlugins },
  );
}

/** The `--as` user, refused when unknown or disabled; undefined without `--as`. */
async function asUser(db: Kysely<Database>, o: Common): Promise<User | undefined> {
  if (!o.as) return undefined;
  const user = await getUserByName(db, o.as);
  if (!user || user.disabled) {
    throw new NxError('NX_ERR_REGISTERS_NOT_FOUND', 404, {
      'zh-CN': `没有用户“${o.as}”（或已停用）`,
      en: `No user "${o.as}" (or disabled)`,
    });
  }
  return user;
}

/**
 * Who reads, as the API would have them: the `--as` user's unit and roles (which decide the
 * sections shown), and ID numbers whole only with `--pii` and the user's pii permission; without
 * `--as`, the operator reads the whole tree (no roles) and `--pii` alone decides.
 */
function readerOf(user: User | undefined, o: Common): Reader {
  if (!user) return { orgPath: '/', pii: Boolean(o.pii) };
  return {
    orgPath: user.orgPath,
    pii: Boolean(o.pii) && user.permissions.includes('pii'),
    roles: user.roles,
  };
}

const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

/** Runs a sub-command; a refused input is one line on stderr and exit code 1, never a stack trace. */
const run =
  <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
  async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (!(e instanceof NxError)) throw e;
      process.stderr.write(`${e.code}: ${e.messageText['zh-CN']} / ${e.messageText.en}\n`);
      process.exitCode = 1;
    }
  };

const common = (c: Command) =>
  c
    .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
    .option('--registers <dir>', 'folder of register definitions (default: registers/)')
    .option('--forms <dir>', 'folder of the bound forms (default: forms/)')
    .option('--as <username>', 'act as this user (their unit bounds what is read and written)')
    .option('--pii', 'show ID numbers and phones whole');

/** Reads a CSV/XLSX list: a header row, the key column (the binding's key field or `key`), property columns, `members` (; separated), `orgCode`. */
async function readList(def: RegisterDefinition, file: string, orgCode: string | undefined) {
  const keyColumn = def.forms[0]?.key ?? 'key';
  let header: string[] | undefined;
  const rows: {
    key: string;
    properties: Record<string, PropertyValue>;
    members: string[];
    base: undefined;
    orgCode: string;
  }[] = [];
  const problems: string[] = [];
  let line = 1;
  for await (const cells of fileRecords(file, { read: 0 })) {
    if (!header) {
      header = cells.map((c) => String(c ?? '').trim());
      continue;
    }
    line++;
    const at = (name: string) => {
      const i = header?.indexOf(name) ?? -1;
      return i >= 0 ? cells[i] : undefined;
    };
    const key = normaliseKey(def.key.type, at(keyColumn) ?? at('key'));
    const unit = String(at('orgCode') ?? orgCode ?? '');
    if (!key || !unit) {
      problems.push(
        `row ${line}: ${!key ? `${keyColumn} missing or malformed` : 'orgCode missing (column or --org)'}`,
      );
      continue;
    }
    const properties: Record<string, PropertyValue> = {};
    for (const p of def.properties) properties[p.id] = columnValue(p, at(p.id));
    const members = def.members
      ? String(at('members') ?? '')
          .split(/[;；,，\s]+/)
          .flatMap((m) => {
            const id = normaliseKey(def.members?.type ?? 'text', m);
            return id && id !== key ? [id] : [];
          })
      : [];
    rows.push({ key, properties, members: [...new Set(members)], base: undefined, orgCode: unit });
  }
  return { rows, problems };
}

export const command: CliCommand = {
  register(program: Command) {
    const reg = program
      .command('registers')
      .description(
        '登记簿：列表、查看、查找、导入、重建、合并、迁移 / registers: list, show, search, import, rebuild, merge, transfer',
      );

    common(reg.command('list').argument('<register>', 'register id, e.g. households'))
      .option('--status <status>', 'only records of this status')
      .option('--org <code>', 'only records owned in this unit’s subtree')
      .option('--after <id>', 'the last id of the previous page')
      .option('--limit <n>', 'records per page (1–500)', '50')
      .description('列出记录（按编号分页）/ list records, paged by id')
      .action(
        run(
          async (
            id: string,
            o: Common & { status?: string; org?: string; after?: string; limit: string },
          ) => {
            const { db, def, reader } = await open(o, id);
            try {
              const unit = o.org ? await getOrgUnit(db, o.org) : undefined;
              print(
                await listRecords(db, def, reader, {
                  ...(o.status ? { status: o.status } : {}),
                  ...(unit ? { orgPath: unit.path } : {}),
                  ...(o.after ? { after: o.after } : {}),
                  limit: Number(o.limit),
                }),
              );
            } finally {
              await db.destroy();
            }
          },
        ),
      );

    common(reg.command('show').argument('<register>').argument('<record>', 'record id'))
      .option(
        '--config <file>',
        'plugin configuration: its plugins add their sections to the answer, as in the API (default: ./nuanxin.config.json when present)',
      )
      .description(
        '一条记录及其时间线，含其他插件附加的部分（决定、待遇）/ one record with its timeline and the sections other plugins add (decisions, benefits)',
      )
      .action(
        run(async (id: string, record: string, o: Common & { config?: string }) => {
          const plugins = await showPlugins(o);
          const service = plugins.services.get('registers') as RegistersService;
          const db = await openWithPlugins(o.db, plugins);
          try {
            // The registers service builds the answer, as for GET /api/registers/<register>/records/<id>.
            print(await service.showRecord(db, id, readerOf(await asUser(db, o), o), record));
          } finally {
            await db.destroy();
          }
        }),
      );

    common(reg.command('search').argument('<register>'))
      .description(
        '按身份证号查找（从标准输入读取号码，不进命令行历史）/ find by ID number, read from standard input',
      )
      .action(
        run(async (id: string, o: Common) => {
          const chunks: Buffer[] = [];
          for await (const c of process.stdin) chunks.push(c as Buffer);
          const { db, def, reader } = await open(o, id);
          try {
            const number = Buffer.concat(chunks).toString('utf8').trim();
            print(await findByIdentifier(db, def, reader, number));
          } finally {
            await db.destroy();
          }
        }),
      );

    common(reg.command('rebuild').argument('<register>'))
      .option('--check', 'exit 1 when the rebuilt register differs from the one stored before')
      .description(
        '由提交与记录在案的操作重建登记簿 / rebuild the register from submissions and recorded actions',
      )
      .action(
        run(async (id: string, o: Common & { check?: boolean }) => {
          const { db, def } = await open(o, id);
          try {
            const before = await dumpRegister(db, def);
            const report = await rebuildRegister(db, def);
            const same = (await dumpRegister(db, def)) === before;
            print({ ...report, unchanged: same });
            if (o.check && !same) process.exitCode = 1;
          } finally {
            await db.destroy();
          }
        }),
      );

    common(reg.command('import').argument('<register>').argument('<file>', 'CSV or XLSX list'))
      .option('--org <code>', 'the unit owning rows without an orgCode column')
      .description(
        '从 CSV/XLSX 名单导入记录（每行一个记录在案的导入操作）/ import records from a CSV/XLSX list',
      )
      .action(
        run(async (id: string, file: string, o: Common & { org?: string }) => {
          const { db, def, actor } = await open(o, id);
          try {
            const { rows, problems } = await readList(def, file, o.org);
            const r = await importRecords(db, def, actor, rows);
            print({ ...r, rejected: problems.length, problems });
            if (problems.length > 0) process.exitCode = 1;
          } finally {
            await db.destroy();
          }
        }),
      );

    common(reg.command('merge').argument('<register>').argument('<keep>').argument('<drop>'))
      .description('合并两条记录（drop 并入 keep）/ merge drop into keep')
      .action(
        run(async (id: string, keep: string, drop: string, o: Common) => {
          const { db, def, actor } = await open(o, id);
          try {
            await mergeRecords(db, def, actor, keep, drop);
            print({ merged: drop, into: keep });
          } finally {
            await db.destroy();
          }
        }),
      );

    common(
      reg.command('transfer').argument('<register>').argument('<record>').argument('<to>', 'village code'),
    )
      .description('迁移记录到另一个村 / transfer a record to another village')
      .action(
        run(async (id: string, record: string, to: string, o: Common) => {
          const { db, def, actor } = await open(o, id);
          try {
            print(await requestTransfer(db, def, actor, record, to));
          } finally {
            await db.destroy();
          }
        }),
      );
  },
};
