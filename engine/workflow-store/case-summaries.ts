import { type Static, Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { maskIdNumber } from '../auth/mask.ts';
import type { Principal } from '../auth/principal.ts';
import type { FormDefinition } from '../definition/form-schema.ts';
import { type IdentityFields, identityFields } from '../forms/identity-fields.ts';
import { Text } from '../i18n.ts';
import type { WorkflowCatalog } from './catalog.ts';
import type { WorkflowDatabase } from './tables.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The last step of a case: what was done, by whom, when, and the comment (a return's reason). */
export const CaseStepSchema = Type.Object({
  action: Type.String(),
  label: Text,
  kind: Type.String({ description: 'normal, return, reject, withdraw or timer' }),
  from: Type.String(),
  to: Type.String(),
  actor: Nullable(Type.String()),
  at: Type.String(),
  comment: Nullable(Type.String()),
});

/** One row of every case, task and submission list: who the family is, where, which step, who next, by when. */
export const CaseSummarySchema = Type.Object({
  submissionId: Type.String(),
  formId: Type.String(),
  formTitle: Text,
  status: Type.String({ description: 'The submission status: draft, submitted …' }),
  orgUnit: Type.String(),
  unitName: Type.String({ description: 'Name of the unit the case belongs to (the village)' }),
  household: Type.Object({
    name: Nullable(Type.String()),
    idNumber: Nullable(Type.String({ description: 'Always masked in a list' })),
    fields: Type.Object(
      { name: Nullable(Type.String()), idNumber: Nullable(Type.String()) },
      { description: "The form's fields they come from (see identityFields)" },
    ),
  }),
  workflowId: Nullable(Type.String()),
  state: Nullable(Type.String()),
  stateLabel: Nullable(Text),
  final: Type.Boolean({ description: 'The case has ended (approved to the end, or rejected)' }),
  assignees: Nullable(Text),
  enteredAt: Nullable(Type.String()),
  deadline: Nullable(Type.String()),
  overdue: Type.Boolean(),
  timerDueAt: Nullable(Type.String({ description: "When the state's timer fires, e.g. the end of 公示" })),
  lastStep: Nullable(CaseStepSchema),
  createdBy: Nullable(Type.String()),
  updatedAt: Type.String(),
});
export type CaseSummary = Static<typeof CaseSummarySchema>;

export const CaseFiltersSchema = Type.Object(
  {
    form: Type.Optional(Type.String({ maxLength: 64 })),
    state: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.String({ maxLength: 32 })),
    mine: Type.Optional(Type.Boolean({ description: 'Only the cases the caller started' })),
    overdue: Type.Optional(Type.Boolean()),
    open: Type.Optional(Type.Boolean({ description: 'Only cases whose workflow has not ended' })),
    ids: Type.Optional(
      Type.String({ maxLength: 20000, description: 'Comma-separated submission ids (at most 500)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
  },
  { additionalProperties: false },
);
export type CaseFilters = Static<typeof CaseFiltersSchema>;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The caller's cases as lists show them, newest change first: one query joins each submission of
 * the caller's subtree with its workflow instance and unit, a second reads the last step of those
 * cases, a third the definitions of the forms involved — never one query per row. ID numbers are
 * masked whatever the caller's permissions: a list is read over a shoulder.
 */
export async function listCaseSummaries(
  db: Kysely<WorkflowDatabase>,
  catalog: WorkflowCatalog,
  p: Principal,
  f: CaseFilters,
  now: string,
): Promise<CaseSummary[]> {
  let q = db
    .selectFrom('submissions as s')
    .leftJoin('workflow_instances as w', 'w.submission_id', 's.id')
    .leftJoin('org_units as o', 'o.code', 's.org_code')
    .select([
      's.id',
      's.form_id',
      's.form_version',
      's.status',
      's.org_code',
      's.data',
      's.created_by',
      's.updated_at',
      'o.name as unit_name',
      'w.workflow_id',
      'w.workflow_version',
      'w.state',
      'w.entered_at',
      'w.deadline_at',
      'w.timer_due_at',
    ])
    .where('s.deleted_at', 'is', null)
    .where('s.org_path', 'like', `${p.orgPath}%`);
  if (f.form !== undefined) q = q.where('s.form_id', '=', f.form);
  if (f.state !== undefined) q = q.where('w.state', '=', f.state);
  if (f.status !== undefined) q = q.where('s.status', '=', f.status);
  if (f.mine) q = q.where('s.created_by', 'in', [p.username, p.userId]);
  if (f.overdue) q = q.where('w.deadline_at', '<', now);
  if (f.ids !== undefined) {
    const ids = f.ids.split(',').filter(Boolean).slice(0, 500);
    q = q.where('s.id', 'in', ids.length ? ids : ['']);
  }
  if (f.open) {
    const finals = catalog
      .all()
      .flatMap((wf) => Object.entries(wf.definition.states).filter(([, s]) => s.final === true))
      .map(([id]) => id);
    if (finals.length)
      q = q.where((eb) => eb.or([eb('w.state', 'is', null), eb('w.state', 'not in', finals)]));
  }
  const rows = await q
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id')
    .limit(f.limit ?? 200)
    .execute();
  if (rows.length === 0) return [];

  const ids = rows.map((r) => r.id);
  const last = new Map<
    string,
    {
      action: string;
      from_state: string;
      to_state: string;
      actor_id: string | null;
      at: string;
      comment: string | null;
    }
  >();
  for (let i = 0; i < ids.length; i += 500) {
    const steps = await db
      .selectFrom('workflow_history')
      .select(['submission_id', 'action', 'from_state', 'to_state', 'actor_id', 'at', 'comment'])
      .where('submission_id', 'in', ids.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const s of steps) last.set(s.submission_id, s);
  }

  const formIds = [...new Set(rows.map((r) => r.form_id))];
  const defs = new Map<string, FormDefinition>();
  for (const d of await db
    .selectFrom('forms')
    .select(['id', 'version', 'definition'])
    .where('id', 'in', formIds)
    .execute())
    defs.set(`${d.id}@${d.version}`, JSON.parse(d.definition) as FormDefinition);
  const who = new Map<string, IdentityFields>();
  const identity = (key: string): IdentityFields => {
    let found = who.get(key);
    if (!found) {
      const def = defs.get(key);
      found = def ? identityFields(def) : { name: null, idNumber: null };
      who.set(key, found);
    }
    return found;
  };

  return rows.map((r) => {
    const key = `${r.form_id}@${r.form_version}`;
    const def = defs.get(key);
    const ident = identity(key);
    const data = JSON.parse(r.data) as Record<string, unknown>;
    const id = ident.idNumber ? text(data[ident.idNumber]) : null;
    const wf =
      r.workflow_id !== null && r.workflow_version !== null
        ? catalog.get(r.workflow_id, r.workflow_version)
        : undefined;
    const state = r.state !== null ? wf?.state(r.state) : undefined;
    const step = last.get(r.id);
    const t = step && wf ? wf.find(step.from_state, step.action) : undefined;
    return {
      submissionId: r.id,
      formId: r.form_id,
      formTitle: def?.title ?? { 'zh-CN': r.form_id, en: r.form_id },
      status: r.status,
      orgUnit: r.org_code,
      unitName: r.unit_name ?? r.org_code,
      household: {
        name: ident.name ? text(data[ident.name]) : null,
        idNumber: id === null ? null : maskIdNumber(id),
        fields: { name: ident.name, idNumber: ident.idNumber },
      },
      workflowId: r.workflow_id,
      state: r.state,
      stateLabel: r.state === null ? null : (state?.label ?? { 'zh-CN': r.state, en: r.state }),
      final: state?.final === true,
      assignees: state?.assignees ?? null,
      enteredAt: r.entered_at,
      deadline: r.deadline_at,
      overdue: r.deadline_at !== null && r.deadline_at < now,
      timerDueAt: r.timer_due_at,
      lastStep: step
        ? {
            action: step.action,
            label: t?.label ?? { 'zh-CN': step.action, en: step.action },
            kind: step.actor_id === null ? 'timer' : (t?.kind ?? 'normal'),
            from: step.from_state,
            to: step.to_state,
            actor: step.actor_id,
            at: step.at,
            comment: step.comment,
          }
        : null,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
    };
  });
}
