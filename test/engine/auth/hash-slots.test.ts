import { describe, expect, it } from 'vitest';
import { HashSlots } from '../../../engine/auth/hash-slots.ts';
import { NxError } from '../../../engine/errors/nx-error.ts';

/** A task that ends when told to, recording when it started. */
function gate(started: number[], id: number) {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  const run = () => {
    started.push(id);
    return done.then(() => id);
  };
  return { run, open };
}

describe('password hashing slots', () => {
  it('run at most `concurrency` at once, queue `maxQueued`, refuse the rest with 503 and Retry-After', async () => {
    const slots = new HashSlots({ concurrency: 2, maxQueued: 3, maxPerOwner: 10 });
    const started: number[] = [];
    const gates = Array.from({ length: 7 }, (_, i) => gate(started, i));
    const results = gates.map((g) => slots.run(g.run, { refuseWhenBusy: true }).catch((e: unknown) => e));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    const refused = await Promise.all([results[5], results[6]]);
    for (const e of refused) {
      expect(e).toBeInstanceOf(NxError);
      expect((e as NxError).code).toBe('NX_ERR_AUTH_BUSY');
      expect((e as NxError).statusCode).toBe(503);
      expect((e as NxError).retryAfterSeconds).toBeGreaterThan(0);
    }
    gates[0]?.open();
    await new Promise((r) => setImmediate(r));
    // The freed slot goes to the oldest waiter.
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(results.slice(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('make trusted callers wait instead of refusing them, and free the slot when a task fails', async () => {
    const slots = new HashSlots({ concurrency: 1, maxQueued: 0, maxPerOwner: 10 });
    const started: number[] = [];
    const first = gate(started, 0);
    const a = slots.run(first.run, { refuseWhenBusy: false });
    const b = slots.run(async () => started.push(1), { refuseWhenBusy: false });
    await expect(slots.run(async () => 2, { refuseWhenBusy: true })).rejects.toMatchObject({
      code: 'NX_ERR_AUTH_BUSY',
    });
    first.open();
    await Promise.all([a, b]);
    expect(started).toEqual([0, 1]);
    await expect(
      slots.run(async () => Promise.reject(new Error('boom')), { refuseWhenBusy: true }),
    ).rejects.toThrow('boom');
    expect(await slots.run(async () => 'free', { refuseWhenBusy: true })).toBe('free');
  });

  it('let one owner hold at most its share of places, leaving room for others', async () => {
    const slots = new HashSlots({ concurrency: 1, maxQueued: 10, maxPerOwner: 2 });
    const started: number[] = [];
    const gates = Array.from({ length: 3 }, (_, i) => gate(started, i));
    const mine = gates.map((g) =>
      slots.run(g.run, { refuseWhenBusy: true, owner: '10.0.0.1' }).catch((e) => e),
    );
    expect(await mine[2]).toMatchObject({ code: 'NX_ERR_AUTH_BUSY' });
    const theirs = slots.run(async () => 'other', { refuseWhenBusy: true, owner: '10.0.0.2' });
    for (const g of gates) g.open();
    expect(await Promise.all([mine[0], mine[1], theirs])).toEqual([0, 1, 'other']);
    // The share is given back as hashes finish.
    expect(await slots.run(async () => 'again', { refuseWhenBusy: true, owner: '10.0.0.1' })).toBe('again');
  });
});
