import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../../engine/plugin/define-plugin.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { who } from '../../../engine/server/principal-hook.ts';
import { makeIdcard } from '../../factories/idcard.ts';
import { type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const saved: string[] = [];

const probe = definePlugin({
  name: 'probe',
  version: '1.0.0',
  engine: '^0.1.0',
  setup(api) {
    api.routes.register(async (app) => {
      app.get('/whoami', async (request) => ({ username: who(request).username }));
    });
    api.hooks.on('beforeSubmissionSave', (p) =>
      p.data.headName === '拒绝'
        ? [
            {
              path: '/headName',
              code: 'PROBE_REFUSED',
              message: { 'zh-CN': '插件拒绝', en: 'Refused by plugin' },
            },
          ]
        : undefined,
    );
    api.hooks.on('afterSubmissionSave', (p) => {
      saved.push(p.submissionId);
      return undefined;
    });
  },
});

describe.each(dialects())('plugins in the server on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    const loaded = await loadPlugins({ plugins: ['probe'] }, { engineVersion: '0.1.0', builtins: { probe } });
    a = await testApp(t, pluginAppOptions(loaded));
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  it('mounts plugin routes under /api/plugins/<name>, behind the same authentication', async () => {
    const r = await a.call('pingchangStaff', 'GET', '/api/plugins/probe/whoami');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ username: 'pingchangStaff' });
    expect((await a.app.inject({ method: 'GET', url: '/api/plugins/probe/whoami' })).statusCode).toBe(401);
  });

  it('runs submission hooks: a veto refuses the write with its errors, afterSave sees the saved id', async () => {
    const data = {
      headName: '拒绝',
      headIdNumber: makeIdcard({ region: '511923', birthDate: '1980-01-01' }),
    };
    const refused = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', { data });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ errors: [{ path: '/headName', code: 'PROBE_REFUSED' }] });
    const ok = await a.call('pingchangStaff', 'POST', '/api/forms/test-household/submissions', {
      data: { ...data, headName: '同意' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(saved).toContain((ok.json() as { id: string }).id);
  });
});
