import type { Kysely } from 'kysely';
import type { Database } from '../../engine/entry/server.ts';
import { registerError } from './load-register.ts';

/**
 * Sections other plugins add to a record's answer (`GET /api/registers/<register>/records/<id>`):
 * the rules plugin its decisions, the benefits plugin the family's benefits. The registers plugin
 * knows none of their tables; each section reads its own, under its own rule of who may see it.
 */

/** Who reads the record: the subtree bounding the read, PII permission and roles. */
export interface RecordSectionReader {
  /** Materialised path of the reader's unit (`/510000/511900/`). */
  readonly orgPath: string;
  readonly pii: boolean;
  /** The reader's roles; absent for an operator's command (no user). */
  readonly roles?: readonly string[];
}

/** What a section is asked for: one record the reader may see. */
export interface RecordSectionQuery {
  readonly registerId: string;
  readonly recordId: string;
  /** The record and the records merged into it. */
  readonly recordIds: readonly string[];
  /** The submissions the versions of those records came from. */
  readonly submissionIds: readonly string[];
  /** The keys leading to the record (its own and its merged records'), read when first asked. */
  keys(): Promise<readonly string[]>;
  readonly reader: RecordSectionReader;
}

/** A section of a record's answer, added by another plugin through the registers service. */
export interface RecordSection {
  /** The key of the answer it fills (`benefits`); not one of the register's own, unique. */
  readonly name: string;
  /** Only for these registers (absent: every one). */
  readonly registers?: readonly string[];
  /**
   * Its lines for the record, read through `db` (the request's); `undefined` leaves the key out
   * of the answer (the reader may not see this part).
   */
  read(db: Kysely<Database>, q: RecordSectionQuery): Promise<readonly unknown[] | undefined>;
}

/** The keys a record's answer has of its own: a section may not take them. */
export const RECORD_ANSWER_KEYS = [
  'record',
  'merged',
  'versions',
  'flags',
  'statuses',
  'submissions',
  'cases',
] as const;

/** The sections added so far, in the order plugins added them (dependencies first). */
export interface RecordSections {
  add(section: RecordSection): void;
  /** The sections of one register. */
  of(registerId: string): readonly RecordSection[];
}

export function createRecordSections(): RecordSections {
  const all: RecordSection[] = [];
  return Object.freeze({
    add(section: RecordSection) {
      const reserved = (RECORD_ANSWER_KEYS as readonly string[]).includes(section.name);
      if (reserved || all.some((s) => s.name === section.name) || !/^[a-z][A-Za-z0-9]*$/.test(section.name))
        throw registerError('NX_ERR_REGISTERS_DUPLICATE_ID', {
          zh: `记录的附加部分“${section.name}”：名称应为小写字母开头的标识符，且不能与记录或其他附加部分重名`,
          en: `record section "${section.name}": its name must be an identifier starting with a lower-case letter, not taken by the record or another section`,
        });
      all.push(section);
    },
    of: (registerId: string) => all.filter((s) => !s.registers || s.registers.includes(registerId)),
  });
}
