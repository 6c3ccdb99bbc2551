import { codeProblem } from '../errors/code-catalogue.ts';
import { type CodeTable, codes, pluginCodeTables } from '../errors/codes.ts';
import { NxError } from '../errors/nx-error.ts';
import { conflictError } from './named-registry.ts';

/** The prefix of a plugin's codes: `report` → `NX_ERR_REPORT_`, `sms-outbox` → `NX_ERR_SMS_OUTBOX_`. */
export const codePrefix = (pluginName: string): string =>
  `NX_ERR_${pluginName.toUpperCase().replaceAll('-', '_')}_`;

/**
 * Adds a plugin's own codes to the registry (the host does it as it loads the plugin). Each must
 * carry the plugin's prefix, a status 400–599 and both messages, and be no engine or other
 * plugin's code; the same plugin loaded again replaces its own.
 */
export function registerPluginCodes(pluginName: string, table: CodeTable | undefined): void {
  const prefix = codePrefix(pluginName);
  for (const [code, info] of Object.entries(table ?? {})) {
    const holder = Object.hasOwn(codes, code) ? 'engine' : pluginCodeTables.get(code)?.pluginName;
    if (holder !== undefined && holder !== pluginName)
      throw conflictError('error code', code, pluginName, holder);
    const wellFormed = code.startsWith(prefix) && code.length > prefix.length && !codeProblem(code, info);
    if (!wellFormed) {
      throw new NxError('NX_ERR_PLUGIN_INVALID', codes.NX_ERR_PLUGIN_INVALID?.status ?? 500, {
        'zh-CN': `插件“${pluginName}”的错误码 ${code} 无效：须以 ${prefix} 开头，状态码 400–599，并有中英文消息`,
        en: `Plugin "${pluginName}" declares an invalid error code ${code}: it must start with ${prefix}, have a status 400–599 and both messages`,
      });
    }
    pluginCodeTables.set(code, { pluginName, info });
  }
}
