import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../demo/load-demo.ts';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import { runPluginSeeds } from '../../../engine/entry/server.ts';
import { definePlugin, loadPlugins } from '../../../engine/index.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { pluginAppOptions } from '../../../engine/server/plugin-bridge.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';
import { latestDecisions } from '../../../plugins/rules/index.ts';
import { householdData } from '../../engine/workflow-store/setup.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

/**
 * The two built-in plugins in a real transition: approving a household survey runs
 * `rules.evaluate` (decision into rule_decisions) and `sms-outbox.notify` (a text into
 * sms_outbox), both in the transition's transaction.
 */

/** Throws on demand after the others ran, so the whole transition must roll back. */
const tripwire = { armed: false };
const tripwirePlugin = definePlugin({
  name: 'tripwire',
  version: '1.0.0',
  engine: '^0.1.0',
  setup(api) {
    api.effects.register({
      name: 'tripwire.check',
      async run() {
        if (tripwire.armed) throw new Error('tripped');
        return { ok: true };
      },
    });
  },
});

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const noticeWorkflow = {
  id: 'notice-test',
  version: 1,
  title: label('通知测试', 'Notice test'),
  form: 'household-survey',
  initial: 'draft',
  states: {
    draft: { label: label('待提交', 'Draft') },
    township_review: { label: label('乡镇审核', 'Township review') },
    approved: { label: label('已批准', 'Approved'), final: true },
  },
  transitions: [
    {
      action: 'submit',
      label: label('提交', 'Submit'),
      from: 'draft',
      to: 'township_review',
      by: [{ role: 'field_staff', level: 'village' }],
    },
    {
      action: 'approve',
      label: label('批准', 'Approve'),
      from: 'township_review',
      to: 'approved',
      by: [{ role: 'reviewer', level: 'township' }],
      effects: [
        { name: 'rules.evaluate', with: { ruleset: 'household-eligibility' } },
        { name: 'sms-outbox.notify' },
        { name: 'tripwire.check' },
      ],
    },
  ],
};

describe.each(dialects())('rules and sms-outbox through the server on $name', (dialect) => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const tokens = new Map<string, string>();
  const call = async (user: string, method: 'GET' | 'POST', url: string, body?: unknown) => {
    let token = tokens.get(user);
    if (!token) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user, password: DEMO_PASSWORD },
      });
      token = (r.json() as { token: string }).token;
      tokens.set(user, token);
    }
    const r = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { statusCode: r.statusCode, body: r.body, json: <T>() => r.json() as T };
  };

  beforeAll(async () => {
    t = await dialect.open();
    await loadDemo(t.db);
    const loaded = await loadPlugins(
      { plugins: ['rules', { use: 'sms-outbox', config: { hotline: '0827-6221234' } }, 'tripwire'] },
      { engineVersion: '0.1.0', builtins: { ...builtinPlugins, tripwire: tripwirePlugin } },
    );
    app = await buildApp({
      db: t.db,
      workflows: {
        definitions: [noticeWorkflow],
        effects: loaded.effects,
        operations: loaded.operations,
        timerIntervalMs: false,
      },
      ...pluginAppOptions(loaded),
    });
    // The demo standards, as `nuanxin demo` loads them.
    expect(await runPluginSeeds(t.db, loaded)).toEqual([
      expect.stringMatching(/^rules\/demo-parameters: \d+/),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  const submittedCase = async (phone: string) => {
    const r = await call('baiyicun.staff', 'POST', '/api/forms/household-survey/submissions', {
      data: { ...householdData(), phone },
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json<{ id: string }>().id;
    const s = await call('baiyicun.staff', 'POST', `/api/submissions/${id}/actions/submit`, {});
    expect(s.statusCode, s.body).toBe(200);
    return id;
  };
  const outbox = async () =>
    (await call('pingchang.reviewer', 'GET', '/api/plugins/sms-outbox/messages')).json<{
      items: { to: string; body: string; submissionId: string }[];
    }>().items;

  it('on approval stores the decision and queues one rendered notice for the household', async () => {
    const id = await submittedCase('13812345678');
    const r = await call('baiyi.reviewer', 'POST', `/api/submissions/${id}/actions/approve`, {});
    expect(r.statusCode, r.body).toBe(200);
    const effects = r.json<{ record: { effects: { name: string; output: Record<string, unknown> }[] } }>()
      .record.effects;
    const rules = effects.find((e) => e.name === 'rules.evaluate')?.output;
    expect(Object.keys(rules ?? {})).toEqual(
      expect.arrayContaining([
        'inRoster',
        'hardshipType',
        'dibaoCandidate',
        'entitlement',
        'perCapitaMonthlyIncome',
      ]),
    );
    const decisions = await latestDecisions(t.db, [id], 'household-eligibility');
    expect(decisions.get(id)?.id).toBe(rules?.decisionId);
    expect(decisions.get(id)?.outputs.perCapitaMonthlyIncome).toBe(rules?.perCapitaMonthlyIncome);

    const messages = (await outbox()).filter((m) => m.submissionId === id);
    expect(messages).toHaveLength(1);
    const headName = String(householdData().headName);
    expect(messages[0]).toMatchObject({ to: '13812345678' });
    expect(messages[0]?.body).toContain(`${headName}您好`);
    expect(messages[0]?.body).toContain('0827-6221234');
    // Outside the case's subtree the outbox shows nothing of it; field staff may not read it.
    const other = (await call('bazhong.reviewer', 'GET', '/api/plugins/sms-outbox/messages')).json<{
      items: unknown[];
    }>();
    expect(other.items).toHaveLength(1);
    expect((await call('baiyicun.staff', 'GET', '/api/plugins/sms-outbox/messages')).statusCode).toBe(403);
  });

  it('a transition that fails after both effects ran leaves neither a decision nor a text', async () => {
    const id = await submittedCase('13900001111');
    tripwire.armed = true;
    try {
      const r = await call('baiyi.reviewer', 'POST', `/api/submissions/${id}/actions/approve`, {});
      expect(r.statusCode).toBe(500);
      expect(r.json<{ code: string }>().code).toBe('NX_ERR_PLUGIN_FAILED');
    } finally {
      tripwire.armed = false;
    }
    expect((await latestDecisions(t.db, [id], 'household-eligibility')).size).toBe(0);
    expect((await outbox()).filter((m) => m.submissionId === id)).toEqual([]);
    const again = await call('baiyi.reviewer', 'POST', `/api/submissions/${id}/actions/approve`, {});
    expect(again.statusCode, again.body).toBe(200);
    expect((await latestDecisions(t.db, [id], 'household-eligibility')).size).toBe(1);
    expect((await outbox()).filter((m) => m.submissionId === id)).toHaveLength(1);
  });
});
