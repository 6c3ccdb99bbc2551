import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../engine/index.ts';
import type { EffectContext } from '../../../engine/workflow/effects.ts';
import {
  createMemoryOutbox,
  createSmsOutboxPlugin,
  createSmsRenderer,
} from '../../../plugins/sms-outbox/index.ts';

function effectContext(data: Record<string, unknown>, input: Record<string, unknown> = {}): EffectContext {
  return {
    submission: { id: 's-1', formId: 'household-survey', orgUnit: '511923101201', data },
    instance: {
      state: 'approved',
      submitterId: 'u1',
      submitterOrg: '511923101201',
      caseOrgPath: ['510000', '511900', '511923', '511923101', '511923101201'],
      approvals: [],
      enteredAt: '2021-08-01T02:00:00Z',
    },
    actor: undefined,
    input,
    now: '2021-08-01T02:00:00Z',
  };
}

async function setUp(config: Record<string, unknown> = {}) {
  const outbox = createMemoryOutbox();
  const loaded = await loadPlugins(
    { plugins: [{ use: 'sms-outbox', config }] },
    { engineVersion: '0.1.0', builtins: { 'sms-outbox': createSmsOutboxPlugin({ store: outbox }) } },
  );
  return { outbox, notify: loaded.effects.get('sms-outbox.notify')! };
}

describe('sms-outbox', () => {
  it('queues one rendered notice per approved household', async () => {
    const { outbox, notify } = await setUp({ hotline: '0827-6221234' });
    const result = await notify.run(
      effectContext({ headName: '王秀英', phone: '13812345678' }, { entitlement: 203.3 }),
    );
    expect(result).toMatchObject({ queued: true, to: '13812345678' });
    expect(outbox.messages).toEqual([
      {
        to: '13812345678',
        body: '【暖心】王秀英您好：您家的救助申请已审批通过。每月低保金 203.30 元，将通过社会保障卡发放。如有疑问请致电 0827-6221234。',
        truncated: false,
        submissionId: 's-1',
        orgCode: '511923101201',
        orgPath: '/510000/511900/511923/511923101/511923101201/',
        createdAt: '2021-08-01T02:00:00Z',
      },
    ]);
  });

  it('leaves out the amount when there is none, and skips a household without a mobile number', async () => {
    const { outbox, notify } = await setUp();
    await notify.run(effectContext({ headName: '李明', phone: '13900001111' }));
    expect(outbox.messages[0]?.body).not.toContain('低保金');
    expect(await notify.run(effectContext({ headName: '赵', phone: '0827-1234567' }))).toEqual({
      queued: false,
      reason: 'no mobile number',
    });
    expect(outbox.messages).toHaveLength(1);
  });

  it('renders text only: markup stays as typed, prototype paths give nothing', () => {
    const r = createSmsRenderer('{{name}}|{{constructor.name}}|{{maskId id}}', 100);
    expect(r.render({ name: '<b>张&三</b>', id: '510104198001011234' }).text).toBe(
      '<b>张&三</b>||5101**********1234',
    );
  });

  it('cuts an over-long message and says so', () => {
    const r = createSmsRenderer('{{a}}', 20);
    const out = r.render({ a: '很'.repeat(30) });
    expect([...out.text]).toHaveLength(20);
    expect(out).toMatchObject({ truncated: true, text: expect.stringMatching(/…$/) });
  });

  it('refuses a bad config at load, naming the plugin and the pointer', async () => {
    await expect(setUp({ maxLength: 5 })).rejects.toMatchObject({
      code: 'NX_ERR_PLUGIN_BAD_CONFIG',
      message: expect.stringMatching(/"sms-outbox".*\/plugins\/0\/config\/maxLength/),
    });
  });

  it('a failing outbox fails that one transition with NX_ERR_PLUGIN_FAILED', async () => {
    const loaded = await loadPlugins(
      { plugins: ['sms-outbox'] },
      {
        engineVersion: '0.1.0',
        builtins: {
          'sms-outbox': createSmsOutboxPlugin({
            store: {
              add() {
                throw new Error('table locked');
              },
            },
          }),
        },
      },
    );
    await expect(
      loaded.effects.get('sms-outbox.notify')!.run(effectContext({ headName: '李', phone: '13900001111' })),
    ).rejects.toMatchObject({
      code: 'NX_ERR_PLUGIN_FAILED',
      message: expect.stringContaining('table locked'),
    });
  });
});
