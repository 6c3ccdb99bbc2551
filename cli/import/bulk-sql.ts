import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../engine/store/schema.ts';

type Table = keyof Database & string;

/**
 * Multi-row statements for bulk work whose SQL text Kysely compiles once per shape (table,
 * columns, row count) and which then run with new parameters only: building and compiling a
 * query of thousands of values anew for every batch costs more than running it. Every value is
 * a bound parameter; the text is the same each time, so the store's statement cache prepares it
 * once.
 */
export class BulkSql {
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: Kysely<Database>) {}

  /** `INSERT INTO table (columns) VALUES (…), (…)` for `rows`, each row's values in column order. */
  async insert(
    trx: Kysely<Database>,
    table: Table,
    columns: readonly string[],
    rows: unknown[][],
  ): Promise<void> {
    if (rows.length === 0) return;
    const text = this.text(`insert:${table}:${columns.join(',')}:${rows.length}`, () => {
      const blank = Object.fromEntries(columns.map((c) => [c, null]));
      return this.db
        .insertInto(table)
        .values(Array.from({ length: rows.length }, () => blank) as never)
        .compile().sql;
    });
    const params: unknown[] = [];
    for (const r of rows) for (const v of r) params.push(v);
    await trx.executeQuery(CompiledQuery.raw(text, params));
  }

  /** The ids among `ids` that `submissions` already holds. */
  async existingSubmissionIds(trx: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const text = this.text(
      `existing:${ids.length}`,
      () =>
        this.db
          .selectFrom('submissions')
          .select('id')
          .where('id', 'in', ids as string[])
          .compile().sql,
    );
    const found = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(text, [...ids]));
    return new Set(found.rows.map((r) => r.id));
  }

  private text(key: string, build: () => string): string {
    let t = this.texts.get(key);
    if (t === undefined) {
      t = build();
      this.texts.set(key, t);
    }
    return t;
  }
}
