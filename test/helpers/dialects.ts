import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDatabase } from '../../engine/store/database.ts';
import { migrateToLatest } from '../../engine/store/migrate.ts';
import type { Database } from '../../engine/store/schema.ts';

/** One database a test file runs against; `destroy` closes and removes it. */
export interface TestDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  readonly url: string;
  readonly db: Kysely<Database>;
  destroy(): Promise<void>;
}

export interface DialectCase {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, migrated database that no other test file sees. */
  open(): Promise<TestDatabase>;
}

const sqliteCase: DialectCase = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'nuanxin-test-'));
    const url = join(dir, 'test.db');
    const db = createDatabase(url);
    await migrateToLatest(db);
    return {
      dialect: 'sqlite',
      url,
      db,
      async destroy() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Each PostgreSQL test database gets a unique name, created and dropped through the admin URL. */
function postgresCase(adminUrl: string): DialectCase {
  return {
    name: 'postgres',
    async open() {
      const name = `nx_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      const url = u.toString();
      const db = createDatabase(url);
      await migrateToLatest(db);
      return {
        dialect: 'postgres',
        url,
        db,
        async destroy() {
          await db.destroy();
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          // The pool's clients have said goodbye but their server processes may still be ending:
          // forcing the drop then would send them a termination their clients report as an
          // uncaught error. Wait (up to 5 s) for them to leave, then drop.
          for (let i = 0; i < 100; i++) {
            const left = await c.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where datname = $1',
              [name],
            );
            if ((left.rows[0]?.n ?? 0) === 0) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  };
}

/** SQLite always; PostgreSQL too when `NUANXIN_TEST_PG_URL` is set (CI sets it). */
export function dialects(): DialectCase[] {
  const pgUrl = process.env.NUANXIN_TEST_PG_URL;
  return pgUrl ? [sqliteCase, postgresCase(pgUrl)] : [sqliteCase];
}
