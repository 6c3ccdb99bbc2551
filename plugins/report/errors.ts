import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The report plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const REPORT_CODES = codeCatalogue(catalogue, 'plugins/report/errors.json');

export type ReportCode = keyof typeof REPORT_CODES;

/** An NxError of one of the report plugin's codes, its HTTP status from the registered table. */
export const reportError = defineErrors(REPORT_CODES);
