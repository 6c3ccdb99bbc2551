import { type Kysely, type Migration, sql } from 'kysely';
import { CROSSCHECKS_MIGRATIONS as TABLES } from './tables.ts';

/**
 * A finding's fingerprint becomes its compared values' JSON text (it was the sha256 of that text),
 * so that a rule run in SQL writes it on both dialects; existing findings take the new form, and a
 * closed one stays closed as long as its values do not change.
 */
const fingerprintJson002: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`update crosscheck_findings set fingerprint = compared`.execute(db);
  },
};

/** The plugin's migrations, in order. */
export const CROSSCHECKS_MIGRATIONS: Readonly<Record<string, Migration>> = {
  ...TABLES,
  '002_fingerprint_json': fingerprintJson002,
};
