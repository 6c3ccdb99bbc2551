/**
 * The data of the cross-checks cases (`cases/crosschecks.ts` on SQLite, `cases/crosschecks-postgres.ts`):
 * one county of four villages, n households (a head and one member each, 40 % in the poverty
 * registry by the survey) and a monitoring list of n rows, 80 % registered people (heads and
 * members, some listed twice), 20 % never surveyed, 60 % in the registry by the list. The same
 * seed gives the same data on both dialects.
 */
import type { Kysely } from 'kysely';
import { type Database, importOrgUnits, migratePlugins } from '../engine/entry/server.ts';
import {
  type ComparisonDefinition,
  CROSSCHECKS_MIGRATIONS,
  ensureListTable,
  type ListDefinition,
  listTableOf,
  loadCatalog,
} from '../plugins/crosschecks/index.ts';
import { ensureRegisterTable, loadRegisters, REGISTERS_MIGRATIONS } from '../plugins/registers/index.ts';
import { mulberry32 } from '../test/factories/prng.ts';

export const VILLAGES = ['511923102201', '511923102202', '511923102203', '511923102204'];
export const TODAY = '2021-07-01';
export const NOW = '2021-06-01T00:00:00.000Z';
export const COUNTY_PATH = '/510000/511900/511923/';
export const villagePath = (v: string) => `${COUNTY_PATH}511923102/${v}/`;

/** A synthetic 18-character ID number (unique per n; the comparison never checks digits). */
export const idOf = (n: number) => `5119231960${String(n).padStart(7, '0')}X`;

export interface CrosscheckTables {
  readonly list: ListDefinition;
  readonly cmp: ComparisonDefinition;
  /** The list's table. */
  readonly table: string;
}

/** Units, the registers' and cross-checks' tables, the households register and the list's table. */
export async function prepareCrosschecks(db: Kysely<Database>): Promise<CrosscheckTables> {
  await importOrgUnits(db, [
    { code: '510000', name: '四川省', parent: null, level: 'province' },
    { code: '511900', name: '巴中市', parent: '510000', level: 'city' },
    { code: '511923', name: '平昌县', parent: '511900', level: 'county' },
    { code: '511923102', name: '白衣镇', parent: '511923', level: 'township' },
    ...VILLAGES.map((code, i) => ({ code, name: `村${i}`, parent: '511923102', level: 'village' as const })),
  ]);
  await migratePlugins(db, {
    migrations: [
      { pluginName: 'registers', migrations: REGISTERS_MIGRATIONS },
      { pluginName: 'crosschecks', migrations: CROSSCHECKS_MIGRATIONS },
    ],
  });
  const households = loadRegisters().find((d) => d.id === 'households');
  const catalog = loadCatalog();
  const list = catalog.list('prr-monitoring');
  const cmp = catalog.comparisons.find((c) => c.id === 'prr-monitoring');
  if (!households || !cmp) throw new Error('shipped definitions missing');
  await ensureRegisterTable(db, households);
  await ensureListTable(db, list);
  return { list, cmp, table: listTableOf(list) };
}

export interface GeneratedHousehold {
  readonly id: string;
  /** The head's ID number. */
  readonly key: string;
  readonly member: string;
  readonly village: string;
  readonly inPovertyRegistry: 0 | 1;
}

export interface GeneratedRow {
  readonly rowNo: number;
  readonly idNumber: string;
  readonly village: string;
  readonly monitorType: string;
  readonly inPovertyRegistry: 0 | 1;
}

/** Calls `household` n times, then `row` n times, in the seed's order. */
export function generateCrosschecks(
  n: number,
  household: (h: GeneratedHousehold) => void,
  row: (r: GeneratedRow) => void,
): void {
  const rng = mulberry32(11);
  for (let i = 0; i < n; i++) {
    household({
      id: `households_${i}`,
      key: idOf(2 * i),
      member: idOf(2 * i + 1),
      village: VILLAGES[i % VILLAGES.length] as string,
      inPovertyRegistry: rng.chance(0.4) ? 1 : 0,
    });
  }
  for (let r = 0; r < n; r++) {
    const registered = rng.chance(0.8);
    const person = registered ? rng.int(0, 2 * n - 1) : 2 * n + r;
    row({
      rowNo: r + 2,
      idNumber: idOf(person),
      village: VILLAGES[r % VILLAGES.length] as string,
      monitorType: rng.pick(['unstable', 'marginal', 'sudden']),
      inPovertyRegistry: rng.chance(0.6) ? 1 : 0,
    });
  }
}

/** The delivery the generated rows belong to (`bench`), for the county. */
export const deliverySql = (
  n: number,
) => `insert into crosscheck_deliveries (id, list_id, list_version, content_hash,
    org_code, org_path, file_name, rows, rejected, imported_by, imported_at, valid_until)
  values ('bench', 'prr-monitoring', 1, 'bench', '511923', '${COUNTY_PATH}', null, ${n}, 0, 'bench', '${NOW}', '2021-09-29')`;
