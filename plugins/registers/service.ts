import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { recordById, recordIdByKey } from './apply.ts';
import { type RecordAsOf, type RecordsAsOfQuery, recordsAsOf } from './as-of.ts';
import { registerError } from './load-register.ts';
import { type Reader, showRecord } from './read.ts';
import { createRecordSections, type RecordSection, type RecordSections } from './record-sections.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { normaliseKey } from './values.ts';

/** A register record as other plugins read it (identifiers unmasked: the caller masks what it shows). */
export interface RegisterRecord {
  readonly registerId: string;
  readonly id: string;
  /** The normalised key (a household's head ID number). */
  readonly key: string;
  readonly status: string;
  readonly ownerOrgCode: string;
  readonly ownerOrgPath: string;
  /** The submission of the latest applied version that came from one (a household's current survey). */
  readonly currentSubmission: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What the registers plugin provides to the plugins that depend on it. */
export interface RegistersService {
  /** The normalised form of a raw key (undefined when it is not one), e.g. an ID number with a lower-case x. */
  normaliseKey(registerId: string, raw: unknown): string | undefined;
  /** The record a key leads to (merges followed), read through `db`; undefined when none. */
  recordByKey(db: Kysely<Database>, registerId: string, raw: unknown): Promise<RegisterRecord | undefined>;
  /**
   * The records of a subtree as they stood on `asOf` (the version and status in force on it),
   * page by page in org-tree order, with the values under the field names of `form`'s binding.
   * Undefined when the register has no binding for that form.
   */
  recordsAsOf(
    db: Kysely<Database>,
    q: RecordsAsOfQuery & { readonly register: string; readonly form: string },
  ): AsyncGenerator<RecordAsOf[]> | undefined;
  /**
   * Adds a section to every record's answer (of the registers it names): the dependant reads its
   * own tables for the record and decides who may see it. Call it in `setup`.
   */
  addRecordSection(section: RecordSection): void;
  /**
   * One record's answer as `reader` sees it: its timeline and the sections dependants added, the
   * answer of `GET /api/registers/<register>/records/<id>` (`nuanxin registers show` prints it).
   * NX_ERR_REGISTERS_NOT_FOUND for an unknown register or a record outside the reader's subtree.
   */
  showRecord(db: Kysely<Database>, registerId: string, reader: Reader, id: string): RecordAnswer;
}

/** A record's answer (`showRecord`). */
export type RecordAnswer = ReturnType<typeof showRecord>;

export function registersService(
  defs: readonly RegisterDefinition[],
  ensure: (db: Kysely<Database>) => Promise<void>,
  sections: RecordSections = createRecordSections(),
): RegistersService {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const normalise = (registerId: string, raw: unknown) => {
    const def = byId.get(registerId);
    return def ? normaliseKey(def.key.type, raw) : undefined;
  };
  return Object.freeze({
    normaliseKey: normalise,
    addRecordSection: (section: RecordSection) => sections.add(section),
    async showRecord(db: Kysely<Database>, registerId: string, reader: Reader, id: string) {
      const def = byId.get(registerId);
      if (!def) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
      await ensure(db);
      // The same sections, in the same order, as the route's answer.
      return showRecord(db, def, reader, id, sections.of(def.id));
    },
    recordsAsOf(
      db: Kysely<Database>,
      q: RecordsAsOfQuery & { readonly register: string; readonly form: string },
    ) {
      const def = byId.get(q.register);
      const binding = def?.forms.find((f) => f.form === q.form);
      if (!def || !binding) return undefined;
      return (async function* () {
        await ensure(db);
        yield* recordsAsOf(db, def, binding, q);
      })();
    },
    async recordByKey(db: Kysely<Database>, registerId: string, raw: unknown) {
      const def = byId.get(registerId);
      const key = normalise(registerId, raw);
      if (!def || key === undefined) return undefined;
      await ensure(db);
      let id = await recordIdByKey(db, def, key);
      // A merged record points at the one it went into; at most a few hops.
      for (let hops = 0; id !== undefined && hops < 10; hops++) {
        const r = await recordById(db, def, id);
        if (!r) return undefined;
        if (r.merged_into) {
          id = r.merged_into;
          continue;
        }
        const properties: Record<string, unknown> = {};
        for (const p of def.properties) properties[p.id] = r[p.id] ?? null;
        return {
          registerId,
          id: r.id,
          key: r.key,
          status: r.status,
          ownerOrgCode: r.owner_org_code,
          ownerOrgPath: r.owner_org_path,
          currentSubmission: r.current_submission,
          properties,
        };
      }
      return undefined;
    },
  });
}
