import { RE2JS } from 're2js';

/**
 * The linear-time pattern engine (RE2JS) as `pattern.ts` reaches it. In Node it is loaded with
 * the runtime. The page's bundle swaps this module for `pattern-engine.browser.ts`, which loads
 * the same engine only for a form that has patterns (`loadPatternEngine`), so a page whose forms
 * have none never downloads or parses it.
 */
export type PatternEngine = typeof RE2JS;

/** The engine, or `undefined` while it is not loaded (only in the page). */
export function patternEngine(): PatternEngine | undefined {
  return RE2JS;
}

/** Makes `patternEngine()` answer; in Node it always does. */
export async function loadPatternEngine(): Promise<void> {}
