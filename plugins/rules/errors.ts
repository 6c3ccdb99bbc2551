import { codeCatalogue, defineErrors } from '../../engine/entry/plugin.ts';
import catalogue from './errors.json' with { type: 'json' };

/** The rules plugin's error codes (registered with the plugin: `definePlugin({ errors })`). */
export const RULES_CODES = codeCatalogue(catalogue, 'plugins/rules/errors.json');

export type RulesCode = keyof typeof RULES_CODES;

/** An NxError of one of the rules plugin's codes, its HTTP status from the registered table. */
export const rulesError = defineErrors(RULES_CODES);
