import { type Expression, type RawBuilder, sql } from 'kysely';

/**
 * The path of the unit a code names, as an SQL expression — for a plugin that writes one statement
 * (an `insert … select` over thousands of rows) and needs a unit's path per row, where a read per
 * row would not do. Null when no unit has that code, or when it lies outside `scopePath`.
 *
 * @example sql`coalesce(${unitPathSql(sql.ref('x.area_code'), delivery.orgPath)}, ${delivery.orgPath})`
 */
export function unitPathSql(code: Expression<unknown>, scopePath?: string): RawBuilder<string | null> {
  return scopePath === undefined
    ? sql<string | null>`(select nx_u.path from org_units nx_u where nx_u.code = ${code})`
    : sql<
        string | null
      >`(select nx_u.path from org_units nx_u where nx_u.code = ${code} and nx_u.path like ${`${scopePath}%`})`;
}
