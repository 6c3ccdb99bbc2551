import type { ErrorDetail } from '../errors/nx-error.ts';
import type { Text } from '../i18n.ts';
import type { OrgLevel, TransitionKind } from './workflow-schema.ts';

/** A person acting on a case: their roles and the org unit they belong to. */
export interface WorkflowActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly orgCode: string;
  readonly orgLevel: OrgLevel;
}

/** One countersign approval given in the current state. */
export interface Approval {
  readonly action: string;
  readonly actorId: string;
  /** The countersign role this approval counts for. */
  readonly role: string;
  readonly at: string;
  readonly comment?: string;
}

/** What the engine needs to know of a workflow instance (one per submission). */
export interface InstanceSnapshot {
  readonly state: string;
  readonly submitterId: string;
  readonly submitterOrg: string;
  /** Org codes from the province down to the case's own unit, e.g. ['510000','510100','510104',…]. */
  readonly caseOrgPath: readonly string[];
  /** Countersign progress in the current state; empty after every move. */
  readonly approvals: readonly Approval[];
  /** ISO 8601 instant the current state was entered (timers and deadlines count from here). */
  readonly enteredAt: string;
  /** Reporting period key, for workflows whose states have per-period deadlines. */
  readonly period?: string;
}

/** The audit line of one decision (the store adds the effects' outputs before saving it). */
export interface TransitionRecord {
  readonly action: string;
  readonly kind: TransitionKind;
  readonly from: string;
  readonly to: string;
  /** False while a countersign is still collecting approvals. */
  readonly moved: boolean;
  /** Null when a timer fired. */
  readonly actorId: string | null;
  readonly actorRoles: readonly string[];
  readonly actorOrg: string | null;
  readonly at: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly comment?: string;
  readonly countersign?: {
    readonly role: string;
    readonly approved: readonly string[];
    readonly pending: readonly string[];
  };
  readonly timer?: boolean;
  /** What each effect produced, in order; the store fills it in after running them. */
  readonly effects?: readonly {
    readonly name: string;
    readonly output: Record<string, unknown> | undefined;
  }[];
}

/** A named effect to run, with its parameters, in order. */
export interface EffectCall {
  readonly name: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export type DecisionStatus = 403 | 404 | 409 | 422;

export type Decision =
  | {
      readonly ok: true;
      readonly from: string;
      readonly to: string;
      readonly moved: boolean;
      /** Effects to run, in order, in the same transaction as the move (empty unless it moved). */
      readonly effects: readonly EffectCall[];
      readonly record: TransitionRecord;
      /** The instance after the decision: what the store writes back. */
      readonly next: InstanceSnapshot;
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly status: DecisionStatus;
      readonly message: Text;
      readonly errors?: readonly ErrorDetail[];
    };

/** An action the actor may take now, as a task list shows it. */
export interface AvailableAction {
  readonly action: string;
  readonly label: Text;
  readonly kind: TransitionKind;
  readonly to: string;
  readonly input: readonly { id: string; type: string; label: Text; required: boolean }[];
  /** For countersigns: roles still missing, and whether this actor's approval would complete it. */
  readonly countersign?: { readonly pending: readonly string[]; readonly completes: boolean };
}

/** A timer whose time has come. */
export interface DueTimer {
  readonly action: string;
  readonly dueAt: string;
}
