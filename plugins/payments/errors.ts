import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The payments plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const PAYMENTS_CODES = codeCatalogue(catalogue, 'plugins/payments/errors.json');

/** An NxError of one of the payments plugin's codes, its HTTP status from the registered table. */
export const paymentsError = defineErrors(PAYMENTS_CODES);
