#!/usr/bin/env node
// Entry point of the `nuanxin` command. The project runs its TypeScript sources
// directly through tsx, so there is no build step that could drift from the source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
