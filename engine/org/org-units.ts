import type { Kysely } from 'kysely';
import type { Database, OrgUnitTable } from '../store/schema.ts';

export interface OrgUnit {
  code: string;
  name: string;
  parentCode: string | null;
  level: string;
  path: string;
}

const toOrgUnit = (r: OrgUnitTable): OrgUnit => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  level: r.level,
  path: r.path,
});

export async function getOrgUnit(db: Kysely<Database>, code: string): Promise<OrgUnit | undefined> {
  const row = await db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toOrgUnit(row) : undefined;
}

/** Every unit whose path starts with `rootPath` (one indexed prefix scan), parents first. */
export async function listSubtree(
  db: Kysely<Database>,
  rootPath: string,
  opts: { level?: string; parentCode?: string } = {},
): Promise<OrgUnit[]> {
  let q = db.selectFrom('org_units').selectAll().where('path', 'like', `${rootPath}%`);
  if (opts.level) q = q.where('level', '=', opts.level);
  if (opts.parentCode) q = q.where('parent_code', '=', opts.parentCode);
  const rows = await q.orderBy('path').execute();
  return rows.map(toOrgUnit);
}

/** The ancestors of a unit from the top down, the unit itself last (read from its path). */
export function ancestorCodes(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export async function countOrgUnits(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('org_units')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** True (and narrows) when the unit exists and lies in the subtree at `rootPath`. */
export const unitInSubtree = (unit: OrgUnit | undefined, rootPath: string): unit is OrgUnit =>
  unit?.path.startsWith(rootPath) === true;
