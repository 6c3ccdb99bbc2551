import { Worker } from 'node:worker_threads';
import type { ValidateWorkerInput, ValidateWorkerMessage } from './validate-worker.ts';
import type { RowBatch } from './validated-rows.ts';

/**
 * The batches of `validatedRows` computed in a worker thread (`validate-worker.ts`): reading and
 * validating the next rows overlaps with storing the last ones (the worker runs up to
 * `input.ahead` batches ahead, so it keeps going through a whole transaction). Ending the iteration early (an
 * error while storing) stops the worker.
 */
export async function* workerBatches(input: ValidateWorkerInput): AsyncGenerator<RowBatch> {
  const worker = new Worker(new URL('./validate-worker.mjs', import.meta.url), {
    workerData: input satisfies ValidateWorkerInput,
    execArgv: [],
  });
  const queue: ValidateWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ValidateWorkerMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (err) => {
    failure = err;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`import worker stopped (exit code ${code}) before the end of the file`);
    notify();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (m.type === 'done') return;
      if (m.type === 'error') throw new Error(`import worker: ${m.message}`);
      // Let the worker start on the next batch while this one is stored.
      worker.postMessage('more');
      yield m.batch;
    }
  } finally {
    await worker.terminate();
  }
}
