export * from './changes.ts';
export * from './jobs.ts';
export * from './revisits.ts';
export * from './routes.ts';
export * from './subjects.ts';
export * from './surveys.ts';
export * from './tables.ts';
