import type { CodeInfo, CodeTable } from './codes.ts';

/** What is wrong with one entry of a catalogue (its name, status or messages), or undefined when nothing is. */
export function codeProblem(code: string, info: CodeInfo): string | undefined {
  if (!/^NX_ERR_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) return 'the name is not NX_ERR_<AREA>_<WHAT>';
  if (!Number.isInteger(info.status) || info.status < 400 || info.status > 599)
    return 'the status is not 400–599';
  const { message } = info;
  if (typeof message?.['zh-CN'] !== 'string' || message['zh-CN'].length === 0)
    return 'the zh-CN message is missing';
  if (typeof message.en !== 'string' || message.en.length === 0) return 'the en message is missing';
  return undefined;
}

/**
 * A catalogue of error codes as its JSON file holds it (code → status and bilingual message),
 * checked as the module loads, so a bad entry stops the start and names itself. The type stays
 * the file's own: `keyof typeof` lists its codes.
 *
 * @example
 * import catalogue from './errors.json' with { type: 'json' };
 * export const RULES_CODES = codeCatalogue(catalogue, 'rules/errors.json');
 */
export function codeCatalogue<const C extends CodeTable>(catalogue: C, file: string): C {
  for (const [code, info] of Object.entries(catalogue)) {
    const problem = codeProblem(code, info);
    if (problem) throw new TypeError(`${file}: ${code}: ${problem}`);
  }
  return catalogue;
}
