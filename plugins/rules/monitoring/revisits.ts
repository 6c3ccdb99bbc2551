import type { Kysely } from 'kysely';
import { todayInChina } from '../../../engine/entry/runtime.ts';
import { type Database, maskIdNumber, takeLease } from '../../../engine/entry/server.ts';
import type { RulesService } from '../service.ts';
import { chainOfPath } from '../store/db-what-if.ts';
import { factsDateOf } from '../store/decide-as-of.ts';
import { latestOutputs } from '../store/decisions.ts';
import { addChange, labelOf, summaryOf } from './changes.ts';
import { type MonitoredSubject, subjectsPage } from './subjects.ts';

/**
 * Re-visits: each family is surveyed again a number of months after its last survey, by its
 * current category (低保边缘户, 易致贫返贫户, 支出型困难户, or a 低保 candidate). The months are
 * the declared parameters of the ruleset `resurvey-intervals` (e.g. `resurvey_months_marginal`,
 * 12 by default), set per province, city or county like any standard. A family whose date has
 * passed is overdue; the monitoring run turns each overdue one into a `revisit` item for its village.
 */

export const INTERVALS_RULESET = 'resurvey-intervals';
export const ELIGIBILITY_RULESET = 'household-eligibility';

export interface Revisit {
  readonly submissionId: string;
  readonly orgCode: string;
  readonly headName: string | null;
  readonly idNumber: string | null;
  readonly category: string;
  readonly surveyDate: string;
  readonly intervalMonths: number;
  readonly dueDate: string;
  readonly state: 'due' | 'overdue';
}

/** `date` plus `months`, the day kept where the month has it (else its last day): 2021-08-31 + 6 → 2022-02-28. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The category a decision's outputs give for re-visits (none: not monitored). */
export function categoryOf(outputs: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const s = summaryOf(outputs);
  if (s.dibaoCandidate) return 'dibao';
  return s.inRoster && s.hardshipType ? s.hardshipType : undefined;
}

export interface RevisitQuery {
  readonly orgPath: string;
  readonly register: string;
  /** `overdue` only, or `due` (due within `withinDays`, overdue included); default both. */
  readonly state?: 'due' | 'overdue';
  readonly withinDays?: number;
  /** The day the list is made for (default today in China). */
  readonly on?: string;
  readonly pii: boolean;
}

/** Walks the families of a subtree with their re-visit date (overdue or due within the window). */
async function* revisitsOf(
  db: Kysely<Database>,
  service: RulesService,
  q: Omit<RevisitQuery, 'pii'>,
): AsyncGenerator<{ subject: MonitoredSubject; revisit: Omit<Revisit, 'headName' | 'idNumber'> }> {
  const eligibility = service.get(ELIGIBILITY_RULESET);
  if (!eligibility || !service.get(INTERVALS_RULESET)) return;
  const on = q.on ?? todayInChina();
  const horizon = addDays(on, q.withinDays ?? 30);
  const months = new Map<string, number | null>();
  const intervalOf = async (s: MonitoredSubject, category: string) => {
    const key = `${s.orgCode}|${category}`;
    if (!months.has(key)) {
      const d = await service.evaluate(
        INTERVALS_RULESET,
        { category },
        { orgCode: s.orgCode, asOf: on, chain: chainOfPath(s.orgPath) },
      );
      months.set(key, typeof d.outputs.months === 'number' ? d.outputs.months : null);
    }
    return months.get(key) ?? null;
  };
  let cursor: string | null = null;
  for (;;) {
    const { subjects: page, next } = await subjectsPage(db, {
      formId: eligibility.ruleset.form ?? 'household-survey',
      orgPath: q.orgPath,
      register: q.register,
      cursor,
      limit: 500,
    });
    if (next === null) return;
    cursor = next;
    const outputs = await latestOutputs(
      db,
      page.map((s) => s.id),
      ELIGIBILITY_RULESET,
      on,
    );
    for (const s of page) {
      const category = categoryOf(outputs.get(s.id));
      const surveyDate = factsDateOf(eligibility, s.data);
      if (!category || !surveyDate) continue;
      const interval = await intervalOf(s, category);
      if (interval === null) continue;
      const dueDate = addMonths(surveyDate, interval);
      const state = dueDate < on ? 'overdue' : dueDate <= horizon ? 'due' : undefined;
      if (!state || (q.state === 'overdue' && state !== 'overdue')) continue;
      yield {
        subject: s,
        revisit: {
          submissionId: s.id,
          orgCode: s.orgCode,
          category,
          surveyDate,
          intervalMonths: interval,
          dueDate,
          state,
        },
      };
    }
  }
}

/** Families of a subtree due (within `withinDays`, default 30) or overdue for a re-survey, by due date. */
export async function listRevisits(
  db: Kysely<Database>,
  service: RulesService,
  q: RevisitQuery,
): Promise<{ on: string; items: Revisit[] }> {
  const items: Revisit[] = [];
  for await (const { subject, revisit } of revisitsOf(db, service, q)) {
    const label = labelOf(subject.data);
    items.push({
      ...revisit,
      headName: label.headName ?? null,
      idNumber: label.idNumber === undefined ? null : q.pii ? label.idNumber : maskIdNumber(label.idNumber),
    });
  }
  items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.submissionId.localeCompare(b.submissionId));
  return { on: q.on ?? todayInChina(), items };
}

/** How often overdue families are swept into items by default: once a day. */
export const REVISIT_SWEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Turns each overdue family into a `revisit` item for its village (once per survey and due
 * date), at most once per `everyMs` (default a day) across processes (the lease
 * `monitoring-revisits`). Returns how many items were added (0 when swept within the interval).
 */
export async function openOverdueRevisits(
  db: Kysely<Database>,
  service: RulesService,
  opts: { readonly register: string; readonly now: Date; readonly everyMs?: number },
): Promise<number> {
  const on = todayInChina(opts.now.getTime());
  const until = new Date(opts.now.getTime() + (opts.everyMs ?? REVISIT_SWEEP_MS)).toISOString();
  if (!(await takeLease(db, { name: 'monitoring-revisits', now: opts.now.toISOString(), until }))) return 0;
  let added = 0;
  for await (const { subject, revisit } of revisitsOf(db, service, {
    orgPath: '/',
    register: opts.register,
    state: 'overdue',
    on,
  })) {
    const ok = await addChange(
      db,
      {
        sourceKey: `revisit:${subject.id}:${revisit.dueDate}`,
        jobId: null,
        rulesetId: INTERVALS_RULESET,
        submissionId: subject.id,
        orgCode: subject.orgCode,
        orgPath: subject.orgPath,
        kinds: ['revisit'],
        before: { category: revisit.category, surveyDate: revisit.surveyDate },
        after: { dueDate: revisit.dueDate },
        cause: {
          type: 'revisit',
          category: revisit.category,
          intervalMonths: revisit.intervalMonths,
          surveyDate: revisit.surveyDate,
          dueDate: revisit.dueDate,
        },
        decisionId: null,
        label: labelOf(subject.data),
      },
      opts.now.toISOString(),
    );
    if (ok) added++;
  }
  return added;
}
