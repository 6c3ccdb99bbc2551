import type { RawBuilder } from 'kysely';

/**
 * Another plugin's rows joined into a plugin's own page query (the rules plugin's decision in force
 * joined to the registers' records, say): the join on the row the `anchor` expression names, the
 * columns it reads, aliased as `columns` says, and an optional condition that leaves rows out in SQL.
 * The plugin that runs the query does not look into the columns; it hands each row its own.
 */
export interface SqlJoin {
  sql(anchor: RawBuilder<unknown>): {
    readonly join: RawBuilder<unknown>;
    readonly select: RawBuilder<unknown>;
    readonly where?: RawBuilder<unknown> | undefined;
  };
  /** The aliases `select` gives its columns. */
  readonly columns: readonly string[];
}
