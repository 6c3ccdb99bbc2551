import { workflowCodes } from '../errors/codes-workflow.ts';
import { NxError } from '../errors/nx-error.ts';
import type { EffectContext, EffectRegistry } from './effects.ts';
import type { EffectCall } from './types.ts';

/** What one effect produced, recorded with its transition. */
export interface EffectOutcome {
  readonly name: string;
  readonly output: Record<string, unknown> | undefined;
}

/**
 * Runs a decision's effects in order (the store calls it inside the transition's transaction).
 * A missing or failing effect throws an NxError, so the transaction rolls back and nothing moves.
 */
export async function runEffects(
  registry: EffectRegistry,
  calls: readonly EffectCall[],
  ctx: Omit<EffectContext, 'params'>,
): Promise<EffectOutcome[]> {
  const outcomes: EffectOutcome[] = [];
  for (const call of calls) {
    const effect = registry.get(call.name);
    if (effect === undefined) {
      const info = workflowCodes.NX_ERR_WF_EFFECT_MISSING;
      throw new NxError('NX_ERR_WF_EFFECT_MISSING', info.status, info.message, [
        { path: '', code: 'NX_ERR_WF_EFFECT_MISSING', message: info.message, params: { effect: call.name } },
      ]);
    }
    try {
      const output = await effect.run(call.params === undefined ? ctx : { ...ctx, params: call.params });
      outcomes.push({ name: call.name, output });
    } catch (err) {
      if (err instanceof NxError) throw err;
      const info = workflowCodes.NX_ERR_WF_EFFECT_FAILED;
      const reason = err instanceof Error ? err.message : String(err);
      throw new NxError('NX_ERR_WF_EFFECT_FAILED', info.status, info.message, [
        {
          path: '',
          code: 'NX_ERR_WF_EFFECT_FAILED',
          message: info.message,
          params: { effect: call.name, reason },
        },
      ]);
    }
  }
  return outcomes;
}
