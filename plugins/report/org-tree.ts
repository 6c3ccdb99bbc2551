import type { Kysely } from 'kysely';
import { type Database, listSubtree, type OrgUnit } from '../../engine/entry/server.ts';

/**
 * The org units of one subtree, read once per report: names for the rows, and for any unit the
 * ancestor one level below the report's root (the row an item is counted in).
 */
export class OrgTree {
  readonly byCode: ReadonlyMap<string, OrgUnit>;
  private constructor(
    readonly root: OrgUnit,
    units: readonly OrgUnit[],
  ) {
    this.byCode = new Map(units.map((u) => [u.code, u]));
  }

  static async load(db: Kysely<Database>, root: OrgUnit): Promise<OrgTree> {
    return new OrgTree(root, await listSubtree(db, root.path));
  }

  /** The root's direct children, in code order. */
  children(): OrgUnit[] {
    return [...this.byCode.values()]
      .filter((u) => u.parentCode === this.root.code)
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The child of the root that `path` lies under; the root itself for the root's own path; undefined outside. */
  childOf(path: string): OrgUnit | undefined {
    if (!path.startsWith(this.root.path)) return undefined;
    const rest = path.slice(this.root.path.length).split('/').filter(Boolean);
    const code = rest[0];
    return code === undefined ? this.root : this.byCode.get(code);
  }

  /** Names along a unit's path by level (county, township, village …) for list columns. */
  names(path: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const code of path.split('/').filter(Boolean)) {
      const u = this.byCode.get(code);
      if (u) out[u.level] = u.name;
    }
    return out;
  }

  /** The county-level code of a path (for subtotals per county), or '' above county level. */
  countyOf(path: string): string {
    for (const code of path.split('/').filter(Boolean))
      if (this.byCode.get(code)?.level === 'county') return code;
    return '';
  }
}

/** Last day of the month before a date: the end of the cumulative range of a due date. */
export function endOfPreviousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
}

/** The cumulative range of the seed: from the campaign start to the end of the month before the due date. */
export function cumulativeRange(start: string, due: string): { from: string; to: string } {
  return { from: start, to: endOfPreviousMonth(due) };
}

/** `YYYY-MM` → its last day; `YYYY-MM-DD` → itself. The date a list report is made as of. */
export function periodEnd(period: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return period;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).toISOString().slice(0, 10);
}

/** A real calendar day written YYYY-MM-DD (2021-02-30 is not one). */
export function isCalendarDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}
