/**
 * The import's second thread: reads the file, validates each row and posts batches of rows ready
 * to store, while the main thread writes the previous batch to the database. It runs at most
 * `ahead` batches ahead of the writer (the main thread grants one more with each batch it takes),
 * so memory stays bounded however large the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FormDefinition } from '../../engine/definition/form-schema.ts';
import { compileForm } from '../../engine/runtime/compile-form.ts';
import type { ValidateContext } from '../../engine/runtime/types.ts';
import { validatedRows } from './validated-rows.ts';

/** What the main thread passes to the worker. */
export interface ValidateWorkerInput {
  file: string;
  formId: string;
  orgCode: string;
  /** The effective form (base and overlays) the main thread stores against. */
  definition: FormDefinition;
  ctx: ValidateContext;
  batchSize: number;
  /** Plugin configuration whose field types and operations the form is compiled with. */
  pluginConfig?: string;
  ahead: number;
}

/** What the worker posts back. */
export type ValidateWorkerMessage =
  | { type: 'batch'; batch: import('./validated-rows.ts').RowBatch }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** The field types and operations the configured plugins add, loaded as `nuanxin serve` loads them. */
async function pluginCompileOptions(config: string) {
  // Loaded only when a configuration is given: the plugins weigh more than the validation itself.
  const [{ ENGINE_VERSION }, { loadPluginsFromFile }, { pluginAppOptions }, { builtinPlugins }] =
    await Promise.all([
      import('../../engine/plugin/engine-version.ts'),
      import('../../engine/plugin/load-plugins.ts'),
      import('../../engine/server/plugin-bridge.ts'),
      import('../../plugins/builtins.ts'),
    ]);
  const loaded = await loadPluginsFromFile(config, {
    engineVersion: ENGINE_VERSION,
    builtins: builtinPlugins,
  });
  return pluginAppOptions(loaded).compile;
}

const port = parentPort;
if (!port) throw new Error('validate-worker runs only as a worker thread');
const input = workerData as ValidateWorkerInput;
let credits = input.ahead;
let wake: (() => void) | null = null;
port.on('message', (m) => {
  if (m !== 'more') return;
  credits++;
  wake?.();
  wake = null;
});

try {
  const compile = input.pluginConfig ? await pluginCompileOptions(input.pluginConfig) : {};
  const form = compileForm(input.definition, compile);
  for await (const batch of validatedRows({
    file: input.file,
    formId: input.formId,
    orgCode: input.orgCode,
    form,
    ctx: input.ctx,
    batchSize: input.batchSize,
  })) {
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    port.postMessage({ type: 'batch', batch } satisfies ValidateWorkerMessage);
  }
  port.postMessage({ type: 'done' } satisfies ValidateWorkerMessage);
} catch (err) {
  port.postMessage({
    type: 'error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  } satisfies ValidateWorkerMessage);
}
