import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Which SQL dialect a Kysely instance speaks (from its adapter, so no extra state is needed). */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

const FIELD_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The text value of one top-level key of a JSON text column, the same on both dialects:
 * SQLite `json_extract`, PostgreSQL `->>`. Numbers compare as their text (`5` = `'5'`).
 */
export function jsonFieldText<DB>(
  db: Kysely<DB>,
  column: Expression<unknown>,
  fieldId: string,
): RawBuilder<string> {
  if (!FIELD_ID.test(fieldId)) throw new Error(`invalid field id ${fieldId}`);
  if (dialectOf(db) === 'postgres') return sql<string>`(${column}::jsonb ->> ${fieldId})`;
  return sql<string>`cast(json_extract(${column}, ${`$.${fieldId}`}) as text)`;
}

/** True when an error from either driver is a unique / primary-key violation. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
