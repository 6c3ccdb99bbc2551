import { Worker } from 'node:worker_threads';
import type { HouseholdsChunk, HouseholdsWorkerInput } from './households-worker.ts';

/**
 * The chunks of generated households for a data file, made by `workers` threads and yielded in
 * order (chunk 0, 1, 2 …): the benchmarks' million-household files are built on every core.
 */
export async function* householdChunks(
  input: Omit<HouseholdsWorkerInput, 'index' | 'workers' | 'ahead'>,
  workers = 2,
): AsyncGenerator<HouseholdsChunk> {
  const done = new Map<number, HouseholdsChunk>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const threads = Array.from({ length: workers }, (_, index) => {
    const w = new Worker(new URL('./households-worker.mjs', import.meta.url), {
      workerData: { ...input, index, workers, ahead: 2 } satisfies HouseholdsWorkerInput,
      execArgv: [],
    });
    w.on('message', (m: HouseholdsChunk) => {
      done.set(m.k, m);
      notify();
    });
    w.on('error', (err) => {
      failure = err;
      notify();
    });
    return w;
  });
  const chunks = Math.ceil(input.n / input.chunk);
  try {
    for (let k = 0; k < chunks; k++) {
      let c = done.get(k);
      while (!c) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
        c = done.get(k);
      }
      done.delete(k);
      (threads[k % workers] as Worker).postMessage('more');
      yield c;
    }
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}
