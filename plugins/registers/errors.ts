import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The registers plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const REGISTERS_CODES = codeCatalogue(catalogue, 'plugins/registers/errors.json');

/** An NxError of one of the registers plugin's codes, its HTTP status from the registered table. */
export const registersError = defineErrors(REGISTERS_CODES);
