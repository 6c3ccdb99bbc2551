import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { type Database, getOrgUnit } from '../../engine/entry/server.ts';
import {
  BUILTIN_RULESETS_DIR,
  type ChangeItem,
  CLOSE_ACTIONS,
  type CloseAction,
  closeChange,
  countOpenChanges,
  createDbParameterSource,
  createRulesService,
  type JobProgress,
  listChanges,
  listJobs,
  listRevisits,
  loadRulesetsDir,
  type RulesService,
  runMonitoring,
} from '../../plugins/rules/index.ts';
import type { CliCommand } from '../command.ts';
import { openRulesDb } from './params.ts';

/**
 * `nuanxin monitoring`: dynamic monitoring (动态监测) — run the jobs that re-decide families after
 * a standard changed, and read and close the change list of a unit.
 */

interface Common {
  db?: string;
  as?: string;
  pii?: boolean;
  rulesets?: string;
  register?: string;
}

class CliFailure extends Error {}

/** Who the command acts as: a user's unit bounds it; without `--as` the whole tree as `cli`. */
async function actorOf(db: Kysely<Database>, username: string | undefined) {
  if (!username) return { userId: null as string | null, orgPath: '/' };
  const user = await db
    .selectFrom('users')
    .select(['id', 'org_code'])
    .where('username', '=', username)
    .executeTakeFirst();
  const unit = user ? await getOrgUnit(db, user.org_code) : undefined;
  if (!user || !unit) throw new CliFailure(`没有用户 / no user ${username}`);
  return { userId: user.id, orgPath: unit.path };
}

async function scope(db: Kysely<Database>, actorPath: string, org: string | undefined): Promise<string> {
  if (!org) return actorPath;
  const unit = await getOrgUnit(db, org);
  if (!unit?.path.startsWith(actorPath)) throw new CliFailure(`找不到单位 / no org unit ${org}`);
  return unit.path;
}

const service = (db: Kysely<Database>, dir: string | undefined): RulesService =>
  createRulesService({
    rulesets: loadRulesetsDir(dir ?? BUILTIN_RULESETS_DIR),
    source: createDbParameterSource(db),
  });

async function withDb(o: Common, fn: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  let db: Kysely<Database> | undefined;
  try {
    db = await openRulesDb(o.db);
    await fn(db);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const message = err.message ?? String(e);
    const code = err.code && !message.startsWith(err.code) ? `${err.code}: ` : '';
    process.stderr.write(`nuanxin monitoring: ${code}${message}\n`);
    process.exitCode = 1;
  } finally {
    await db?.destroy();
  }
}

const jobLine = (j: JobProgress): string =>
  `${j.id}  ${j.status.padEnd(7)} ${j.rulesetId} @ ${j.orgCode} as of ${j.asOf}  ${j.done}/${j.total ?? '?'}  变动 / changes ${j.changes}  ${String(j.cause.series ?? j.cause.type)}${j.cause.withdrawn ? ' (撤回 / withdrawn)' : j.cause.value !== undefined ? ` = ${j.cause.value}` : ''}`;

const show = (v: Readonly<Record<string, unknown>>) =>
  Object.entries(v)
    .map(([k, x]) => `${k}=${x === null ? '-' : String(x)}`)
    .join(' ');

const changeLine = (c: ChangeItem): string =>
  [
    `${c.id}  ${c.status.padEnd(6)} ${c.kind.padEnd(11)} ${c.orgCode}  ${c.headName ?? ''} ${c.idNumber ?? ''}`,
    `    ${show(c.before)}  →  ${show(c.after)}`,
    `    起因 / cause: ${show(c.cause)}${c.action ? `  处理 / action: ${c.action}${c.note ? ` (${c.note})` : ''}` : ''}`,
  ].join('\n');

const common = (c: Command) =>
  c
    .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
    .option(
      '--as <username>',
      '以该用户身份（其单位限定范围）/ act as this user (their unit bounds what is read and written)',
    )
    .option('--rulesets <dir>', '规则集目录 / folder of rulesets');

export const command: CliCommand = {
  register(program: Command) {
    const m = program
      .command('monitoring')
      .description(
        '动态监测：标准变更后重新认定、变动清单、复核到期 / dynamic monitoring: re-decisions, change list, re-visits',
      );

    common(
      m
        .command('run')
        .description(
          '将已保存的标准变更入队，并逐批重新认定受影响的家庭（可中断、可续跑；多进程各领一个任务）/ queue changed standards and re-decide the families they affect, in batches (resumable; each job claimed by one process)',
        )
        .option('--batch <n>', '每批户数 / families per batch', '200')
        .option(
          '--max-batches <n>',
          '本次最多运行的批数（其余下次续跑）/ stop after this many batches (the rest resumes next run)',
        )
        .option(
          '--register <id>',
          '只重新认定该登记簿在册记录的当前调查 / only the current survey of each active record',
          'households',
        ),
    ).action((o: Common & { batch: string; maxBatches?: string; register: string }) =>
      withDb(o, async (db) => {
        const batchSize = Number(o.batch);
        if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliFailure(`--batch: ${o.batch}`);
        const maxBatches = o.maxBatches === undefined ? undefined : Number(o.maxBatches);
        const r = await runMonitoring(db, service(db, o.rulesets), {
          register: o.register,
          batchSize,
          ...(maxBatches !== undefined ? { maxBatches } : {}),
          onProgress: (j) => process.stdout.write(`${jobLine(j)}\n`),
        });
        process.stdout.write(
          `入队 / queued ${r.queued.length}; 运行 / ran ${r.ran.length} (${r.ran.filter((j) => j.status === 'done').length} 完成 / done); 他进程占用 / held elsewhere ${r.skipped}; 复查变动 / re-survey items ${r.resurveys}; 逾期复核 / overdue re-visits ${r.revisits}\n`,
        );
      }),
    );

    common(m.command('jobs').description('监测任务及进度 / jobs and their progress')).action((o: Common) =>
      withDb(o, async (db) => {
        const actor = await actorOf(db, o.as);
        for (const j of await listJobs(db, { orgPath: actor.orgPath }))
          process.stdout.write(`${jobLine(j)}\n`);
      }),
    );

    common(
      m
        .command('changes')
        .description('变动清单（默认待处理）/ the change list (open items by default)')
        .option('--org <code>', '单位 / unit')
        .option('--status <status>', 'open | closed | all', 'open')
        .option('--kind <kind>', 'joined | left | candidate | type | entitlement | revisit')
        .option('--job <id>', "某任务的变动 / one job's items")
        .option('--summary', '各单位待处理数 / open items per unit')
        .option('--pii', '显示完整身份证号 / show ID numbers whole'),
    ).action((o: Common & { org?: string; status: string; kind?: string; job?: string; summary?: boolean }) =>
      withDb(o, async (db) => {
        const actor = await actorOf(db, o.as);
        const orgPath = await scope(db, actor.orgPath, o.org);
        if (o.summary) {
          for (const r of await countOpenChanges(db, orgPath))
            process.stdout.write(`${r.orgCode}  ${r.kind.padEnd(11)} ${r.open}\n`);
          return;
        }
        if (!['open', 'closed', 'all'].includes(o.status)) throw new CliFailure(`--status: ${o.status}`);
        let after: string | undefined;
        do {
          const page = await listChanges(db, {
            orgPath,
            status: o.status as 'open',
            ...(o.kind ? { kind: o.kind } : {}),
            ...(o.job ? { jobId: o.job } : {}),
            ...(after ? { after } : {}),
            limit: 500,
            pii: Boolean(o.pii),
          });
          for (const c of page.items) process.stdout.write(`${changeLine(c)}\n`);
          after = page.next ?? undefined;
        } while (after);
      }),
    );

    common(
      m
        .command('close')
        .description('处理一项变动（留审计）/ close a change item with an action (audited)')
        .argument('<id>', '变动事项 / change item id')
        .requiredOption('--action <action>', CLOSE_ACTIONS.join(' | '))
        .option('--note <text>', '说明 / note'),
    ).action((id: string, o: Common & { action: string; note?: string }) =>
      withDb(o, async (db) => {
        const actor = await actorOf(db, o.as);
        const c = await closeChange(db, {
          id,
          action: o.action as CloseAction,
          note: o.note,
          actor: actor.userId,
          orgPath: actor.orgPath,
          now: new Date().toISOString(),
        });
        process.stdout.write(`已处理 / closed: ${changeLine(c)}\n`);
      }),
    );

    common(
      m
        .command('revisits')
        .description('复核到期与逾期的家庭 / families due or overdue for a re-survey')
        .option('--org <code>', '单位 / unit')
        .option('--state <state>', 'due | overdue')
        .option('--within <days>', '多少天内到期 / due within this many days', '30')
        .option('--on <YYYY-MM-DD>', '按该日计算 / as on this day')
        .option('--register <id>', '登记簿 / register', 'households')
        .option('--pii', '显示完整身份证号 / show ID numbers whole'),
    ).action((o: Common & { org?: string; state?: string; within: string; on?: string; register: string }) =>
      withDb(o, async (db) => {
        const actor = await actorOf(db, o.as);
        if (o.state !== undefined && o.state !== 'due' && o.state !== 'overdue')
          throw new CliFailure(`--state: ${o.state}`);
        const r = await listRevisits(db, service(db, o.rulesets), {
          orgPath: await scope(db, actor.orgPath, o.org),
          register: o.register,
          ...(o.state ? { state: o.state } : {}),
          withinDays: Number(o.within),
          ...(o.on ? { on: o.on } : {}),
          pii: Boolean(o.pii),
        });
        for (const v of r.items)
          process.stdout.write(
            `${v.state.padEnd(7)} ${v.dueDate}  ${v.orgCode}  ${v.headName ?? ''} ${v.idNumber ?? ''}  ${v.category} 每 ${v.intervalMonths} 月 / every ${v.intervalMonths} months, 上次调查 / surveyed ${v.surveyDate}\n`,
          );
        process.stdout.write(`${r.items.length} 户 / families (${r.on})\n`);
      }),
    );
  },
};
