import { byId } from './dom.ts';

/** The page's status line (aria-live polite): what was saved where, what failed. */
export function status(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  const el = byId('status');
  el.textContent = text;
  el.className = `status ${kind}`;
}
