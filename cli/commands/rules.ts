import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { schemaProblems } from '../../engine/entry/definition.ts';
import { todayInChina } from '../../engine/entry/runtime.ts';
import { getOrgUnit } from '../../engine/entry/server.ts';
import {
  BUILTIN_RULESETS_DIR,
  type CompiledRuleset,
  chainOfPath,
  compileRuleset,
  createDbParameterSource,
  DEMO_PARAMETERS_FILE,
  type Decision,
  loadParameterFile,
  loadParameterRecords,
  loadRulesetFile,
  lookupOf,
  type ParameterRecord,
  type ProposedValue,
  proposeParameters,
  RuleCases,
  runCases,
  type WhatIfHousehold,
  type WhatIfReport,
  whatIf,
  whatIfFromDb,
} from '../../plugins/rules/index.ts';
import type { CliCommand } from '../command.ts';
import { openRulesDb } from './params.ts';

/** A ruleset id (`household-eligibility` → the built-in folder) or a path to a ruleset file. */
export function resolveRulesetPath(idOrFile: string): string {
  if (idOrFile.endsWith('.json') || existsSync(idOrFile)) return idOrFile;
  return join(BUILTIN_RULESETS_DIR, `${idOrFile}.json`);
}

class CliFailure extends Error {}

function loadCompiled(idOrFile: string): CompiledRuleset {
  const r = loadRulesetFile(resolveRulesetPath(idOrFile));
  if (!r.ok) {
    const lines = r.problems.map(
      (p) => `${p.file ?? ''}#${p.pointer}  ${p.code}  ${p.message['zh-CN']} / ${p.message.en}`,
    );
    throw new CliFailure(`规则集有错误 / the ruleset has problems:\n${lines.join('\n')}`);
  }
  return compileRuleset(r.value);
}

function loadParams(file: string | undefined): ParameterRecord[] {
  const r = loadParameterFile(file ?? DEMO_PARAMETERS_FILE);
  if (!r.ok) {
    throw new CliFailure(
      `参数文件有错误 / the parameter file has problems:\n${r.problems.map((p) => `#${p.pointer}  ${p.message.en}`).join('\n')}`,
    );
  }
  return r.value;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliFailure(`无法读取 / cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const ENVELOPE = new Set(['data', 'orgCode', 'asOf', 'description']);

/** FACTS.json is a submission's data, or `{ data, orgCode?, asOf? }` (a stored submission's shape). */
function factsOf(json: unknown): { data: Record<string, unknown>; orgCode?: string; asOf?: string } {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CliFailure('FACTS.json 应为对象 / FACTS.json must hold an object');
  const o = json as Record<string, unknown>;
  if (typeof o.data === 'object' && o.data !== null && Object.keys(o).every((k) => ENVELOPE.has(k))) {
    return {
      data: o.data as Record<string, unknown>,
      ...(typeof o.orgCode === 'string' ? { orgCode: o.orgCode } : {}),
      ...(typeof o.asOf === 'string' ? { asOf: o.asOf } : {}),
    };
  }
  return { data: o };
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function printDecision(d: Decision): void {
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(
    `规则集 / ruleset  ${d.ruleset} v${d.version}    单位 / org ${d.orgCode}    城乡 / area ${d.area ?? '—'}    日期 / as of ${d.asOf}`,
  );
  w('参数 / parameters:');
  for (const [alias, p] of Object.entries(d.parameters)) {
    const from =
      'default' in p
        ? '规则集默认 / ruleset default'
        : `${p.orgCode} ${p.area ?? 'urban+rural'} from ${p.validFrom}`;
    w(`  ${alias} = ${p.value}    (${p.name}; ${from})`);
  }
  w('结果 / outputs:');
  for (const [k, v] of Object.entries(d.outputs)) w(`  ${k}: ${show(v)}`);
  w('说明 / explanation:');
  for (const e of d.explanation) {
    w(`  ${e.passed ? '✓' : '✗'} ${e.label['zh-CN']} / ${e.label.en}`);
    w(`      ${e.reason['zh-CN']}`);
    w(`      ${e.reason.en}`);
  }
}

/** HOUSEHOLDS.json: `[{ "id", "orgCode", "data" }, …]` (what the store will export for a subtree). */
function householdsOf(json: unknown): WhatIfHousehold[] {
  if (!Array.isArray(json))
    throw new CliFailure('HOUSEHOLDS.json 应为数组 / HOUSEHOLDS.json must hold an array');
  return json.map((h, i) => {
    const o = (typeof h === 'object' && h !== null ? h : {}) as Record<string, unknown>;
    if (typeof o.orgCode !== 'string' || typeof o.data !== 'object' || o.data === null)
      throw new CliFailure(`#/${i}: 需要 orgCode 和 data / needs orgCode and data`);
    return {
      id: typeof o.id === 'string' ? o.id : String(i),
      orgCode: o.orgCode,
      data: o.data as Record<string, unknown>,
    };
  });
}

function printWhatIf(r: WhatIfReport): void {
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w(`日期 / as of ${r.asOf}`);
  w(
    '县 / county  户数 / households  变化 / changed  月支出 / monthly cost: 现行 / now → 拟议 / proposed (差额 / change)',
  );
  for (const c of [...r.counties, { county: '合计 / total', ...r.totals }]) {
    w(
      `${c.county}  ${c.households}  ${c.changed}  ${c.costBefore} → ${c.costAfter} (${c.costChange >= 0 ? '+' : ''}${c.costChange})`,
    );
    for (const [t, n] of Object.entries(c.transitions)) w(`    ${t}: ${n}`);
  }
}

/** `NAME=VALUE` of `--param`. */
const parseProposed =
  (area: string | undefined) =>
  (s: string): ProposedValue => {
    const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(s);
    const value = m ? Number(m[2]) : Number.NaN;
    if (!m?.[1] || !Number.isFinite(value))
      throw new CliFailure(`--param 应为 NAME=数字 / --param must be NAME=number: ${s}`);
    if (area !== undefined && area !== 'urban' && area !== 'rural')
      throw new CliFailure(`--area 应为 urban 或 rural / --area must be urban or rural: ${area}`);
    return { name: m[1], value, ...(area ? { area } : {}) };
  };

async function guardedAsync(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`nuanxin rules: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
    process.exitCode = 1;
  }
}

async function guarded(fn: () => void): Promise<void> {
  try {
    fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`nuanxin rules: ${msg}\n`);
    process.exitCode = 1;
  }
}

export const command: CliCommand = {
  register(program: Command) {
    const rules = program.command('rules').description('规则集：认定与测试 / rulesets: evaluate and test');

    rules
      .command('eval')
      .description('对一户的调查数据运行规则集 / evaluate a ruleset on one household’s data')
      .argument('<ruleset>', '规则集标识或文件 / ruleset id or file')
      .argument('<facts>', '入户调查数据（JSON）/ household-survey data (JSON)')
      .option('--org <code>', '所属单位代码 / org unit code (GB/T 2260)')
      .option('--date <YYYY-MM-DD>', '认定日期（默认今天）/ decision date (default today)')
      .option('--params <file>', '参数文件（默认演示参数）/ parameter file (default: the demo parameters)')
      .option('--db <url>', '从数据库读取参数 / read the standards from this database')
      .option('--json', '以 JSON 输出完整结果 / print the whole decision as JSON')
      .action(
        (
          ruleset: string,
          factsFile: string,
          opts: { org?: string; date?: string; params?: string; db?: string; json?: boolean },
        ) =>
          guardedAsync(async () => {
            const compiled = loadCompiled(ruleset);
            const facts = factsOf(readJson(factsFile));
            const orgCode = opts.org ?? facts.orgCode;
            if (!orgCode)
              throw new CliFailure('需要 --org（所属单位代码）/ --org (the org unit code) is required');
            if (!/^\d{6}(\d{3}){0,2}$/.test(orgCode))
              throw new CliFailure(`单位代码无效 / invalid org code: ${orgCode}`);
            const asOf = opts.date ?? facts.asOf ?? todayInChina();
            if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
              throw new CliFailure(`日期应为 YYYY-MM-DD / date must be YYYY-MM-DD: ${asOf}`);
            // --db (or DATABASE_URL without --params) reads the stored standards; else a file.
            const dbUrl = opts.db ?? (opts.params ? undefined : process.env.DATABASE_URL);
            let records: ParameterRecord[];
            let chain: string[] | undefined;
            if (dbUrl) {
              const db = await openRulesDb(dbUrl);
              try {
                records = await loadParameterRecords(createDbParameterSource(db), compiled.parameterNames);
                const unit = await getOrgUnit(db, orgCode);
                chain = unit ? chainOfPath(unit.path) : undefined;
              } finally {
                await db.destroy();
              }
            } else records = loadParams(opts.params);
            const d = compiled.evaluate(facts.data, {
              orgCode,
              asOf,
              parameters: lookupOf(records),
              ...(chain ? { chain } : {}),
            });
            if (opts.json) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
            else printDecision(d);
          }),
      );

    rules
      .command('test')
      .description('运行规则集的测试用例，不符则退出码 1 / run a ruleset’s cases; exit 1 on a mismatch')
      .argument('<ruleset>', '规则集标识或文件 / ruleset id or file')
      .argument('<cases>', '用例文件（*.cases.json）/ cases file')
      .option('--params <file>', '参数文件（默认演示参数）/ parameter file (default: the demo parameters)')
      .option('--json', '以 JSON 输出结果 / print results as JSON')
      .action((ruleset: string, casesFile: string, opts: { params?: string; json?: boolean }) =>
        guarded(() => {
          const compiled = loadCompiled(ruleset);
          const json = readJson(casesFile);
          const problems = schemaProblems(RuleCases, json, casesFile);
          if (problems.length > 0)
            throw new CliFailure(
              problems.map((p) => `${casesFile}#${p.pointer}  ${p.message.en}`).join('\n'),
            );
          const results = runCases(compiled, json as RuleCases, loadParams(opts.params));
          const failed = results.filter((r) => !r.ok);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, results }, null, 2)}\n`);
          } else {
            for (const r of results) {
              process.stdout.write(`${r.ok ? '✓' : '✗'} ${r.name}\n`);
              if (r.error) process.stdout.write(`    ${r.error}\n`);
              for (const m of r.mismatches)
                process.stdout.write(
                  `    ${m.output}: 期望 / expected ${show(m.expected)}, 实际 / got ${show(m.actual)}\n`,
                );
            }
            process.stdout.write(
              `${results.length - failed.length}/${results.length} 通过 / passed${failed.length ? `，${failed.length} 失败 / failed` : ''}\n`,
            );
          }
          if (failed.length > 0) process.exitCode = 1;
        }),
      );

    rules
      .command('what-if')
      .description(
        '拟议参数下的影响测算（按县）：--org 读数据库中的入户调查，否则读文件 / impact of proposed standards per county: from the database with --org, else from files',
      )
      .argument(
        '[ruleset]',
        '规则集标识或文件（默认 household-eligibility）/ ruleset id or file',
        'household-eligibility',
      )
      .argument(
        '[households]',
        '家庭列表 [{ id, orgCode, data }]（JSON，文件模式）/ households (JSON, file mode)',
      )
      .option(
        '--org <code>',
        '数据库模式：测算此单位辖区内的家庭 / database mode: the households in this subtree',
      )
      .option(
        '--param <NAME=VALUE>',
        '拟议值（可重复），设于 --org 单位，自 --date 起 / proposed value (repeatable), at --org from --date',
        (v: string, acc: string[]) => [...acc, v],
        [] as string[],
      )
      .option(
        '--area <area>',
        '拟议值适用 urban 或 rural（默认两者）/ proposed values for urban or rural (default both)',
      )
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--proposed <file>', '文件模式：拟议参数文件 / file mode: proposed parameter file')
      .option(
        '--params <file>',
        '文件模式：现行参数文件（默认演示参数）/ file mode: current parameter file (default: the demo parameters)',
      )
      .option('--date <YYYY-MM-DD>', '测算日期（默认今天）/ date of the comparison (default today)')
      .option('--json', '以 JSON 输出 / print the report as JSON')
      .action(
        async (
          ruleset: string,
          file: string | undefined,
          opts: {
            org?: string;
            param: string[];
            area?: string;
            db?: string;
            proposed?: string;
            params?: string;
            date?: string;
            json?: boolean;
          },
        ) => {
          const print = (report: WhatIfReport) => {
            if (opts.json)
              process.stdout.write(
                `${JSON.stringify({ counties: report.counties, totals: report.totals }, null, 2)}\n`,
              );
            else printWhatIf(report);
          };
          const asOf = opts.date ?? todayInChina();
          if (opts.org) {
            await guardedAsync(async () => {
              const compiled = loadCompiled(ruleset);
              const proposed = opts.param.map(parseProposed(opts.area));
              if (proposed.length === 0)
                throw new CliFailure(
                  '需要至少一个 --param NAME=VALUE / at least one --param NAME=VALUE is needed',
                );
              const db = await openRulesDb(opts.db);
              try {
                const unit = await getOrgUnit(db, opts.org ?? '');
                if (!unit) throw new CliFailure(`找不到单位 / no org unit ${opts.org}`);
                print(
                  await whatIfFromDb(db, compiled, {
                    orgCode: unit.code,
                    orgPath: unit.path,
                    asOf,
                    proposed,
                  }),
                );
              } finally {
                await db.destroy();
              }
            });
            return;
          }
          await guarded(() => {
            if (!file || !opts.proposed)
              throw new CliFailure(
                '需要 --org（数据库模式），或家庭文件和 --proposed（文件模式）/ give --org (database), or a households file and --proposed (files)',
              );
            const compiled = loadCompiled(ruleset);
            const households = householdsOf(readJson(file));
            const current = loadParams(opts.params);
            const proposed = proposeParameters(current, loadParams(opts.proposed));
            print(
              whatIf(compiled, households, {
                asOf,
                current: lookupOf(current),
                proposed: lookupOf(proposed),
              }),
            );
          });
        },
      );
  },
};
