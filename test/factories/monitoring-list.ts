import { makeHousehold } from './household.ts';
import { makeIdcard, withWrongCheckChar } from './idcard.ts';
import { deriveSeed, mulberry32 } from './prng.ts';

/**
 * A generated register and a rural-revitalisation monitoring list (lists/prr-monitoring.json)
 * for one county: heads and members of registered households, people never surveyed, people
 * registered in another county, and a few rows a department gets wrong.
 */

export interface ScenarioHousehold {
  key: string;
  members: string[];
  orgCode: string;
  inPovertyRegistry: boolean;
  disabilityGrade: string | null;
}

export interface MonitoringRow {
  idNumber: string;
  name: string;
  areaCode: string;
  monitorType: 'unstable' | 'marginal' | 'sudden';
  inPovertyRegistry: boolean;
}

export interface MonitoringScenario {
  households: ScenarioHousehold[];
  /** Valid rows, in file order. */
  rows: MonitoringRow[];
  /** Rows a check refuses (kept apart: the test knows their row numbers). */
  invalid: Record<string, string>[];
}

export const MONITOR_HEADER = ['身份证号码', '姓名', '所在村（社区）代码', '监测对象类型', '是否建档立卡'];

export function makeMonitoringScenario(opts: {
  seed: number;
  households: number;
  villages: readonly string[];
  /** A unit outside the county: some households live there. */
  elsewhere: string;
}): MonitoringScenario {
  const rng = mulberry32(opts.seed);
  const households: ScenarioHousehold[] = [];
  const seen = new Set<string>();
  for (let i = 0; households.length < opts.households; i++) {
    const h = makeHousehold(deriveSeed(opts.seed, i));
    const ids = [h.headIdNumber, ...h.members.flatMap((m) => (m.idNumber ? [m.idNumber] : []))];
    if (ids.some((id) => seen.has(id))) continue;
    for (const id of ids) seen.add(id);
    households.push({
      key: h.headIdNumber,
      members: ids.slice(1),
      orgCode: households.length % 10 === 9 ? opts.elsewhere : rng.pick(opts.villages),
      inPovertyRegistry: rng.chance(0.4),
      disabilityGrade: rng.chance(0.2) ? rng.pick(['1', '2', '3', '4']) : null,
    });
  }
  const rows: MonitoringRow[] = [];
  const row = (idNumber: string, areaCode: string): MonitoringRow => ({
    idNumber,
    name: `监测${rows.length}`,
    areaCode,
    monitorType: rng.pick(['unstable', 'marginal', 'sudden'] as const),
    inPovertyRegistry: rng.chance(0.6),
  });
  for (const h of households) {
    if (rng.chance(0.5))
      rows.push(row(h.key, h.orgCode === opts.elsewhere ? rng.pick(opts.villages) : h.orgCode));
    const m = h.members[0];
    if (m && rng.chance(0.3))
      rows.push(row(m, h.orgCode === opts.elsewhere ? rng.pick(opts.villages) : h.orgCode));
  }
  const fresh = Math.max(3, Math.floor(opts.households / 5));
  for (let i = 0; i < fresh; i++) {
    const id = makeIdcard({
      region: '511923',
      birthDate: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}`,
      seq: 500 + (i % 400),
      sex: i % 2 ? 'male' : 'female',
    });
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push(row(id, rng.pick(opts.villages)));
  }
  const village = opts.villages[0] as string;
  const invalid = [
    {
      idNumber: withWrongCheckChar(households[0]?.key ?? ''),
      areaCode: village,
      monitorType: '脱贫不稳定户',
      inPovertyRegistry: '是',
    },
    {
      idNumber: makeIdcard({ region: '511923', birthDate: '1970-01-01', seq: 901, sex: 'male' }),
      areaCode: village,
      monitorType: '不知道',
      inPovertyRegistry: '否',
    },
    {
      idNumber: makeIdcard({ region: '511923', birthDate: '1970-01-02', seq: 902, sex: 'male' }),
      areaCode: opts.elsewhere,
      monitorType: 'marginal',
      inPovertyRegistry: '否',
    },
  ];
  return { households, rows, invalid };
}

/** The file's cells, header first; the invalid rows are placed after the valid `at`-th row. */
export function monitoringCells(s: MonitoringScenario, at = 2): string[][] {
  const valid = s.rows.map((r) => [
    r.idNumber,
    r.name,
    r.areaCode,
    r.monitorType,
    r.inPovertyRegistry ? '是' : '否',
  ]);
  const bad = s.invalid.map((r) => [
    r.idNumber ?? '',
    '错误行',
    r.areaCode ?? '',
    r.monitorType ?? '',
    r.inPovertyRegistry ?? '',
  ]);
  return [MONITOR_HEADER, ...valid.slice(0, at), ...bad, ...valid.slice(at)];
}
