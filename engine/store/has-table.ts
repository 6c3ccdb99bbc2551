import type { Kysely } from 'kysely';

const known = new WeakMap<object, Set<string>>();

/**
 * Whether a table exists (the names read once per database handle, again when one is missing:
 * another area's migrations may have run since). For a plugin asking after its own tables or a
 * plugin it depends on; the engine's own tables always exist once the store is migrated.
 */
export async function hasTable<DB>(db: Kysely<DB>, name: string): Promise<boolean> {
  let tables = known.get(db);
  if (!tables) {
    tables = new Set((await db.introspection.getTables()).map((t) => t.name));
    known.set(db, tables);
  }
  if (tables.has(name)) return true;
  const again = new Set((await db.introspection.getTables()).map((t) => t.name));
  known.set(db, again);
  return again.has(name);
}
