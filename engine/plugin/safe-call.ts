import { codes } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';

/** Wraps whatever a plugin threw into `NX_ERR_PLUGIN_FAILED` naming it; NxErrors it meant to throw pass through. */
export function pluginFailure(pluginName: string, what: string, err: unknown): NxError {
  if (err instanceof NxError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const info = codes.NX_ERR_PLUGIN_FAILED!;
  const e = new NxError(
    'NX_ERR_PLUGIN_FAILED',
    info.status,
    {
      'zh-CN': `插件“${pluginName}”在${what}时出错：${reason}`,
      en: `Plugin "${pluginName}" failed in ${what}: ${reason}`,
    },
    [{ path: '', code: 'NX_ERR_PLUGIN_FAILED', message: info.message, params: { plugin: pluginName, what } }],
  );
  e.cause = err;
  return e;
}

/**
 * Runs plugin code so that a throw (or a rejected promise) becomes an NxError naming the plugin:
 * the server answers that one request with a stable code and keeps running.
 */
export async function safeCall<T>(pluginName: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw pluginFailure(pluginName, what, err);
  }
}

/** The synchronous twin of `safeCall`, for plugin code on a synchronous path (JSON Logic operations). */
export function safeCallSync<T>(pluginName: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw pluginFailure(pluginName, what, err);
  }
}
