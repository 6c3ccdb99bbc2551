import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';

/**
 * What the report plugin uses of the registers plugin's service (`api.services.find('registers')`):
 * its own statement of the need, not an import of the other plugin's files.
 */
export interface ReportRegisterRecord {
  readonly recordId: string;
  readonly key: string;
  readonly orgCode: string;
  readonly orgPath: string;
  /** The survey the version in force came from (null: imported or merged). */
  readonly submissionId: string | null;
  /** The version's values under the form's field names (read from the register's typed columns). */
  readonly data: Record<string, unknown>;
  /** The join's columns, by alias (only when the query had a `join`). */
  readonly joined?: Readonly<Record<string, unknown>>;
}

export interface ReportRegisters {
  /**
   * A subtree's records as they stood on `asOf`: the version and status in force on that date,
   * page by page in org-tree order. Undefined when the register has no binding for `form`.
   */
  recordsAsOf(
    db: Kysely<Database>,
    q: {
      readonly register: string;
      readonly form: string;
      readonly orgPath: string;
      readonly asOf: string;
      readonly statuses?: readonly string[] | undefined;
      readonly fields?: readonly string[] | undefined;
      readonly pageSize?: number | undefined;
      /** Another table joined to each record by its survey in force, read with the page. */
      readonly join?:
        | {
            sql(submission: RawBuilder<unknown>): {
              readonly join: RawBuilder<unknown>;
              readonly select: RawBuilder<unknown>;
              readonly where?: RawBuilder<unknown> | undefined;
            };
            readonly columns: readonly string[];
          }
        | undefined;
    },
  ): AsyncGenerator<ReportRegisterRecord[]> | undefined;
}
