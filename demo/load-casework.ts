import type { FastifyInstance } from 'fastify';
import { type DemoClock, demoActor, plusDays } from './casework.ts';
import { demoHouseholds } from './households.ts';

/** What the demo's casework left in the database, for the start-up message and the tests. */
export interface CaseworkReport {
  surveys: number;
  /** Submission ids of the surveys, in the order of `demoHouseholds`. */
  surveyIds: string[];
}

/** The demo village and its people (demo/users.ts). */
const VILLAGE_STAFF = 'baiyicun.staff';

/** How many families the demo village surveys. */
export const DEMO_HOUSEHOLDS = 36;

/**
 * The casework of the demo, done through the HTTP API by the demo users as the pages would do it,
 * on a clock that starts `daysAgo` days before `today`: the village surveys its families.
 * `app` must be built on that clock (see cli/server.ts).
 */
export async function loadDemoCasework(
  app: FastifyInstance,
  clock: DemoClock,
  today: string,
  opts: { daysAgo?: number } = {},
): Promise<CaseworkReport> {
  const start = plusDays(today, -(opts.daysAgo ?? 60));
  clock.set(start);
  const staff = await demoActor(app, VILLAGE_STAFF);
  const surveyDate = chinaDate(start);
  const report: CaseworkReport = { surveys: 0, surveyIds: [] };
  for (const [i, h] of demoHouseholds(DEMO_HOUSEHOLDS, surveyDate).entries()) {
    clock.set(plusDays(start, i * 0.02));
    const r = await staff.call<{ id: string }>('POST', '/api/forms/household-survey/submissions', {
      status: 'submitted',
      data: h.data,
    });
    report.surveyIds.push(r.id);
    report.surveys += 1;
  }
  return report;
}

/** The calendar day in China (UTC+8) of an instant. */
export function chinaDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
