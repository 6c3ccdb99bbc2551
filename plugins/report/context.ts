import type { Kysely } from 'kysely';
import type { FormDefinition } from '../../engine/entry/definition.ts';
import type { LogicBudget, OperationRegistry } from '../../engine/entry/runtime.ts';
import type { Database, OrgUnit } from '../../engine/entry/server.ts';
import type { ProvidedSource } from './provided-source.ts';
import type { ReportRegisters } from './registers-port.ts';
import type { ReportRules } from './rules-port.ts';
import type { SourceSubmission } from './source.ts';

/** Who reads the report: only whether personal identifiers may be shown whole. */
export interface Viewer {
  readonly pii: boolean;
}

/**
 * Rules outputs per submission id (the current decision of `ruleset` for each submission given).
 * The submissions may come without their data (a list report reads it only for the rows it
 * keeps): a provider that reads `data` calls `loadData` on them first.
 */
export type DecisionProvider = (
  submissions: readonly SourceSubmission[],
  ruleset: string,
  asOf: string,
  /** Only stored decisions: never evaluate the rules on these submissions (they were decided on another form's). */
  opts?: { readonly storedOnly?: boolean },
) => Promise<Map<string, Readonly<Record<string, unknown>>>>;

/** The current definition of a form (option labels for list columns). */
export type FormLookup = (id: string) => Promise<FormDefinition | undefined>;

/** What building a report needs besides the request: one per server or CLI run. */
export interface ReportContext {
  readonly db: Kysely<Database>;
  readonly decisions: DecisionProvider;
  readonly forms: FormLookup;
  /** ISO time "now" (status tables: missing once the due date has passed). */
  readonly now: () => string;
  readonly operations?: OperationRegistry;
  /** Sources other plugins provide (`source.provided`), by name. */
  readonly sources?: (name: string) => ProvidedSource | undefined;
  /** Consultation and complaint hotline per org unit code (notices print the nearest above). */
  readonly contacts?: Readonly<Record<string, string>>;
  /** The request's budget for the report's rules (filter, columns, measures), over every row. */
  readonly logicBudget?: LogicBudget;
  /** The registers plugin's service, when loaded: lists over a register read its typed columns as of a date. */
  readonly registers?: ReportRegisters | undefined;
  /** The rules plugin's decision in force as SQL, when it offers it: a list over a register joins it to its pages. */
  readonly decisionJoin?: ReportRules['decisionJoin'] | undefined;
}

export interface ReportRequest {
  /** Aggregate/status: the due date (`2021-06-03`); list: `YYYY-MM` or a date (made as of its end). */
  readonly period?: string | undefined;
  /** List reports: the date made as of (YYYY-MM-DD), before the period's end and today. */
  readonly asOf?: string | undefined;
  readonly org: OrgUnit;
  readonly viewer: Viewer;
}
