import { describe, expect, it } from 'vitest';
import type { NxError } from '../../../engine/errors/nx-error.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { fakePlugin } from './helpers.ts';

const opts = (builtins: Record<string, ReturnType<typeof fakePlugin>>) => ({
  engineVersion: '0.1.0',
  builtins,
});

describe('services between plugins', () => {
  it('a plugin uses the service of a plugin it depends on, set up before it', async () => {
    let seen: number | undefined;
    const counter = fakePlugin('counter', [], {
      body: (api) => api.services.provide({ next: () => 41 + 1 }),
    });
    const user = fakePlugin('user', [], {
      dependsOn: ['counter'],
      body: (api) => {
        seen = api.services.use<{ next(): number }>('counter').next();
      },
    });
    const loaded = await loadPlugins({ plugins: ['user', 'counter'] }, opts({ counter, user }));
    expect(seen).toBe(42);
    expect(loaded.services.get('counter')).toBeDefined();
  });

  it('refuses the service of a plugin not declared in dependsOn, or one that provides none', async () => {
    const counter = fakePlugin('counter', [], { body: (api) => api.services.provide({}) });
    const silent = fakePlugin('silent');
    const sneaky = fakePlugin('sneaky', [], { body: (api) => void api.services.use('counter') });
    const needy = fakePlugin('needy', [], {
      dependsOn: ['silent'],
      body: (api) => void api.services.use('silent'),
    });
    const fail = async (plugins: string[]) => {
      try {
        await loadPlugins({ plugins }, opts({ counter, silent, sneaky, needy }));
      } catch (e) {
        return e as NxError;
      }
      throw new Error('loaded');
    };
    const undeclared = await fail(['counter', 'sneaky']);
    expect(undeclared.code).toBe('NX_ERR_PLUGIN_SETUP_FAILED');
    expect(undeclared.message).toContain('declare it in dependsOn');
    expect((await fail(['silent', 'needy'])).message).toContain('provides no service');
  });

  it('an optional dependency is found when configured and absent (undefined) when not, set up first', async () => {
    const log: string[] = [];
    const counter = fakePlugin('counter', log, { body: (api) => api.services.provide({ n: 7 }) });
    const seen: (number | undefined)[] = [];
    const user = fakePlugin('user', log, {
      optionalDependsOn: ['counter'],
      body: (api) => {
        seen.push(api.services.find<{ n: number }>('counter')?.n);
      },
    });
    await loadPlugins({ plugins: ['user', 'counter'] }, opts({ counter, user }));
    expect(log).toEqual(['counter', 'user']);
    await loadPlugins({ plugins: ['user'] }, opts({ user }));
    expect(seen).toEqual([7, undefined]);
    const sneaky = fakePlugin('sneaky', [], { body: (api) => void api.services.find('counter') });
    await expect(loadPlugins({ plugins: ['sneaky'] }, opts({ sneaky }))).rejects.toThrow(
      /declare it in dependsOn or optionalDependsOn/,
    );
  });

  it('the rules plugin provides its rules to dependants', async () => {
    const { default: rules } = await import('../../../plugins/rules/index.ts');
    let ids: string[] = [];
    const user = fakePlugin('user', [], {
      dependsOn: ['rules'],
      body: (api) => {
        ids = api.services.use<{ rulesFor(): { ids(): string[] } }>('rules').rulesFor().ids();
      },
    });
    await loadPlugins({ plugins: ['rules', 'user'] }, opts({ rules, user } as never));
    expect(ids).toContain('household-eligibility');
  });
});
