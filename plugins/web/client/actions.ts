import { h } from './dom.ts';
import { tr } from './i18n.ts';
import type { Task } from './tasks.ts';

type Action = Task['actions'][number];

/** Left to right: reject, withdraw, return, other steps, approve — the same at every workflow step. */
const RANK: Record<string, number> = { reject: 0, withdraw: 1, return: 2 };

const rank = (a: Action): number => RANK[a.kind ?? ''] ?? RANK[a.action] ?? (a.action === 'approve' ? 4 : 3);

export function orderActions(actions: readonly Action[]): Action[] {
  return [...actions].sort((x, y) => rank(x) - rank(y));
}

/** An action that ends the case for good: it asks before it is sent. */
export const irreversible = (a: Action): boolean => (a.kind ?? a.action) === 'reject';

export const destructive = irreversible;

/** Whether the workflow requires a comment for this action. */
export const needsComment = (a: Action): boolean =>
  (a.input ?? []).some((i) => i.id === 'comment' && i.required);

/** An ID number as a confirmation shows it: enough to tell families apart, no more. */
export function maskId(id: string): string {
  return id.length >= 15 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id;
}

export interface Confirm {
  title: string;
  family: string;
  consequence: string;
  comment?: string;
  confirmLabel: string;
}

/**
 * A modal `<dialog>` naming the family and what happens; resolves true only when the destructive
 * button is pressed (Cancel, Escape or closing it answer false). Focus starts on Cancel.
 */
export function confirmDialog(c: Confirm): Promise<boolean> {
  return new Promise((resolve) => {
    const no = h(
      'button',
      { type: 'submit', value: 'no', id: 'confirm-no', autofocus: true },
      tr('取消', 'Cancel'),
    );
    const yes = h(
      'button',
      { type: 'submit', value: 'yes', id: 'confirm-yes', class: 'danger' },
      c.confirmLabel,
    );
    const d = h(
      'dialog',
      { id: 'confirm', class: 'confirm', 'aria-labelledby': 'confirm-h', 'aria-describedby': 'confirm-body' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'confirm-h' }, c.title),
        h(
          'div',
          { id: 'confirm-body' },
          h('p', { id: 'confirm-family', class: 'family' }, c.family),
          h('p', {}, c.consequence),
          c.comment ? h('p', {}, tr('理由：', 'Reason: '), h('q', {}, c.comment)) : null,
        ),
        h('div', { class: 'actions' }, no, yes),
      ),
    );
    d.addEventListener('close', () => {
      resolve(d.returnValue === 'yes');
      d.remove();
    });
    document.body.append(d);
    d.showModal();
    no.focus();
  });
}
