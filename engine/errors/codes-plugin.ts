import { codeCatalogue } from './code-catalogue.ts';
import catalogue from './codes-plugin.json' with { type: 'json' };

/** Error codes of the plugin host. A plugin's own codes live with it (`definePlugin({ errors })`). */
export const pluginCodes = codeCatalogue(catalogue, 'engine/errors/codes-plugin.json');
