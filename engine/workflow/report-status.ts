import { endOfDay, toMs } from './duration.ts';
import type { ReportPeriod } from './workflow-schema.ts';

export type ReportStatus = 'on_time' | 'late' | 'missing' | 'pending';

/**
 * A periodic report's standing. The due date counts in full (China time): handed in by the end
 * of it → on_time, after → late; not handed in → pending until the due date has passed, then missing.
 * Example: `reportStatus({ id: 'q2', due: '2021-06-03' }, null, '2021-06-04T00:00:00+08:00')` → 'missing'.
 */
export function reportStatus(
  period: ReportPeriod | string,
  submittedAt: string | null,
  now: string,
): ReportStatus {
  const due = toMs(endOfDay(typeof period === 'string' ? period : period.due));
  if (submittedAt !== null) return toMs(submittedAt) <= due ? 'on_time' : 'late';
  return toMs(now) > due ? 'missing' : 'pending';
}

/** The period with this key: its id, or its due date (stores may key periods either way). */
export function findPeriod(periods: readonly ReportPeriod[], key: string): ReportPeriod | undefined {
  return periods.find((p) => p.id === key) ?? periods.find((p) => p.due === key);
}
