import { ENGINE_VERSION } from '../engine/entry/plugin.ts';

/**
 * The version and engine range of a built-in plugin: it ships with the engine, so it has the
 * engine's version and needs that engine (one place to change when the engine's version moves).
 */
export const BUILT_IN = { version: ENGINE_VERSION, engine: `^${ENGINE_VERSION}` } as const;
