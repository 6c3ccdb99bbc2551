import type { Kysely } from 'kysely';
import { collectVars, type OperationRegistry } from '../../engine/entry/runtime.ts';
import { type Database, hasTable, readSubmissionRecord } from '../../engine/entry/server.ts';
import type { ReportContext } from './context.ts';
import { decisionTests } from './push-down.ts';
import type { ReportRegisterRecord } from './registers-port.ts';
import type { ReportDefinition } from './report-schema.ts';
import type { ReportDecisionJoin } from './rules-port.ts';
import type { SourceSubmission } from './source.ts';

/**
 * A list over a register (`source.register`). With the registers plugin loaded, the list reads
 * the register itself: one row per record as it stood on the as-of date (the version and status
 * in force then), its values from the register's typed columns, joined with the decision on the
 * survey that version came from — so a family surveyed twice, merged, or closed since is listed
 * as it was. Without the plugin (a report service built on its own), the surveys are read and
 * only each record's current one is kept (`currentSubmissions`), or every survey where the
 * register's table does not exist.
 */

const CHUNK = 500;

/** The form fields a list's rules read (`data.x` → `x`); undefined when one reads the whole data. */
export function fieldsRead(def: ReportDefinition, operations?: OperationRegistry): string[] | undefined {
  const rules = [
    ...(def.columns ?? []).map((c) => c.value),
    ...(def.filter === undefined ? [] : [def.filter]),
  ];
  const out = new Set<string>();
  for (const rule of rules) {
    for (const path of collectVars(rule, operations)) {
      if (path === 'data') return undefined;
      if (path.startsWith('data.')) out.add(path.slice(5).split('.')[0] as string);
    }
  }
  return [...out];
}

/** A register record as the list reads it: like a submission (its survey's id), data from the columns. */
function asSubmission(r: ReportRegisterRecord, formId: string): SourceSubmission {
  return {
    id: r.submissionId ?? r.recordId,
    formId,
    orgCode: r.orgCode,
    orgPath: r.orgPath,
    status: 'submitted',
    period: null,
    data: r.data,
    createdAt: '',
    updatedAt: '',
  };
}

/** A page of a register's records, with the decisions in force the page's query joined (when it did). */
export interface RegisterPage {
  readonly subs: SourceSubmission[];
  /** The primary ruleset's decision in force per record that has one, read with the page. */
  readonly decided?: Map<string, Readonly<Record<string, unknown>>> | undefined;
}

/**
 * The decision join of a list over a register: the primary ruleset's decision in force read in
 * the page's query, the filter's tests on typed outputs said there (see `decisionTests`).
 * Undefined when the rules service offers no join.
 */
export function listDecisionJoin(
  ctx: ReportContext,
  def: ReportDefinition,
  asOf: string,
): ReportDecisionJoin | undefined {
  const ruleset = def.source.decisions?.ruleset;
  if (!ruleset || !ctx.decisionJoin) return undefined;
  const tests = def.filter === undefined ? [] : decisionTests(def.filter, ctx.operations);
  return ctx.decisionJoin({ ruleset, asOf, tests });
}

/** Pages of the register's records as of `asOf`, or undefined when the list is not read from a register service. */
export function registerPages(
  ctx: ReportContext,
  def: ReportDefinition,
  q: {
    readonly orgPath: string;
    readonly asOf: string;
    readonly pageSize: number;
    readonly join?: ReportDecisionJoin | undefined;
  },
): AsyncGenerator<RegisterPage> | undefined {
  const register = def.source.register;
  const form = def.source.form;
  if (!register || !form || !ctx.registers) return undefined;
  const join = q.join;
  const pages = ctx.registers.recordsAsOf(ctx.db, {
    register: register.id,
    form,
    orgPath: q.orgPath,
    asOf: q.asOf,
    statuses: register.statuses,
    fields: fieldsRead(def, ctx.operations),
    pageSize: q.pageSize,
    ...(join ? { join } : {}),
  });
  if (!pages) return undefined;
  return (async function* () {
    for await (const page of pages) {
      const subs = page.map((r) => asSubmission(r, form));
      // A register service that does not know joins hands no columns: decisions are read per page then.
      if (!join || page.some((r) => !r.joined)) {
        yield { subs };
        continue;
      }
      const decided = new Map<string, Readonly<Record<string, unknown>>>();
      for (let i = 0; i < page.length; i++) {
        const outputs = join.outputs((page[i] as ReportRegisterRecord).joined ?? {});
        if (outputs) decided.set((subs[i] as SourceSubmission).id, outputs);
      }
      yield { subs, decided };
    }
  })();
}

/**
 * The decisions of a page of register records: the stored ones in force on `asOf` (those the
 * page's query joined, `decided`, and the others looked up); a record whose survey has none is
 * decided on its whole survey (read for it), not on the columns.
 */
export async function registerDecisions(
  ctx: ReportContext,
  page: readonly SourceSubmission[],
  ruleset: string,
  asOf: string,
  storedOnly: boolean,
  decided?: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): Promise<Map<string, Readonly<Record<string, unknown>>>> {
  let out: Map<string, Readonly<Record<string, unknown>>>;
  if (decided) {
    out = new Map(decided);
    // The join reads by the record's survey; a record without one is looked up as before.
    const rest = decided.size === page.length ? [] : page.filter((s) => !decided.has(s.id));
    if (rest.length > 0)
      for (const [id, d] of await ctx.decisions(rest, ruleset, asOf, { storedOnly: true })) out.set(id, d);
  } else {
    out = await ctx.decisions(page, ruleset, asOf, { storedOnly: true });
  }
  if (storedOnly || out.size === page.length) return out;
  const surveys: SourceSubmission[] = [];
  for (const s of page) {
    if (out.has(s.id)) continue;
    const full = await readSubmissionRecord(ctx.db, s.id, s.orgPath);
    if (full) surveys.push(full);
  }
  if (surveys.length === 0) return out;
  for (const [id, d] of await ctx.decisions(surveys, ruleset, asOf)) out.set(id, d);
  return out;
}

export async function currentSubmissions(
  db: Kysely<Database>,
  register: { readonly id: string; readonly statuses?: readonly string[] | undefined },
  submissionIds: readonly string[],
): Promise<Set<string> | undefined> {
  if (!/^[a-z][a-z0-9_]{0,23}$/.test(register.id)) return undefined;
  const table = `register_${register.id}`;
  if (!(await hasTable(db, table))) return undefined;
  const statuses = register.statuses ?? ['active'];
  const out = new Set<string>();
  const rdb = db.withTables<Record<string, { current_submission: string | null; status: string }>>();
  for (let i = 0; i < submissionIds.length; i += CHUNK) {
    const rows = await rdb
      .selectFrom(table)
      .select('current_submission')
      .where('current_submission', 'in', submissionIds.slice(i, i + CHUNK))
      .where('status', 'in', statuses)
      .execute();
    for (const r of rows) if (r.current_submission) out.add(r.current_submission);
  }
  return out;
}
