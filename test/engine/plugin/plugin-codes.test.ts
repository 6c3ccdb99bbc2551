import { describe, expect, it } from 'vitest';
import { codeInfo } from '../../../engine/errors/codes.ts';
import type { NxError } from '../../../engine/errors/nx-error.ts';
import { definePlugin } from '../../../engine/plugin/define-plugin.ts';
import { loadPlugins } from '../../../engine/plugin/load-plugins.ts';
import { codePrefix, registerPluginCodes } from '../../../engine/plugin/plugin-codes.ts';

const info = (status: number) => ({ status, message: { 'zh-CN': '错', en: 'Wrong' } });

const failure = (fn: () => unknown): NxError => {
  try {
    fn();
  } catch (e) {
    return e as NxError;
  }
  throw new Error('did not throw');
};

describe("a plugin's own error codes", () => {
  it('are registered as the plugin loads, and then known by code', async () => {
    const plugin = definePlugin({
      name: 'bank-card',
      version: '1.0.0',
      engine: '*',
      errors: { NX_ERR_BANK_CARD_BAD_NUMBER: info(422) },
      setup() {},
    });
    await loadPlugins(
      { plugins: ['bank-card'] },
      { engineVersion: '0.1.0', builtins: { 'bank-card': plugin } },
    );
    expect(codeInfo('NX_ERR_BANK_CARD_BAD_NUMBER')?.status).toBe(422);
  });

  it('must carry the plugin prefix and a status 400–599', () => {
    expect(codePrefix('sms-outbox')).toBe('NX_ERR_SMS_OUTBOX_');
    expect(failure(() => registerPluginCodes('a', { NX_ERR_B_X: info(400) })).code).toBe(
      'NX_ERR_PLUGIN_INVALID',
    );
    expect(failure(() => registerPluginCodes('a', { NX_ERR_A_X: info(200) })).code).toBe(
      'NX_ERR_PLUGIN_INVALID',
    );
  });

  it("may not take an engine code or another plugin's", () => {
    registerPluginCodes('c', { NX_ERR_C_ONE: info(400) });
    const other = failure(() => registerPluginCodes('http', { NX_ERR_HTTP_NOT_FOUND: info(404) }));
    expect(other.code).toBe('NX_ERR_PLUGIN_REGISTRATION_CONFLICT');
    expect(other.message).toContain('"engine"');
    // The same plugin loaded again (a second server in one process) replaces its own.
    registerPluginCodes('c', { NX_ERR_C_ONE: info(409) });
    expect(codeInfo('NX_ERR_C_ONE')?.status).toBe(409);
  });
});
