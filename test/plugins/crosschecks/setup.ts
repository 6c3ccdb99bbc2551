import type { Kysely } from 'kysely';
import type { Clock, Database } from '../../../engine/entry/server.ts';
import { importOrgUnits } from '../../../engine/org/import.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { columnValue, importRecords, loadRegisters } from '../../../plugins/registers/index.ts';
import type {
  MonitoringRow,
  MonitoringScenario,
  ScenarioHousehold,
} from '../../factories/monitoring-list.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import type { TestDatabase } from '../../helpers/dialects.ts';
import { survey } from '../registers/setup.ts';

export const VILLAGE = '511923102201';
export const OTHER_VILLAGE = '511923102202';
/** 巴州区: a county beside 平昌县, where some generated families live. */
export const ELSEWHERE = '511902';
export const COUNTY = '511923';

/**
 * An app with the registers and cross-checks plugins (or the given ones), and a second village in
 * 白衣镇; `clock` is the app's clock when given.
 */
export async function crosschecksApp(
  t: TestDatabase,
  opts: { plugins?: string[]; clock?: Clock } = {},
): Promise<TestApp> {
  const loaded = await loadPlugins(
    { plugins: opts.plugins ?? ['registers', 'crosschecks'] },
    {
      engineVersion: '0.1.0',
      builtins: builtinPlugins,
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
  );
  const a = await testApp(t, {
    ...pluginAppOptions(loaded),
    form: survey,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await importOrgUnits(t.db, [
    { code: OTHER_VILLAGE, name: '新华村', parent: '511923102', level: 'village' },
  ]);
  return a;
}

/** Writes the scenario's households into the register (as recorded imports). */
export async function seedRegister(
  db: Kysely<Database>,
  households: readonly ScenarioHousehold[],
): Promise<void> {
  const def = loadRegisters().find((d) => d.id === 'households');
  if (!def) throw new Error('households register not shipped');
  await importRecords(
    db,
    def,
    { username: 'test', orgPath: '/' },
    households.map((h) => ({
      key: h.key,
      properties: Object.fromEntries(
        def.properties.map((p) => [
          p.id,
          columnValue(
            p,
            p.id === 'inPovertyRegistry'
              ? h.inPovertyRegistry
              : p.id === 'disabilityGrade'
                ? h.disabilityGrade
                : null,
          ),
        ]),
      ),
      members: h.members,
      base: undefined,
      orgCode: h.orgCode,
    })),
  );
}

export interface Expected {
  rule: string;
  subject: string;
  owner: string;
}

/**
 * The findings of comparisons/prr-monitoring.json, computed without SQL: a row's person is
 * matched when a household of the county has it as head or member; never matched → survey
 * task for the row's village; matched, in the registry by the list and not by the household →
 * review for the household's village.
 */
export function expectedFindings(s: MonitoringScenario, county: string, elsewhere: string): Expected[] {
  const byId = new Map<string, ScenarioHousehold>();
  for (const h of s.households) {
    if (h.orgCode === elsewhere || !h.orgCode.startsWith(county)) continue;
    for (const id of [h.key, ...h.members]) byId.set(id, h);
  }
  const out: Expected[] = [];
  for (const r of s.rows as MonitoringRow[]) {
    const h = byId.get(r.idNumber);
    if (!h) out.push({ rule: 'never-surveyed', subject: r.idNumber, owner: r.areaCode });
    else if (r.inPovertyRegistry && !h.inPovertyRegistry)
      out.push({ rule: 'registry-mismatch', subject: r.idNumber, owner: h.orgCode });
  }
  return out.sort((a, b) => `${a.rule}${a.subject}`.localeCompare(`${b.rule}${b.subject}`));
}
