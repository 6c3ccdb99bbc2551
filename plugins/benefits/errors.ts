import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The benefits plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const BENEFITS_CODES = codeCatalogue(catalogue, 'plugins/benefits/errors.json');

/** An NxError of one of the benefits plugin's codes, its HTTP status from the registered table. */
export const benefitsError = defineErrors(BENEFITS_CODES);
