import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../engine/entry/server.ts';
import { importOrgUnits } from '../../../engine/entry/server.ts';
import { ENGINE_VERSION, loadPlugins } from '../../../engine/index.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import type { ReportRules } from '../../../plugins/report/index.ts';
import {
  BUILTIN_RULESETS_DIR,
  createDecisionsAsOf,
  createMemoryParameterSource,
  createRulesService,
  DEMO_PARAMETERS_FILE,
  loadParameterFile,
  loadRulesetsDir,
  type RulesService,
} from '../../../plugins/rules/index.ts';
import { mulberry32 } from '../../factories/prng.ts';
import { TEST_ORG_UNITS } from '../../helpers/app.ts';

/** Inserts a stored submission as the store would (reports read the table, not the service). */
export async function insertSubmission(
  db: Kysely<Database>,
  s: { formId: string; orgCode: string; data: Record<string, unknown>; createdAt: string; status?: string },
): Promise<string> {
  const unit = TEST_ORG_UNITS.find((u) => u.code === s.orgCode);
  if (!unit) throw new Error(`unknown unit ${s.orgCode}`);
  const path: string[] = [];
  for (let u: typeof unit | undefined = unit; u; u = TEST_ORG_UNITS.find((x) => x.code === u?.parent))
    path.unshift(u.code);
  const id = randomUUID();
  await db
    .insertInto('submissions')
    .values({
      id,
      form_id: s.formId,
      form_version: 1,
      org_code: s.orgCode,
      org_path: `/${path.join('/')}/`,
      status: s.status ?? 'submitted',
      data: JSON.stringify(s.data),
      version: 1,
      period: null,
      created_by: 'test',
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deleted_at: null,
    })
    .execute();
  return id;
}

export const seedOrgUnits = (db: Kysely<Database>) => importOrgUnits(db, TEST_ORG_UNITS);

export const VISIT_COLUMNS = [
  'staffDispatched',
  'visits',
  'visitFunds',
  'partyVisits',
  'partyFunds',
  'veteranVisits',
  'veteranFunds',
  'included',
  'includedDibao',
  'includedTekun',
  'includedTemporary',
  'includedOther',
  'policyIssuesSolved',
  'casesSolved',
] as const;

/** One 附件1 row for a county with seeded figures (money with fen). */
export function visitRow(county: string, seed: number): Record<string, unknown> {
  const rng = mulberry32(seed);
  const row: Record<string, unknown> = { county };
  for (const c of VISIT_COLUMNS) row[c] = c.endsWith('Funds') ? rng.int(0, 500000) / 100 : rng.int(0, 900);
  return row;
}

export function visitData(city: string, periodDue: string, counties: string[], seed: number) {
  return {
    reportingUnit: city,
    periodDue,
    fillDate: '2021-06-01',
    filledBy: '张三',
    phone: '13800000000',
    rows: counties.map((c, i) => visitRow(c, seed * 100 + i)),
  };
}

/** The rules service as the demo runs it: the built-in rulesets over the demo standards, in memory. */
export function demoRulesService() {
  const params = loadParameterFile(DEMO_PARAMETERS_FILE);
  if (!params.ok) throw new Error('demo parameters');
  return createRulesService({
    rulesets: loadRulesetsDir(BUILTIN_RULESETS_DIR),
    source: createMemoryParameterSource(params.value),
  });
}

/**
 * The rules plugin's service as the report plugin receives it (`services.use('rules')`): the
 * plugin set up with its default config (standards from rule_parameters where that table
 * exists, else the demo file).
 */
export async function pluginReportRules(): Promise<ReportRules> {
  const loaded = await loadPlugins(
    { plugins: ['rules'] },
    { engineVersion: ENGINE_VERSION, builtins: builtinPlugins },
  );
  return loaded.services.get('rules') as ReportRules;
}

/** Decisions over fixed rules (e.g. `demoRulesService()`), or stored decisions only without them. */
export const reportRulesOver = (rules?: RulesService): ReportRules => ({
  decisionsAsOf: createDecisionsAsOf(rules ? () => rules : undefined),
});
