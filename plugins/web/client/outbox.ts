import { ApiError, api, NetworkError, session } from './api.ts';

/**
 * Saves that could not reach the server wait here (localStorage, this device) and are sent when
 * the connection returns. Each carries an Idempotency-Key chosen when it was first queued, so a
 * send whose answer was lost and is sent again still stores one submission.
 */
export interface Pending {
  key: string;
  formId: string;
  /** Set once the server holds the submission: later saves update it. */
  submissionId?: string;
  version?: number;
  status: 'draft' | 'submitted';
  data: Record<string, unknown>;
  savedAt: string;
}

export interface Saved {
  id: string;
  version: number;
  status: string;
}

/** Announced on `window` as `nx:sent` when a queued save reached the server. */
export interface SentDetail {
  pending: Pending;
  saved: Saved;
}

const storeKey = () => `nx.outbox.${session()?.user.username ?? 'anonymous'}`;

export function pending(): Pending[] {
  try {
    return JSON.parse(localStorage.getItem(storeKey()) ?? '[]') as Pending[];
  } catch {
    return [];
  }
}

function write(list: Pending[]) {
  localStorage.setItem(storeKey(), JSON.stringify(list));
}

/** Queues (or replaces, for the same key) a save. */
export function enqueue(p: Pending): void {
  write([...pending().filter((x) => x.key !== p.key), p]);
}

export const newKey = (): string => crypto.randomUUID();

/** One save: create with the key, or update the known submission at its version. */
export async function send(p: Pending): Promise<Saved> {
  if (p.submissionId) {
    return api<Saved>('PATCH', `/api/submissions/${encodeURIComponent(p.submissionId)}`, {
      data: p.data,
      status: p.status,
      version: p.version,
    });
  }
  return api<Saved>(
    'POST',
    `/api/forms/${encodeURIComponent(p.formId)}/submissions`,
    { data: p.data, status: p.status },
    { 'idempotency-key': p.key },
  );
}

let flushing: Promise<{ sent: number; failed: number }> | undefined;

/**
 * Sends everything queued, oldest first; network failures stay queued, refusals (400/409/422)
 * stay too, marked for the user to open and fix. One flush at a time.
 */
export function flush(onSent?: (p: Pending, s: Saved) => void): Promise<{ sent: number; failed: number }> {
  flushing ??= (async () => {
    let sent = 0;
    let failed = 0;
    for (const p of pending()) {
      try {
        const s = await send(p);
        write(pending().filter((x) => x.key !== p.key));
        sent++;
        onSent?.(p, s);
        window.dispatchEvent(new CustomEvent<SentDetail>('nx:sent', { detail: { pending: p, saved: s } }));
      } catch (e) {
        failed++;
        if (e instanceof NetworkError) break;
        if (!(e instanceof ApiError)) throw e;
      }
    }
    return { sent, failed };
  })().finally(() => {
    flushing = undefined;
  });
  return flushing;
}
