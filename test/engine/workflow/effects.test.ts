import { describe, expect, it } from 'vitest';
import { NxError } from '../../../engine/errors/nx-error.ts';
import { createEffectRegistry, type EffectDefinition } from '../../../engine/workflow/effects.ts';
import { runEffects } from '../../../engine/workflow/run-effects.ts';
import { instance, people } from './fixtures.ts';

const recorder = (name: string, seen: string[], fail = false): EffectDefinition => ({
  name,
  async run(ctx) {
    seen.push(`${name}:${JSON.stringify(ctx.params ?? null)}`);
    if (fail) throw new Error('bank offline');
    return { by: name, input: ctx.input };
  },
});

const ctx = {
  submission: { data: {} },
  instance: instance(),
  actor: people.bank,
  input: { amount: 1 },
  now: '2021-06-01T00:00:00Z',
};

describe('effect registry', () => {
  it('registers by name, refuses duplicates and nameless effects, and forks independently', () => {
    const reg = createEffectRegistry([recorder('rules.evaluate', [])]);
    expect(reg.has('rules.evaluate')).toBe(true);
    expect(() => reg.register(recorder('rules.evaluate', []))).toThrow(/already/);
    expect(() => reg.register(recorder('two words', []))).toThrow(TypeError);
    const fork = reg.fork();
    fork.register(recorder('notify.sms', []));
    expect(fork.names()).toEqual(['notify.sms', 'rules.evaluate']);
    expect(reg.names()).toEqual(['rules.evaluate']);
  });
});

describe('runEffects', () => {
  it('runs effects in order with their own parameters and collects what each produced', async () => {
    const seen: string[] = [];
    const reg = createEffectRegistry([recorder('a.one', seen), recorder('b.two', seen)]);
    const out = await runEffects(reg, [{ name: 'b.two', params: { x: 1 } }, { name: 'a.one' }], ctx);
    expect(seen).toEqual(['b.two:{"x":1}', 'a.one:null']);
    expect(out).toEqual([
      { name: 'b.two', output: { by: 'b.two', input: { amount: 1 } } },
      { name: 'a.one', output: { by: 'a.one', input: { amount: 1 } } },
    ]);
  });

  it('stops at the first failure with NX_ERR_WF_EFFECT_FAILED naming the effect', async () => {
    const seen: string[] = [];
    const reg = createEffectRegistry([recorder('a.one', seen, true), recorder('b.two', seen)]);
    const err = await runEffects(reg, [{ name: 'a.one' }, { name: 'b.two' }], ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NxError);
    expect(err).toMatchObject({ code: 'NX_ERR_WF_EFFECT_FAILED', statusCode: 500 });
    expect((err as NxError).errors?.[0]?.params).toEqual({ effect: 'a.one', reason: 'bank offline' });
    expect(seen).toEqual(['a.one:null']);
  });

  it('refuses to run an effect no one registered', async () => {
    const err = await runEffects(createEffectRegistry(), [{ name: 'rules.evaluate' }], ctx).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'NX_ERR_WF_EFFECT_MISSING' });
  });
});
