import type { PatternEngine } from './pattern-engine.ts';

/**
 * The page's side of `pattern-engine.ts` (the web bundle puts this module in its place): the same
 * RE2JS, in a chunk of its own fetched by `loadPatternEngine()` before a form with patterns is
 * compiled, so field patterns decide on the page exactly as on the server.
 */
let engine: PatternEngine | undefined;

export function patternEngine(): PatternEngine | undefined {
  return engine;
}

export async function loadPatternEngine(): Promise<void> {
  engine ??= (await import('re2js')).RE2JS;
}
