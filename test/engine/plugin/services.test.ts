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
