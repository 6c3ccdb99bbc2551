import type { Text } from '../../../engine/entry/plugin.ts';

/** A task as `GET /api/tasks` lists it (read tolerantly: only what the pages need). */
export interface Task {
  id: string;
  formId: string;
  orgUnit: string;
  state: string;
  stateLabel: unknown;
  overdue: boolean;
  deadline: string | null;
  actions: {
    action: string;
    label: Text;
    kind?: string;
    input?: { id: string; type: string; label: Text; required: boolean }[];
  }[];
  raw: Record<string, unknown>;
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

export function toTask(x: Record<string, unknown>): Task {
  const sub = (x.submission ?? {}) as Record<string, unknown>;
  return {
    id: str(x.submissionId ?? sub.id ?? x.id),
    formId: str(x.formId ?? sub.formId),
    orgUnit: str(x.orgCode ?? x.orgUnit ?? sub.orgUnit),
    state: str(x.state),
    stateLabel: x.stateLabel ?? x.state,
    overdue: x.overdue === true,
    deadline:
      typeof x.deadline === 'string' ? x.deadline : typeof x.deadlineAt === 'string' ? x.deadlineAt : null,
    actions: Array.isArray(x.actions) ? (x.actions as Task['actions']) : [],
    raw: x,
  };
}
