import { type Kysely, sql } from 'kysely';
import { type Database, getOrgUnit, listSubtree, systemClock } from '../../engine/entry/server.ts';
import { dayOf } from './clock.ts';
import { crosschecksError } from './errors.ts';

/** Counts of one kind of work in one unit's subtree. */
export interface Counts {
  open: number;
  overdue: number;
  closed: number;
}

export interface ReportRow {
  orgCode: string;
  name: string;
  /** Findings by type. */
  findings: Record<string, Counts>;
  /** Referrals by department. */
  referrals: Record<string, Counts>;
}

export interface CrosschecksReport {
  orgCode: string;
  asOf: string;
  /** The unit itself (its whole subtree). */
  total: ReportRow;
  /** Each child unit (its subtree), so a county reads its townships, a city its counties. */
  children: ReportRow[];
}

type Grouped = { path: string; kind: string; status: string; overdue: number; n: number | string };

const add = (into: Record<string, Counts>, g: Grouped) => {
  const c = into[g.kind] ?? { open: 0, overdue: 0, closed: 0 };
  into[g.kind] = c;
  const n = Number(g.n);
  if (g.status === 'closed' || g.status === 'done' || g.status === 'declined') c.closed += n;
  else {
    c.open += n;
    if (Number(g.overdue) === 1) c.overdue += n;
  }
};

/**
 * Findings (by type) and referrals (by department) under a unit, open / overdue / closed, for
 * the unit and for each of its children: the figures a county reports upward. Two grouped
 * queries; the roll-up to children follows the org paths.
 */
export async function crosschecksReport(
  db: Kysely<Database>,
  orgCode: string,
  today = dayOf(systemClock()),
): Promise<CrosschecksReport> {
  const unit = await getOrgUnit(db, orgCode);
  if (!unit) throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND');
  const children = await listSubtree(db, unit.path, { parentCode: unit.code });
  const like = `${unit.path}%`;
  const findings = await sql<Grouped>`select owner_org_path as path, type as kind, status,
      case when status = 'open' and due_date < ${today} then 1 else 0 end as overdue, count(*) as n
    from crosscheck_findings where owner_org_path like ${like}
    group by 1, 2, 3, 4`.execute(db);
  const referrals = await sql<Grouped>`select owner_org_path as path, department as kind, status,
      case when status in ('open', 'accepted') and due_date < ${today} then 1 else 0 end as overdue, count(*) as n
    from crosscheck_referrals where owner_org_path like ${like}
    group by 1, 2, 3, 4`.execute(db);
  const row = (code: string, name: string): ReportRow => ({
    orgCode: code,
    name,
    findings: {},
    referrals: {},
  });
  const total = row(unit.code, unit.name);
  const rows = children.map((c) => ({ path: c.path, row: row(c.code, c.name) }));
  for (const [groups, field] of [
    [findings.rows, 'findings'],
    [referrals.rows, 'referrals'],
  ] as const) {
    for (const g of groups) {
      add(total[field], g);
      const child = rows.find((c) => g.path.startsWith(c.path));
      if (child) add(child.row[field], g);
    }
  }
  return { orgCode: unit.code, asOf: today, total, children: rows.map((c) => c.row) };
}
