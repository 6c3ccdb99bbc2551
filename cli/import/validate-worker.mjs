// Entry of the import's validation thread. The sources are TypeScript run through tsx, as in
// the main thread (`cli/bin.mjs`); the worker is started without the parent's flags, so it
// registers tsx itself before loading them.
import { register } from 'tsx/esm/api';

register();
await import('./validate-worker.ts');
