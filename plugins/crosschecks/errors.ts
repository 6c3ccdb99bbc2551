import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The cross-checks plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const CROSSCHECKS_CODES = codeCatalogue(catalogue, 'plugins/crosschecks/errors.json');

export type CrosschecksCode = keyof typeof CROSSCHECKS_CODES;

/** An NxError of one of the cross-checks plugin's codes, its HTTP status from the registered table. */
export const crosschecksError = defineErrors(CROSSCHECKS_CODES);
