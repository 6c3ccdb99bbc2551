import { expect } from 'vitest';
import type { CompiledWorkflow } from '../../../engine/workflow/compile-workflow.ts';
import { addDuration } from '../../../engine/workflow/duration.ts';
import { availableActions, decide } from '../../../engine/workflow/machine.ts';
import type { Decision, InstanceSnapshot, WorkflowActor } from '../../../engine/workflow/types.ts';
import { moved, people } from './fixtures.ts';

/**
 * Walks one case through a workflow: each step is an actor taking an action at a moment that
 * advances by an hour (or as told), and the case keeps the snapshot the engine hands back.
 */
export class CaseWalk {
  now: string;
  log: Decision[] = [];

  constructor(
    readonly wf: CompiledWorkflow,
    public inst: InstanceSnapshot,
    public data: Record<string, unknown>,
    start = '2021-05-10T02:00:00.000Z',
  ) {
    this.now = start;
  }

  /** Moves the clock on. */
  wait(duration: string): this {
    this.now = addDuration(this.now, duration);
    return this;
  }

  /** Tries an action without keeping the result. */
  attempt(who: WorkflowActor, action: string, input?: Record<string, unknown>): Decision {
    return decide(this.wf, {
      instance: this.inst,
      actor: who,
      action,
      now: this.now,
      data: this.data,
      ...(input ? { input } : {}),
    });
  }

  /** Takes an action that must succeed, and keeps the new snapshot. */
  act(who: WorkflowActor, action: string, input?: Record<string, unknown>): Extract<Decision, { ok: true }> {
    this.wait('PT1H');
    const d = moved(this.attempt(who, action, input));
    this.log.push(d);
    this.inst = d.next;
    return d;
  }

  /** The refusal code and status for an action that must be refused. */
  refused(who: WorkflowActor, action: string, input?: Record<string, unknown>): string {
    const d = this.attempt(who, action, input);
    if (d.ok) throw new Error(`${who.id} was allowed to ${action} in ${this.inst.state}`);
    return `${d.status} ${d.code}`;
  }

  /**
   * Proves for the current step that only `rightful` may take `action`: everyone outside the
   * case's subtree gets 404, everyone inside but at the wrong level or with the wrong role 403,
   * and the action does not show in their task list.
   */
  onlyRightful(action: string, rightful: readonly WorkflowActor[], input?: Record<string, unknown>): void {
    let outsiders = 0;
    let insiders = 0;
    for (const who of Object.values(people)) {
      if (rightful.some((r) => r.id === who.id)) {
        expect(this.offered(who), `${who.id} offered ${action}`).toContain(action);
        continue;
      }
      const inside = this.inst.caseOrgPath.includes(who.orgCode);
      const got = this.refused(who, action, input);
      if (inside) {
        insiders++;
        expect(got, `${who.id} at ${who.orgCode} doing ${action}`).toMatch(/^403 /);
      } else {
        outsiders++;
        expect(got, `${who.id} at ${who.orgCode} doing ${action}`).toBe('404 NX_ERR_WF_OUTSIDE_SCOPE');
      }
      expect(this.offered(who)).not.toContain(action);
    }
    expect(outsiders).toBeGreaterThan(0);
    expect(insiders).toBeGreaterThan(0);
  }

  /** The actions offered to someone now. */
  offered(who: WorkflowActor): string[] {
    return availableActions(this.wf, { instance: this.inst, actor: who, data: this.data, now: this.now }).map(
      (a) => a.action,
    );
  }
}
