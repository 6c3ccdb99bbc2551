// Entry of a data-building thread of the benchmarks: registers tsx (the thread is started
// without the parent's flags), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./households-worker.ts');
