import { existsSync, statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

/** What `PRAGMA integrity_check` says of a SQLite file: `['ok']` when it is sound, else its problems (at most 20). */
export function integrityOf(file: string): string[] {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
  } finally {
    db.close();
  }
}

/** True when `file` exists and holds data (a new, empty file does not count). */
export const hasData = (file: string): boolean => existsSync(file) && statSync(file).size > 0;

/** Rows per table of a SQLite file, the tables in name order (for `backup` and `restore` summaries). */
export function tableCounts(file: string): Record<string, number> {
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map((t) => [
        t.name,
        (db.prepare(`select count(*) as n from "${t.name.replaceAll('"', '""')}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

/** The `pg_dump` / `pg_restore` lines for a PostgreSQL database (password left out). */
export function pgGuidance(url: string, file: string): string {
  return [
    'PostgreSQL 数据库请使用 pg_dump / pg_restore 备份和恢复 / back up and restore PostgreSQL with pg_dump and pg_restore:',
    `  pg_dump --format=custom --file ${file} '${url}'`,
    `  pg_restore --clean --if-exists --no-owner --dbname '${url}' ${file}`,
    '  (PGPASSWORD or ~/.pgpass gives the password; run pg_restore with the servers stopped)',
  ].join('\n');
}
